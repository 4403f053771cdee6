// Small, real files of each accepted type (and some that must be refused), built in code so the
// tests carry no binary fixtures.

const enc = (s: string) => new TextEncoder().encode(s);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive with uncompressed entries. */
export function zip(entries: Record<string, string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = enc(name);
    const data = enc(text);
    const crc = crc32(data);
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const central = new Uint8Array(46 + n.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    central.set(n, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const cd = concat(...centrals);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, cd.length, true);
  ev.setUint32(16, offset, true);
  return concat(...locals, cd, end);
}

export const samples = {
  pdf: () => enc("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
  jpeg: () => concat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), enc("JFIF\0"), new Uint8Array([0xff, 0xd9])),
  png: () => concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), enc("\0\0\0\rIHDR")),
  webp: () => concat(enc("RIFF"), new Uint8Array([0x1a, 0, 0, 0]), enc("WEBPVP8 ")),
  xlsx: () =>
    zip({
      "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
      "_rels/.rels": "<Relationships/>",
      "xl/workbook.xml": "<workbook/>",
      "xl/worksheets/sheet1.xml": "<worksheet/>",
    }),
  /** A Word document: a ZIP, an Office file, but not a spreadsheet. */
  docx: () => zip({ "[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>" }),
  /** A Windows executable's header. */
  exe: () => concat(enc("MZ"), new Uint8Array(58), enc("PE\0\0"), new Uint8Array(64)),
  /** A shell script. */
  script: () => enc("#!/bin/sh\nrm -rf /\n"),
  html: () => enc("<html><script>alert(1)</script></html>"),
};

/** A PDF of exactly `size` bytes (valid header, padded). */
export function pdfOfSize(size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(samples.pdf().subarray(0, Math.min(size, 16)));
  return out;
}
