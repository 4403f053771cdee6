import { deflateSync } from "node:zlib";

// Small, valid files for the demo data's attachments, generated in code (the seed carries no
// binaries). Deterministic: the same arguments always give the same bytes, so a file written
// again after it went missing matches the size and SHA-256 its attachment row recorded.

const ascii = (s: string) => Buffer.from(s, "latin1");

/** PDF string literal: only printable ASCII, with ( ) \ escaped. */
function pdfText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?").replace(/([()\\])/g, "\\$1");
}

/**
 * A one-page A4 PDF: a title and lines of text in Helvetica, with a correct cross-reference
 * table (every offset computed), so viewers open it without repairing it.
 */
export function onePagePdf(title: string, lines: string[]): Uint8Array {
  const text = [
    "BT /F1 18 Tf 56 780 Td",
    `(${pdfText(title)}) Tj`,
    "/F1 11 Tf 0 -30 Td 14 TL",
    ...lines.map((l) => `(${pdfText(l)}) '`),
    "ET",
    // A rule under the title.
    "0.2 0.4 0.7 RG 1 w 56 770 m 539 770 l S",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${ascii(text).length} >>\nstream\n${text}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(ascii(out).length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = ascii(out).length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(ascii(out));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export type Rgb = readonly [number, number, number];

/**
 * An RGB PNG "photo": a vertical gradient from `top` to `bottom` with a darker box in the middle
 * (a stand-in for the product), valid to any decoder (IHDR, zlib IDAT with CRCs, IEND).
 */
export function photoPng(width: number, height: number, top: Rgb, bottom: Rgb): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    const f = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      const inBox = x > width / 4 && x < (width * 3) / 4 && y > height / 3 && y < (height * 5) / 6;
      for (let ch = 0; ch < 3; ch++) {
        const v = Math.round(top[ch] + (bottom[ch] - top[ch]) * f);
        raw[row + 1 + x * 3 + ch] = inBox ? Math.round(v * 0.45) : v;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([signature, pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(raw, { level: 9 })), pngChunk("IEND", new Uint8Array(0))]),
  );
}
