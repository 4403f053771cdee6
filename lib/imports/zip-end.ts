import type { Readable, Writable } from "node:stream";

// exceljs's streaming reader (4.4) reads the workbook's zip through unzipper's Parse (0.10), which
// emits "end" by hand as soon as it has parsed the last byte of the file, while entries it has
// parsed may still wait in its readable buffer: the reader pauses the zip while it handles an
// entry (a worksheet met before the shared strings is copied to a temporary file). exceljs stops
// at that "end" and drops the waiting entries, the workbook part among them, and then fails on a
// sheet with "Cannot read properties of undefined (reading 'sheets')". Small files hit it a few
// times in a thousand on a busy machine; the import said "The workbook could not be read".
//
// The stream's own "end" comes after push(null), once every buffered entry has been read, and
// is the only one let through: Node marks the stream `readableEnded` just before emitting it.

/** The input for a WorkbookReader: the zip parser it is piped into ends only after its last entry. */
export function endAfterLastEntry<S extends Readable>(input: S): S {
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const zip = destination as unknown as Writable & Readable;
    const emit = zip.emit.bind(zip);
    zip.emit = ((event: string | symbol, ...args: unknown[]) =>
      event === "end" && !zip.readableEnded ? false : emit(event, ...args)) as typeof zip.emit;
    return pipe(destination, options);
  };
  return input;
}
