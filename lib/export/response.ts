import "server-only";
import { PassThrough, Readable } from "node:stream";
import type { Actor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { loadMessages } from "@/lib/i18n/messages";
import { log } from "@/lib/log";
import type { ExportSpec } from "./spec";
import { seoulToday } from "./values";
import { csvWriter, xlsxWriter, type ExportFormat, type FileWriter, type Row } from "./writers";

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

async function headerWords(actor: Actor) {
  const messages = (await loadMessages(actor.locale)).exports as { yes: string; no: string; columns: Record<string, string> };
  return messages;
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

async function pump(writer: FileWriter, first: Row[], rest: AsyncGenerator<Row[]>, out: PassThrough, list: string) {
  try {
    writer.rows(first);
    for (let batch = await rest.next(); !batch.done; batch = await rest.next()) {
      if (!(await drained(out))) {
        await rest.return(undefined);
        return;
      }
      writer.rows(batch.value);
    }
    await writer.end();
  } catch (error) {
    // Too late for a status code: the client sees a cut-off download, the server logs why.
    log.error("export.failed", { list, error: error instanceof Error ? error.message : String(error) });
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

export async function exportResponse<Q>(spec: ExportSpec<Q>, format: ExportFormat, actor: Actor, query: Q): Promise<Response> {
  const batches = spec.rows(actor, query);
  const first = await batches.next();
  const columns = typeof spec.columns === "function" ? spec.columns(actor) : spec.columns;
  const words = await headerWords(actor);
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const input = { out, sheet: spec.list, columns, labels: columns.map((c) => words.columns[c.key] ?? c.key), words };
  const writer = format === "xlsx" ? xlsxWriter(input) : csvWriter(input);
  void pump(writer, first.done ? [] : first.value, batches, out, spec.list);
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": contentDisposition(`${spec.list}-${seoulToday()}.${format}`),
    },
  });
}
