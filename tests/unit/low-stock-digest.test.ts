import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { NotificationRow } from "@/lib/data/notifications";
import { digestMessage } from "@/lib/jobs/low-stock-digest";
import { postToSlack } from "@/lib/jobs/slack";

// The digest's text and the webhook's retry rules, without a database.

let n = 0;
function notice(over: Partial<NotificationRow> = {}): NotificationRow {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    kind: "low_stock",
    item_id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    sku: `SKU-${String(n).padStart(3, "0")}`,
    name_ko: `품목 ${n}`,
    name_zh: null,
    name_en: null,
    unit: "EA",
    reorder_point: 10,
    on_hand: 3,
    payload: {},
    created_at: new Date(2026, 0, 1, 0, 0, n).toISOString(),
    read_at: null,
    ...over,
  };
}

describe("digestMessage", () => {
  it("lists each item once, by its latest notice, and says when it has been restocked since", () => {
    const a = notice({ sku: "B-1", on_hand: 4 });
    const again = notice({ item_id: a.item_id, sku: "B-1", on_hand: 2 });
    const restocked = notice({ sku: "A-1", on_hand: 25 });
    const msg = digestMessage([a, again, restocked]);
    expect(msg.text.split("\n")).toEqual([
      "Low stock: 2 items below the reorder point",
      `• A-1 ${restocked.name_ko}: 25 EA on hand, reorder point 10 (restocked since)`,
      `• B-1 ${again.name_ko}: 2 EA on hand, reorder point 10`,
    ]);
  });

  it("caps the list and says how many more there are", () => {
    const msg = digestMessage(Array.from({ length: 53 }, () => notice()));
    const lines = msg.text.split("\n");
    expect(lines[0]).toBe("Low stock: 53 items below the reorder point");
    expect(lines).toHaveLength(52);
    expect(lines.at(-1)).toBe("…and 3 more");
  });
});

async function fakeWebhook(statuses: number[]) {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const status = statuses[hits++] ?? 200;
      res.writeHead(status, status === 429 ? { "Retry-After": "0" } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, hits: () => hits, close: () => new Promise((r) => server.close(r)) };
}

describe("postToSlack", () => {
  const fast = { baseDelayMs: 1 };

  it("retries rate limits and server errors, and stops at the first success", async () => {
    const hook = await fakeWebhook([429, 502]);
    expect(await postToSlack(hook.url, { text: "x" }, fast)).toEqual({ ok: true, attempts: 3 });
    expect(hook.hits()).toBe(3);
    await hook.close();
  });

  it("gives up after the attempts allowed, and at once on a client error", async () => {
    const failing = await fakeWebhook([500, 500, 500, 500]);
    expect(await postToSlack(failing.url, { text: "x" }, fast)).toMatchObject({ ok: false, attempts: 3, error: "HTTP 500" });
    expect(failing.hits()).toBe(3);
    await failing.close();
    const gone = await fakeWebhook([410]);
    expect(await postToSlack(gone.url, { text: "x" }, fast)).toMatchObject({ ok: false, attempts: 1 });
    await gone.close();
  });

  it("counts a refused connection as a failure to retry", async () => {
    const hook = await fakeWebhook([]);
    await hook.close();
    const r = await postToSlack(hook.url, { text: "x" }, { ...fast, attempts: 2 });
    expect(r).toMatchObject({ ok: false, attempts: 2 });
  });
});
