import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCustomerDocument, loadStaffDocument } from "@/components/print/load-document";
import { PrintDocument } from "@/components/print/print-document";
import { printLanguage, printTranslator } from "@/components/print/translator";
import type { PrintDoc } from "@/components/print/document";
import { getFlowCounts, listFlows } from "@/lib/data/flows";
import { applyImport } from "@/lib/data/imports";
import { startImport } from "@/lib/data/import-start";
import { getItem, listItems } from "@/lib/data/items";
import type { Locale } from "@/lib/i18n/locales";
import en from "../../messages/en/print.json";
import ko from "../../messages/ko/print.json";
import zh from "../../messages/zh/print.json";
import { actorOf, as } from "../helpers/as";
import { openTestDatabase } from "../helpers/pglite";

// The printed documents' data and markup, read as each user on the embedded database's demo
// data: staff get any flow with unit costs, values and the note; a customer gets only their own
// shipments' delivery notes (another company's is not found, as is any flow through the staff
// reader), with no cost, value or internal note anywhere in the document.

const SEL = "10000000-0000-4000-8000-000000000001";
let acmeShipment: string;
let blueSkyShipment: string;
let adjustment: string;
let transfer: string;
let receipt: string;

async function flowId(q: string): Promise<string> {
  const page = await listFlows(as("manager"), { q, page: 1, limit: 5 });
  expect(page.data).toHaveLength(1);
  return page.data[0].id;
}

/** notFound() from next/navigation: the error Next.js turns into the 404 page. */
const notFoundError = expect.objectContaining({ digest: expect.stringContaining("404") });

async function html(doc: PrintDoc, lang: Locale): Promise<string> {
  return renderToStaticMarkup(createElement(PrintDocument, { doc, t: await printTranslator(lang), lang }));
}

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  acmeShipment = await flowId("PO-ACME-2026-0412");
  blueSkyShipment = await flowId("BS-7781");
  adjustment = await flowId("COUNT-2026-11");
  transfer = await flowId("TRF-SEA-0093");
  receipt = await flowId("SZ-PO-5521");
});

