import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

// exceljs's streaming reader (4.4) decodes each chunk of a workbook part on its own, so a Korean
// or Chinese character whose UTF-8 bytes fall on a chunk boundary becomes two or three U+FFFD:
// names garbled, cells longer than they are. Its parser passes strings through untouched, so the
// shared strings and the worksheets are handed to it as text decoded across chunk boundaries.

type Chunk = Buffer | string;
type ReaderInternals = {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Chunk>, sheetNo: string): Generator<unknown>;
};

/** The chunks as text, each character whole (a split one is completed from the next chunk). */
export async function* utf8Text(chunks: AsyncIterable<Chunk>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Makes a WorkbookReader read its shared strings and worksheets through `utf8Text`. */
export function decodeAcrossChunks<R extends object>(reader: R): R {
  const internals = reader as unknown as ReaderInternals;
  const sharedStrings = internals._parseSharedStrings.bind(reader);
  const worksheet = internals._parseWorksheet.bind(reader);
  internals._parseSharedStrings = (entry) => sharedStrings(Readable.from(utf8Text(entry as AsyncIterable<Chunk>)));
  internals._parseWorksheet = (iterator, sheetNo) => worksheet(utf8Text(iterator), sheetNo);
  return reader;
}
