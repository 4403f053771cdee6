import { createInflateRaw } from "node:zlib";
import type { ZipEntry } from "@/lib/storage/file-type";

// What a workbook's parts really inflate to. The central directory's sizes are whatever the file
// says: a zip bomb states a few kilobytes and inflates to gigabytes, which exceljs (unzipper)
// would then inflate and parse without limit. Each deflated part is inflated here once, counted
// and thrown away, and stopped as soon as it passes its stated size or the budget left.

/** How many bytes `data` inflates to, counting no further than just past `limit`. */
function inflatedLength(data: Uint8Array, limit: number): Promise<number> {
  return new Promise((resolve) => {
    const z = createInflateRaw();
    let n = 0;
    z.on("data", (chunk: Buffer) => {
      n += chunk.length;
      if (n > limit) {
        z.destroy();
        resolve(n);
      }
    });
    z.on("end", () => resolve(n));
    // A broken stream is not a bomb: exceljs refuses it as unreadable.
    z.on("error", () => resolve(n));
    z.end(data);
  });
}

/** Whether every part inflates to no more than its stated size and all together to at most `max` bytes. */
export async function inflatesWithin(bytes: Uint8Array, entries: ZipEntry[], max: number): Promise<boolean> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const e of entries) {
    // Stored parts are as large as their bytes in the file; other methods exceljs cannot read.
    if (e.method !== 8) continue;
    if (e.offset + 30 > bytes.length || view.getUint32(e.offset, true) !== 0x04034b50) continue;
    const start = e.offset + 30 + view.getUint16(e.offset + 26, true) + view.getUint16(e.offset + 28, true);
    const limit = Math.min(e.size, max - total);
    const n = await inflatedLength(bytes.subarray(start, start + e.compressedSize), limit);
    if (n > limit) return false;
    total += n;
  }
  return true;
}
