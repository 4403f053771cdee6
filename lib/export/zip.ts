import type { Writable } from "node:stream";
import zlib from "node:zlib";

// A ZIP archive written front to back into a stream, for XLSX files of any length: small parts
// whole, and one part (the worksheet) streamed through deflate with its CRC and sizes in a data
// descriptor after it (general purpose flag bit 3), since they are known only at its end.
// No ZIP64: a worksheet holds at most 1,048,576 rows, far below 4 GiB of XML.

/** CRC-32 (zlib.crc32 where Node has it, 20.15 and later; a table otherwise). */
const nativeCrc = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | undefined;
function crc32(data: Uint8Array, value = 0): number {
  if (nativeCrc) return nativeCrc(data, value);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const UTF8_NAMES = 0x0800;
const DESCRIPTOR = 0x0008;
const DEFLATE = 8;
// 1980-01-01 00:00 in DOS time: the parts carry no meaningful time of their own.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

type Entry = { name: Buffer; crc: number; compressed: number; size: number; offset: number; flags: number };

export class ZipStream {
  private offset = 0;
  private readonly entries: Entry[] = [];

  /** `level`: deflate's 1 (fastest) to 9; the streamed part is most of the file's cost. */
  constructor(
    private readonly out: Writable,
    private readonly level = 6,
  ) {}

  private write(chunk: Buffer): void {
    this.offset += chunk.length;
    this.out.write(chunk);
  }

  private localHeader(e: Entry): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(DEFLATE, 8);
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.compressed, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  /** A small part, compressed whole. */
  file(name: string, content: string): void {
    const data = Buffer.from(content, "utf8");
    const packed = zlib.deflateRawSync(data, { level: this.level });
    const e: Entry = { name: Buffer.from(name, "utf8"), crc: crc32(data), compressed: packed.length, size: data.length, offset: this.offset, flags: UTF8_NAMES };
    this.entries.push(e);
    this.write(this.localHeader(e));
    this.write(packed);
  }

  /**
   * A part written piece by piece. `write` resolves once deflate can take more (backpressure from
   * the stream it feeds); `end` resolves when the part is complete in the output.
   */
  stream(name: string): { write(data: string | Buffer): Promise<void> | undefined; end(): Promise<void> } {
    const e: Entry = { name: Buffer.from(name, "utf8"), crc: 0, compressed: 0, size: 0, offset: this.offset, flags: UTF8_NAMES | DESCRIPTOR };
    this.entries.push(e);
    this.write(this.localHeader(e));
    // Deflate takes up to 4 MB before it asks the writer to wait: it compresses on a worker
    // thread, so with a few buffers queued it works while the writer builds the next ones.
    // (Node's zlib streams take the stream options; its types leave them out.)
    const deflate = zlib.createDeflateRaw({ level: this.level, chunkSize: 64 * 1024, writableHighWaterMark: 4 << 20 } as zlib.ZlibOptions);
    deflate.on("data", (chunk: Buffer) => {
      e.compressed += chunk.length;
      this.write(chunk);
      // The client reads slower than deflate writes: stop deflate until the stream drains.
      if (this.out.writableNeedDrain) {
        deflate.pause();
        this.out.once("drain", () => deflate.resume());
      }
    });
    const failed = new Promise<never>((_, reject) => {
      deflate.once("error", reject);
      // The client went away: nothing will drain again, so the writer stops instead of waiting.
      this.out.once("close", () => reject(new Error("The download was closed before the file was complete")));
    });
    failed.catch(() => undefined);
    return {
      write: (text) => {
        const data = typeof text === "string" ? Buffer.from(text, "utf8") : text;
        e.crc = crc32(data, e.crc);
        e.size += data.length;
        if (this.out.destroyed) return failed;
        if (!deflate.write(data)) return Promise.race([new Promise<void>((r) => deflate.once("drain", r)), failed]);
        return undefined;
      },
      end: async () => {
        await Promise.race([new Promise((r) => deflate.end(r)), failed]);
        if (!deflate.readableEnded) await Promise.race([new Promise((r) => deflate.once("end", r)), failed]);
        const d = Buffer.alloc(16);
        d.writeUInt32LE(0x08074b50, 0);
        d.writeUInt32LE(e.crc, 4);
        d.writeUInt32LE(e.compressed, 8);
        d.writeUInt32LE(e.size, 12);
        this.write(d);
      },
    };
  }

  /** The central directory and its end record; then ends the output stream. */
  finish(): void {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(e.flags, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      this.write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.out.end(end);
  }
}