describe("staff documents", () => {
  it.each(["korean", "chinese", "manager"] as const)("%s gets the delivery note with unit costs, values and the note", async (who) => {
    const doc = await loadStaffDocument(actorOf(who), acmeShipment);
    expect(doc).toMatchObject({ audience: "staff", kind: "outbound", status: "committed", note: "Spring order", reference: "PO-ACME-2026-0412" });
    expect(doc.customer?.code).toBe("ACME");
    expect(doc.from?.code).toBeTruthy();
    expect(doc.number).toMatch(/^OUT-\d{4}-\d{6}$/);
    expect(doc.lines.map((l) => [l.sku, l.qty])).toEqual([
      ["LCD-ACME-27", 10],
      ["KEYB-ACME-KR", 20],
    ]);
    for (const line of doc.lines) {
      const item = await getItem(as("manager"), (await itemIdOf(line.sku))!);
      expect(line.unitCost).toBe(item.unit_cost);
      expect(line.value).toBe(line.qty * item.unit_cost);
    }
  });

  it("the staff sheet shows the cost columns and a KRW total", async () => {
    const doc = await loadStaffDocument(actorOf("korean"), acmeShipment);
    const markup = await html(doc, "ko");
    expect(markup).toContain(ko.titles.outbound);
    expect(markup).toContain(ko.columns.unitCost);
    expect(markup).toContain(ko.totals.value);
    expect(markup).toContain("Spring order");
    expect(markup).toContain(`data-value="${doc.number}"`);
  });

  it("an adjustment without counts prints as a stocktake sheet of quantity changes", async () => {
    const doc = await loadStaffDocument(actorOf("korean"), adjustment);
    expect(doc.kind).toBe("adjustment");
    expect(doc.lines).toEqual([expect.objectContaining({ sku: "LCD-PKG-BOX", qty: -5 })]);
    expect(doc.lines[0]).not.toHaveProperty("expected");
    const markup = await html(doc, "zh");
    expect(markup).toContain(zh.titles.adjustment);
    expect(markup).toContain(zh.columns.difference);
    expect(markup).not.toContain(zh.columns.counted);
    expect(markup).toContain(zh.signatures.countedBy);
  });

  it("with book and counted quantities on every line, the sheet shows both columns", async () => {
    const doc = await loadStaffDocument(actorOf("korean"), adjustment);
    const counted = { ...doc, lines: doc.lines.map((l) => ({ ...l, expected: 105, counted: 100 })) };
    const markup = await html(counted, "en");
    expect(markup).toContain(`>${en.columns.expected}<`);
    expect(markup).toContain(`>${en.columns.counted}<`);
    expect(markup).toMatch(/>105<\/td><td[^>]*>100<\/td><td[^>]*>-5</);
  });

  it("a stocktake's adjustment prints what was counted against the stock at apply time", async () => {
    const stock = (
      await db.query<{ sku: string; on_hand: string }>(
        `select i.sku, s.on_hand::text as on_hand from public.stocks s join public.items i on i.id = s.item_id
         where s.location_id = $1 and s.on_hand >= 10 and i.active order by i.sku limit 2`,
        [SEL],
      )
    ).rows;
    expect(stock).toHaveLength(2);
    const csv = ["SKU,Counted", `${stock[0].sku},${Number(stock[0].on_hand) - 3}`, `${stock[1].sku},${Number(stock[1].on_hand) + 2}`].join("\n");
    const actor = actorOf("korean");
    const started = await startImport(actor, { kind: "stocktake", location_id: SEL, sheet: undefined }, { name: "count.csv", bytes: new TextEncoder().encode(csv) });
    expect(started.status).toBe("ready");
    const applied = await applyImport(actor.caller, started.id);
    const flowId = applied.flow!.id;
    const doc = await loadStaffDocument(actor, flowId);
    expect(doc.lines.map((l) => [l.sku, l.expected, l.counted, l.qty])).toEqual([
      [stock[0].sku, Number(stock[0].on_hand), Number(stock[0].on_hand) - 3, -3],
      [stock[1].sku, Number(stock[1].on_hand), Number(stock[1].on_hand) + 2, 2],
    ]);
    const markup = await html(doc, "ko");
    expect(markup).toContain(`>${ko.columns.expected}<`);
    expect(markup).toContain(`>${ko.columns.counted}<`);
    // Customers never read counts; a flow that does not exist is not found.
    await expect(getFlowCounts(as("acme"), flowId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getFlowCounts(as("korean"), "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "not_found" });
    expect(await getFlowCounts(as("korean"), adjustment)).toEqual([]);
  });

  it("a transfer note names both warehouses and who carried the goods", async () => {
    const doc = await loadStaffDocument(actorOf("chinese"), transfer);
    expect(doc).toMatchObject({ kind: "transfer", from: { code: "CN-YIW" }, to: { code: "KR-SEL" } });
    const markup = await html(doc, "zh");
    for (const word of [zh.titles.transfer, zh.fields.from, zh.fields.to, zh.signatures.issuedBy, zh.signatures.carriedBy, zh.signatures.receivedBy]) {
      expect(markup).toContain(word);
    }
    expect(markup).toContain("义乌仓库 (Yiwu) (CN-YIW)");
  });

  it("a goods receipt not yet committed says so, with the supplier and receiving warehouse", async () => {
    const doc = await loadStaffDocument(actorOf("korean"), receipt);
    expect(doc).toMatchObject({ kind: "inbound", status: "draft", committedAt: null, partner: "Shenzhen Bright Display Co." });
    const markup = await html(doc, "ko");
    expect(markup).toContain(ko.titles.inbound);
    expect(markup).toContain(ko.fields.supplier);
    expect(markup).toContain(ko.fields.receiveAt);
    expect(markup).toContain(ko.signatures.deliveredBy);
    expect(markup).toContain('data-testid="print-not-final"');
    // A committed flow has no such banner.
    expect(await html(await loadStaffDocument(actorOf("korean"), acmeShipment), "ko")).not.toContain('data-testid="print-not-final"');
  });

  it("a number the barcode cannot encode prints as text only", async () => {
    const doc = await loadStaffDocument(actorOf("korean"), acmeShipment);
    const markup = await html({ ...doc, number: "출고-1" }, "en");
    expect(markup).toContain("출고-1");
    expect(markup).not.toContain('data-testid="print-barcode"');
    expect(await html(doc, "en")).toContain('data-testid="print-barcode"');
  });

  it("a missing flow or a malformed id is not found", async () => {
    await expect(loadStaffDocument(actorOf("korean"), "00000000-0000-4000-8000-0000000000ff")).rejects.toEqual(notFoundError);
    await expect(loadStaffDocument(actorOf("korean"), "not-an-id")).rejects.toEqual(notFoundError);
  });
});

describe("customer documents", () => {
  it("ACME prints its own shipment: the lines, no cost, value or internal note anywhere", async () => {
    const doc = await loadCustomerDocument(actorOf("acme"), acmeShipment);
    expect(doc).toMatchObject({ audience: "customer", kind: "outbound", note: null, backHref: `/portal/shipments/${acmeShipment}` });
    expect(doc.lines.map((l) => [l.sku, l.qty])).toEqual([
      ["LCD-ACME-27", 10],
      ["KEYB-ACME-KR", 20],
    ]);
    for (const line of doc.lines) {
      expect(line).not.toHaveProperty("unitCost");
      expect(line).not.toHaveProperty("value");
    }
    const staffDoc = await loadStaffDocument(actorOf("korean"), acmeShipment);
    for (const lang of ["ko", "zh", "en"] as const) {
      const markup = await html(doc, lang);
      const words = { ko, zh, en }[lang];
      expect(markup).toContain(words.titles.outbound);
      expect(markup).toContain(doc.number);
      expect(markup).not.toContain(words.columns.unitCost);
      expect(markup).not.toContain(words.totals.value);
      expect(markup).not.toContain("Spring order");
      // No amount a staff sheet shows (the unit costs and values in this language's KRW format).
      const staffMarkup = await html(staffDoc, lang);
      const amounts = [...staffMarkup.matchAll(/>([^<>]*[₩￦][^<>]*)</g)].map((m) => m[1]);
      expect(amounts.length).toBeGreaterThan(0);
      for (const amount of amounts) expect(markup).not.toContain(amount);
    }
  });

  it("another company's shipment is not found, and so is any flow through the staff reader", async () => {
    await expect(loadCustomerDocument(actorOf("acme"), blueSkyShipment)).rejects.toEqual(notFoundError);
    await expect(loadCustomerDocument(actorOf("bluesky"), acmeShipment)).rejects.toEqual(notFoundError);
    await expect(loadCustomerDocument(actorOf("bluesky"), blueSkyShipment)).resolves.toMatchObject({ reference: "BS-7781" });
    // The staff reader answers a customer as it answers an unknown id: the not-found page.
    await expect(loadStaffDocument(actorOf("acme"), acmeShipment)).rejects.toEqual(notFoundError);
  });

  it("a customer cannot print a flow that is not a shipment of theirs, such as an adjustment", async () => {
    await expect(loadCustomerDocument(actorOf("acme"), adjustment)).rejects.toEqual(notFoundError);
  });
});

describe("document language", () => {
  it("?lang= picks ko, zh or en; anything else is the reader's own language", () => {
    expect(printLanguage("zh", "ko")).toBe("zh");
    expect(printLanguage("en", "zh")).toBe("en");
    for (const bad of [undefined, "", "fr", "KO", ["zh"]]) expect(printLanguage(bad, "zh")).toBe("zh");
  });

  it("the translator reads the chosen language's catalogue, whatever the request's", async () => {
    for (const [lang, words] of [["ko", ko], ["zh", zh], ["en", en]] as const) {
      const t = await printTranslator(lang);
      expect(t("print.titles.transfer")).toBe(words.titles.transfer);
      expect(t("print.link", { title: t("print.titles.outbound") })).toBe(words.link.replace("{title}", words.titles.outbound));
    }
  });
});

async function itemIdOf(sku: string): Promise<string | undefined> {
  const page = await listItems(as("manager"), { q: sku, sort: "sku", page: 1, limit: 5 });
  return page.data.find((i) => i.sku === sku)?.id;
}
