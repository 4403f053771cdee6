import "server-only";
import { PassThrough, Readable } from "node:stream";
import type { Actor } from "@/lib/auth";
import { copyOut } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { loadMessages } from "@/lib/i18n/messages";
import { log } from "@/lib/log";
import type { Column } from "./columns";
import type { ExportSpec } from "./spec";
import { seoulToday } from "./values";
import { copyTextToSheet } from "./copy-sheet";
import { csvHeader, csvWriter, xlsxWriter, type ExportFormat, type FileWriter, type Row, type WriterInput } from "./writers";
import { XlsxSheetWriter } from "./xlsx";
import type { TextBatch } from "@/lib/data/exports";
import enTime from "@/messages/en/time.json";
import koTime from "@/messages/ko/time.json";
import zhTime from "@/messages/zh/time.json";

const ZONED_COLUMN = { ko: koTime.column, zh: zhTime.column, en: enTime.column } as const;

// Streams a list as a file: the first batch is read before the response starts, so a refusal or
// a bad filter is still a JSON error; after that each batch is written as it arrives, waiting
// for the client whenever the stream is full, so memory stays at about one batch.

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** `?format=`: undefined when absent, else xlsx or csv (anything else is a 400). */
export function exportFormat(url: URL): ExportFormat | undefined {
  const format = url.searchParams.get("format");
  if (format === null) return undefined;
  if (format === "xlsx" || format === "csv") return format;
  throw new AppError("bad_request", "format must be xlsx or csv", [{ path: "format", message: "Choose xlsx or csv" }]);
}

/** attachment; filename="…"; filename*=UTF-8''… (RFC 6266 / 5987: ASCII fallback, exact name for all). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A catalogue entry (`flows.statuses`) of the messages, as code -> word (empty when absent). */
function entry(messages: Record<string, unknown>, path: string): Record<string, string> {
  let node: unknown = messages;
  for (const key of path.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  if (!node || typeof node !== "object") return {};
  return Object.fromEntries(Object.entries(node).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The header words and the words for yes, no and every coded column, in the user's language. */
async function fileWords(actor: Actor, columns: readonly Column[]) {
  const messages = await loadMessages(actor.locale);
  const exports = messages.exports as { yes: string; no: string; columns: Record<string, string> };
  const catalogues = [...new Set(columns.flatMap((c) => (c.labels ? [c.labels] : [])))];
  const labels = Object.fromEntries(catalogues.map((path) => [path, entry(messages, path)]));
  return { words: { yes: exports.yes, no: exports.no, labels }, headers: exports.columns, entry: (path: string) => entry(messages, path) };
}

function zonedHeader(header: string, locale: Actor["locale"]): string {
  return ZONED_COLUMN[locale].replace("{header}", header);
}

/** Resolves when the stream can take more, or false when the client has gone. */
function drained(out: PassThrough): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  if (!out.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    out.once("drain", onDrain);
    out.once("close", onClose);
  });
}

type Batches = AsyncGenerator<Row[]> | AsyncGenerator<TextBatch>;

async function pump(writer: FileWriter, first: IteratorResult<Row[] | TextBatch>, rest: Batches, out: PassThrough, list: string) {
  const write = (b: Row[] | TextBatch) => (Array.isArray(b) ? writer.rows(b) : writer.text(b.text, b.count));
  try {
    if (!first.done) await write(first.value);
    for (let batch = first.done ? first : await rest.next(); !batch.done; batch = await rest.next()) {
      if (!(await drained(out))) {
        await rest.return(undefined);
        return;
      }
      await write(batch.value);
    }
    await writer.end();
  } catch (error) {
    // Too late for a status code: the client sees a cut-off download, the server logs why.
    log.error("export.failed", { list, error: error instanceof Error ? error.message : String(error) });
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

export async function exportResponse<Q>(spec: ExportSpec<Q>, format: ExportFormat, actor: Actor, query: Q): Promise<Response> {
  const columns = typeof spec.columns === "function" ? spec.columns(actor) : spec.columns;
  const { words, headers, entry: catalogue } = await fileWords(actor, columns);
  // A column of times says its zone once, in its header: the cells are Korea's wall time.
  const labels = columns.map((c) => (c.type === "datetime" ? zonedHeader(headers[c.key] ?? c.key, actor.locale) : (headers[c.key] ?? c.key)));
  if (spec.copy) {
    // CSV is COPY's own; XLSX reads COPY's text format, cheaper to split than its CSV.
    const copied = await copyOut(spec.copy(actor, query, catalogue, format), actor.caller, COPY_TIMEOUT_MS, format === "csv" ? "csv" : "text");
    if (copied) {
      if (format === "csv") return fileResponse(spec.list, format, csvFromCopy(copied, labels, spec.list));
      return fileResponse(spec.list, format, xlsxFromCopy(copied, { sheet: spec.list, columns, labels, words }, spec.list));
    }
  }
  const batches: Batches = spec.text ? spec.text(actor, query, format, catalogue) : spec.rows(actor, query);
  const first = await batches.next();
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const input = { out, sheet: spec.list, columns, labels, words };
  const writer = format === "xlsx" ? xlsxWriter(input) : csvWriter(input);
  void pump(writer, first, batches, out, spec.list);
  return fileResponse(spec.list, format, out);
}

function fileResponse(list: string, format: ExportFormat, body: PassThrough): Response {
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": contentDisposition(`${list}-${seoulToday()}.${format}`),
    },
  });
}

/** The worksheet from COPY's text lines as they come, at the client's pace. */
function xlsxFromCopy(copied: Readable, input: Omit<WriterInput, "out">, list: string): PassThrough {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  // The client went away: the COPY and its connection end with it, and the writer stops.
  out.on("close", () => copied.destroy());
  const book = new XlsxSheetWriter({ out, sheet: input.sheet, columns: input.columns, labels: input.labels });
  copyTextToSheet(copied, book, input.columns, input.words).catch((error: unknown) => {
    if (out.destroyed) return;
    log.error("export.failed", { list, error: error instanceof Error ? error.message : String(error) });
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

/** How long one COPY export may run on the server (a whole list, not one call). */
const COPY_TIMEOUT_MS = 10 * 60 * 1000;

/** The byte order mark and header, then COPY's CSV bytes as they come (the client's pace). */
function csvFromCopy(copied: Readable, labels: string[], list: string): PassThrough {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  out.write(csvHeader(labels));
  copied.on("error", (error) => {
    log.error("export.failed", { list, error: error.message });
    out.destroy(error);
  });
  // The client went away: the COPY and its connection end with it.
  out.on("close", () => copied.destroy());
  copied.pipe(out);
  return out;
}
