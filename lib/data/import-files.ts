import "server-only";
import type { Actor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { seoulToday } from "@/lib/export/values";
import { contentDisposition } from "@/lib/http/content-disposition";
import { countSheetWorkbook, errorReportStream, templateWorkbook, XLSX_TYPE } from "@/lib/imports/workbooks";
import { IMPORT_WORDS } from "@/lib/imports/words";
import { listCustomers } from "./customers";
import { listEngines } from "./engines";
import { allImportRows, countSheetRows, getImport, mayImport, type ImportKind } from "./imports";

// The spreadsheets imports hand out, as responses.

function xlsxResponse(body: BodyInit, fileName: string): Response {
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": contentDisposition(fileName), "Cache-Control": "private, no-store" },
  });
}

/** The template of a kind; for a stocktake with a warehouse, that warehouse's count sheet. */
export async function templateResponse(actor: Actor, kind: ImportKind, locationId?: string): Promise<Response> {
  if (!mayImport(actor.role, kind)) throw new AppError("forbidden", "You are not allowed to do this");
  const words = IMPORT_WORDS[actor.locale];
  // Seoul's date, as the list exports are named: a count sheet made at 08:00 in Seoul is today's, not UTC's yesterday.
  const stamp = seoulToday();
  if (kind === "stocktake" && locationId) {
    const bytes = await countSheetWorkbook(actor.locale, countSheetRows(actor.caller, locationId));
    return xlsxResponse(bytes as Uint8Array<ArrayBuffer>, `${words.kinds.stocktake}-${stamp}.xlsx`);
  }
  const [engines, customers] = await Promise.all([
    listEngines(actor.caller, { active: true, page: 1, limit: 100 }),
    listCustomers(actor.caller, { active: true, page: 1, limit: 100 }),
  ]);
  const bytes = await templateWorkbook(kind, actor.locale, {
    engines: engines.data.map((e) => e.code),
    customers: customers.data.map((c) => c.code),
  });
  return xlsxResponse(bytes as Uint8Array<ArrayBuffer>, `${words.kinds[kind]}.xlsx`);
}

/** The error report of one of the user's imports. */
export async function errorReportResponse(actor: Actor, id: string): Promise<Response> {
  const record = await getImport(actor.caller, id);
  const words = IMPORT_WORDS[actor.locale];
  const base = record.file_name.replace(/\.[^.]+$/, "");
  return xlsxResponse(errorReportStream(record, actor.locale, allImportRows(actor.caller, id)), `${base}-${words.report.fileName}.xlsx`);
}
