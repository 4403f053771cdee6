import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { notificationRow, type NotificationRow } from "@/lib/data/notifications";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { postToSlack, type RetryOptions, type SlackMessage } from "./slack";

// The morning low-stock digest: the low-stock notifications written at commit time, posted to
// Slack once. Each batch is claimed in the database first (so overlapping runs never post the
// same notice twice) and marked delivered only after Slack accepted it; when Slack keeps failing
// the claim is released and the next run sends the notices again. Nothing is ever lost.

export const fnLowStockClaim = defineFunction(
  "jobs_low_stock_claim",
  z.object({ p_limit: z.number().int().optional(), p_lease_seconds: z.number().int().optional() }),
  z.object({ data: z.array(notificationRow) }),
);
export const fnLowStockFinish = defineFunction(
  "jobs_low_stock_finish",
  z.object({ p_ids: z.array(z.uuid()), p_delivered: z.boolean(), p_error: z.string().optional() }),
  z.object({ updated: z.number().int() }),
);

const BATCH = 200;
const MAX_BATCHES = 5;
const LISTED = 50;

export type DigestResult =
  | { status: "sent"; notifications: number; items: number; attempts: number }
  | { status: "nothing_to_send" }
  | { status: "not_configured"; pending: true }
  | { status: "failed"; notifications: number; error: string };

/** One line per item (its latest notice) with its stock now, by SKU; at most LISTED lines. */
export function digestMessage(rows: NotificationRow[]): SlackMessage {
  const latest = new Map<string, NotificationRow>();
  for (const row of rows) {
    const key = row.item_id ?? row.id;
    const seen = latest.get(key);
    if (!seen || seen.created_at < row.created_at) latest.set(key, row);
  }
  const items = [...latest.values()].sort((a, b) => (a.sku ?? "").localeCompare(b.sku ?? ""));
  const lines = items.slice(0, LISTED).map((r) => {
    const name = r.name_ko ?? r.name_en ?? "";
    const state = r.reorder_point !== null && r.on_hand >= r.reorder_point ? " (restocked since)" : "";
    return `• ${r.sku ?? "?"} ${name}: ${r.on_hand} ${r.unit ?? ""} on hand, reorder point ${r.reorder_point ?? "?"}${state}`.replace(/ +/g, " ");
  });
  if (items.length > LISTED) lines.push(`…and ${items.length - LISTED} more`);
  const title = `Low stock: ${items.length} item${items.length === 1 ? "" : "s"} below the reorder point`;
  return {
    text: `${title}\n${lines.join("\n")}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title } },
      { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    ],
  };
}

export async function runLowStockDigest(opts: { webhookUrl?: string; retry?: RetryOptions } = {}): Promise<DigestResult> {
  const url = opts.webhookUrl ?? env().SLACK_WEBHOOK_URL;
  if (!url) {
    log.warn("jobs.low_stock_digest.not_configured", {});
    return { status: "not_configured", pending: true };
  }
  let sent = 0;
  let items = 0;
  let attempts = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const { data: rows } = await call(fnLowStockClaim, { p_limit: BATCH }, service);
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    const posted = await postToSlack(url, digestMessage(rows), opts.retry);
    attempts += posted.attempts;
    if (!posted.ok) {
      await call(fnLowStockFinish, { p_ids: ids, p_delivered: false, p_error: posted.error }, service);
      log.error("jobs.low_stock_digest.failed", { notifications: ids.length, attempts: posted.attempts, error: posted.error });
      return { status: "failed", notifications: ids.length, error: posted.error };
    }
    await call(fnLowStockFinish, { p_ids: ids, p_delivered: true }, service);
    sent += ids.length;
    items += new Set(rows.map((r) => r.item_id ?? r.id)).size;
    if (rows.length < BATCH) break;
  }
  if (sent === 0) return { status: "nothing_to_send" };
  log.info("jobs.low_stock_digest.sent", { notifications: sent, items, attempts });
  return { status: "sent", notifications: sent, items, attempts };
}
