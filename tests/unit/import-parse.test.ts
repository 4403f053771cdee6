import { Readable } from "node:stream";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { cellText } from "@/lib/imports/cells";
import { detectEncoding } from "@/lib/imports/decode";
import { detectMapping } from "@/lib/imports/mapping";
import { MAX_INFLATED_BYTES, parseImportFile } from "@/lib/imports/parse";
import { endAfterLastEntry } from "@/lib/imports/zip-end";
import { zipEntries } from "@/lib/storage/file-type";
import { xlsxOf as xlsx } from "../helpers/sheets";

// Parsing and mapping on real files made here: XLSX written by exceljs, CSV in each encoding.


const refusal = (reason: string, code = "validation_failed") =>
  expect.objectContaining({ name: "AppError", code, details: expect.objectContaining({ reason }) });

/** A one-entry ZIP whose central directory is written by hand (sizes as given). */
function zipWith(entries: { name: string; data: Buffer; size?: number; flags?: number }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = deflateRawSync(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.size ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.size ?? e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

/** The parts of a ZIP as written (names and inflated bytes), to build a variant with zipWith. */
function partsOf(bytes: Uint8Array): { name: string; data: Buffer }[] {
  const b = Buffer.from(bytes);
  return (zipEntries(bytes) ?? []).map((e) => {
    const start = e.offset + 30 + b.readUInt16LE(e.offset + 26) + b.readUInt16LE(e.offset + 28);
    const raw = b.subarray(start, start + e.compressedSize);
    return { name: e.name, data: e.method === 8 ? inflateRawSync(raw) : raw };
  });
}

describe("cell text", () => {
  it("folds full-width digits, trims, keeps numbers exact and dates as days", () => {
    expect(cellText("  １２  ")).toBe("12");
    expect(cellText("\u3000ＡＢＣ－１")).toBe("ABC-1");
    expect(cellText(12345)).toBe("12345");
    expect(cellText(0.1 + 0.2)).toBe("0.3");
    expect(cellText(1e21)).toBe("1000000000000000000000");
    expect(cellText(new Date(Date.UTC(2026, 0, 5)))).toBe("2026-01-05");
    expect(cellText({ formula: "A1*2", result: 6 })).toBe("6");
    expect(cellText({ sharedFormula: "A1", result: "x" })).toBe("x");
    expect(cellText({ richText: [{ text: "가" }, { text: "나 " }] })).toBe("가나");
    expect(cellText("   ")).toBeNull();
    expect(cellText(null)).toBeNull();
  });
});

describe("column mapping", () => {
  it("finds fields from Korean, Chinese and English headers and synonyms", () => {
    expect(detectMapping("inbound", ["No.", "품번", "品名", "数量", "비고"])).toEqual({ sku: 1, name: 2, qty: 3 });
    expect(detectMapping("outbound", ["货号", "Q'ty"])).toEqual({ sku: 0, qty: 1 });
    expect(detectMapping("items", ["SKU", "한글명", "中文名", "English name", "Unit", "사업부문", "Reorder point", "单价", "Barcode", "고객사", "사용"])).toEqual({
      sku: 0, name_ko: 1, name_zh: 2, name_en: 3, unit: 4, engine_code: 5, reorder_point: 6, unit_cost: 7, barcode: 8, customer_code: 9, active: 10,
    });
  });

  it("a remembered choice wins where its header is present; each column serves one field", () => {
    expect(detectMapping("inbound", ["품번", "수량", "실제 수량"], { qty: "실제 수량" })).toEqual({ sku: 0, qty: 2 });
    expect(detectMapping("inbound", ["품번", "수량"], { qty: "gone" })).toEqual({ sku: 0, qty: 1 });
    expect(detectMapping("inbound", ["수량", "수량"])).toEqual({ qty: 0 });
  });
});

describe("CSV encodings", () => {
  const korean = "품번,품명,수량\nLCD-24-FHD,24인치 모니터,10\nKEYB-MX-RED,기계식 키보드,3\n";
  const chinese = "货号,品名,数量\nLCD-24-FHD,全高清显示器,10\nKEYB-MX-RED,机械键盘红轴,3\n";

  it.each([
    ["UTF-8", Buffer.from(korean, "utf8"), "utf-8"],
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(korean, "utf8")]), "utf-8"],
    ["CP949", iconv.encode(korean, "cp949"), "cp949"],
    ["EUC-KR", iconv.encode(korean, "euc-kr"), "cp949"],
  ])("%s Korean is read", async (_label, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
    const parsed = await parseImportFile({ bytes, fileName: "packing.csv", kind: "inbound" });
    expect(parsed.headers).toEqual(["품번", "품명", "수량"]);
    expect(parsed.rows[0]).toEqual({ row_no: 2, cells: ["LCD-24-FHD", "24인치 모니터", "10"] });
    expect(parsed.mapping).toEqual({ sku: 0, name: 1, qty: 2 });
  });

  it.each([
    ["GBK", iconv.encode(chinese, "gbk"), "gb18030"],
    ["GB18030", iconv.encode(chinese, "gb18030"), "gb18030"],
  ])("%s Chinese is read", async (_label, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
    const parsed = await parseImportFile({ bytes, fileName: "packing.csv", kind: "inbound" });
    expect(parsed.headers).toEqual(["货号", "品名", "数量"]);
    expect(parsed.rows[1].cells).toEqual(["KEYB-MX-RED", "机械键盘红轴", "3"]);
  });

  it("semicolons, quoted thousands, blank lines and a title above the header", async () => {
    const text = "Packing list 2026-01\n\n\"SKU\";\"Qty\"\n\"LCD-24-FHD\";\"1,200\"\n;\n  KEYB-FELT ; ２ \n";
    const parsed = await parseImportFile({ bytes: Buffer.from(text), fileName: "p.csv", kind: "inbound" });
    expect(parsed.headerRow).toBe(3);
    expect(parsed.rows).toEqual([
      { row_no: 4, cells: ["LCD-24-FHD", "1,200"] },
      { row_no: 6, cells: ["KEYB-FELT", "2"] },
    ]);
  });
});

describe("XLSX", () => {
  it("messy sheets: title and merged group header above, blank rows and columns, formulas, numbers as SKUs, dates", async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet("설명").addRow(["이 시트는 설명입니다"]);
      const ws = wb.addWorksheet("입고");
      ws.addRow(["입고 예정표"]);
      ws.addRow(["품목 정보", null, null, "수량 정보"]);
      ws.mergeCells("A2:C2");
      ws.addRow(["품번", null, "품명", "수량", "입고일"]);
      ws.addRow([]);
      ws.addRow([880100, null, "모니터", { formula: "2*6", result: 12 }, new Date(Date.UTC(2026, 2, 1))]);
      ws.addRow([" LCD-27-QHD ", null, null, "１,０００", "2026-03-02"]);
    });
    const parsed = await parseImportFile({ bytes, fileName: "in.xlsx", kind: "inbound", sheet: "입고" });
    expect(parsed).toMatchObject({ format: "xlsx", sheets: ["설명", "입고"], sheetName: "입고", headerRow: 3 });
    expect(parsed.headers).toEqual(["품번", null, "품명", "수량", "입고일"]);
    expect(parsed.mapping).toEqual({ sku: 0, name: 2, qty: 3 });
    expect(parsed.rows).toEqual([
      { row_no: 5, cells: ["880100", null, "모니터", "12", "2026-03-01"] },
      { row_no: 6, cells: ["LCD-27-QHD", null, null, "1,000", "2026-03-02"] },
    ]);
  });

  it("the first sheet unless one is named; an unknown sheet is refused with the list", async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet("A").addRows([["SKU", "Qty"], ["X-1", 1]]);
      wb.addWorksheet("B").addRows([["SKU", "Qty"], ["Y-1", 2]]);
    });
    expect((await parseImportFile({ bytes, fileName: "s.xlsx", kind: "outbound" })).rows[0].cells).toEqual(["X-1", "1"]);
    expect((await parseImportFile({ bytes, fileName: "s.xlsx", kind: "outbound", sheet: "B" })).rows[0].cells).toEqual(["Y-1", "2"]);
    await expect(parseImportFile({ bytes, fileName: "s.xlsx", kind: "outbound", sheet: "C" })).rejects.toThrow(refusal("sheet_not_found"));
  });

  it("more than 50,000 rows are refused; 50,000 are read", async () => {
    const make = (n: number) => xlsx((wb) => {
      const ws = wb.addWorksheet("S");
      ws.addRow(["SKU", "Qty"]);
      for (let i = 0; i < n; i++) ws.addRow([`S-${i}`, 1]);
    });
    expect((await parseImportFile({ bytes: await make(50_000), fileName: "ok.xlsx", kind: "outbound" })).rows).toHaveLength(50_000);
    await expect(parseImportFile({ bytes: await make(50_001), fileName: "big.xlsx", kind: "outbound" })).rejects.toThrow(refusal("too_many_rows"));
  }, 120_000);
});

describe("refusals", () => {
  it("not a spreadsheet: a PDF, a ZIP without a workbook, a binary named .csv", async () => {
    await expect(parseImportFile({ bytes: Buffer.from("%PDF-1.4 ..."), fileName: "a.pdf", kind: "items" }))
      .rejects.toThrow(refusal("not_spreadsheet", "unsupported_media_type"));
    await expect(parseImportFile({ bytes: zipWith([{ name: "a.txt", data: Buffer.from("hi") }]), fileName: "a.xlsx", kind: "items" }))
      .rejects.toThrow(refusal("not_spreadsheet", "unsupported_media_type"));
    await expect(parseImportFile({ bytes: new Uint8Array([1, 2, 0, 4, 5]), fileName: "a.csv", kind: "items" }))
      .rejects.toThrow(refusal("not_spreadsheet", "unsupported_media_type"));
    await expect(parseImportFile({ bytes: new Uint8Array(0), fileName: "a.csv", kind: "items" })).rejects.toThrow(refusal("empty"));
  });

  it("encrypted workbooks (an OLE file holding EncryptedPackage, or encrypted ZIP entries) and legacy .xls", async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from("EncryptedPackage", "utf16le").copy(ole, 1024);
    await expect(parseImportFile({ bytes: ole, fileName: "secret.xlsx", kind: "items" })).rejects.toThrow(refusal("encrypted"));
    const xls = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(xls);
    await expect(parseImportFile({ bytes: xls, fileName: "old.xls", kind: "items" })).rejects.toThrow(refusal("legacy_xls", "unsupported_media_type"));
    const zip = zipWith([{ name: "xl/workbook.xml", data: Buffer.from("<x/>"), flags: 1 }]);
    await expect(parseImportFile({ bytes: zip, fileName: "z.xlsx", kind: "items" })).rejects.toThrow(refusal("encrypted"));
  });

  it("a workbook that inflates beyond a sane size (zip bomb) is refused before it is read", async () => {
    const bomb = zipWith([
      { name: "xl/workbook.xml", data: Buffer.from("<x/>") },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(1024 * 1024), size: MAX_INFLATED_BYTES },
    ]);
    expect(bomb.length).toBeLessThan(10_000);
    await expect(parseImportFile({ bytes: bomb, fileName: "bomb.xlsx", kind: "items" })).rejects.toThrow(refusal("zip_bomb"));
  });

  it("a workbook whose parts inflate far past the sizes they state (a lying zip bomb) is refused before exceljs reads it", async () => {
    const real = await xlsx((wb) => wb.addWorksheet("S").addRows([["SKU", "Qty"], ["A-1", 1]]));
    const parts = partsOf(real);
    // The same workbook rebuilt part by part is read: the refusal below is about the one part.
    expect((await parseImportFile({ bytes: zipWith(parts), fileName: "same.xlsx", kind: "outbound" })).rows[0].cells).toEqual(["A-1", "1"]);
    const ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const huge = Buffer.from(
      `<?xml version="1.0"?><worksheet xmlns="${ns}"><sheetData><row r="1">${cell("A1", "SKU")}</row>` +
        `<row r="2">${cell("A2", "A".repeat(64 * 1024 * 1024))}</row></sheetData></worksheet>`,
    );
    // 64 MB stated as 4 KB: the stated sizes add up to far below the limit.
    const bomb = zipWith(parts.map((p) => (p.name === "xl/worksheets/sheet1.xml" ? { ...p, data: huge, size: 4096 } : p)));
    expect(bomb.length).toBeLessThan(200_000);
    expect(zipEntries(bomb)!.reduce((sum, e) => sum + e.size, 0)).toBeLessThan(MAX_INFLATED_BYTES);
    await expect(parseImportFile({ bytes: bomb, fileName: "bomb.xlsx", kind: "outbound" })).rejects.toThrow(refusal("zip_bomb"));
  });

  it("a sheet with a header and no rows", async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet("S").addRow(["SKU", "Qty"]));
    await expect(parseImportFile({ bytes, fileName: "e.xlsx", kind: "outbound" })).rejects.toThrow(refusal("no_rows"));
  });
});

describe("XLSX text", () => {
  it("Korean and Chinese text comes back whole, also where its bytes fall across the reader's chunks", async () => {
    // Shared strings and a sheet of well over one chunk, in three-byte characters.
    const long = "가나다라".repeat(8_191) + "마바사";
    const names = Array.from({ length: 3_000 }, (_, i) => [`K-${i}`, `한글 품목 ${i} 中文名称`, "名".repeat(i % 50)]);
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet("S");
      ws.addRows([["SKU", "Name (Korean)", "Name (Chinese)"], ["L-1", long, "中文"], ...names]);
      // Inline text in the sheet itself, not through shared strings.
      ws.getCell("D2").value = { richText: [{ text: "설명 " }, { text: "說明".repeat(5_000) }] };
    });
    const parsed = await parseImportFile({ bytes, fileName: "k.xlsx", kind: "items" });
    expect(parsed.rows[0].cells[1]).toBe(long);
    expect(parsed.rows[0].cells[3]).toBe(`설명 ${"說明".repeat(5_000)}`);
    expect(parsed.rows.slice(1).map((r) => r.cells)).toEqual(names.map(([sku, ko, zh]) => (zh === "" ? [sku, ko] : [sku, ko, zh])));
  }, 60_000);
});

describe("XLSX zip entries", () => {
  // exceljs's reader pauses the zip while it handles an entry; unzipper meanwhile parses the
  // rest of a small file and emitted "end" by hand, and the reader dropped the entries still
  // waiting (lib/imports/zip-end.ts). Handling the first entry slowly, as a busy machine does,
  // makes it happen every time.
  const slowFirstEntry = async (wrap: (input: Readable) => Readable) => {
    const bytes = await xlsx((wb) => wb.addWorksheet("S").addRows([["SKU", "Name"], ["A-1", "첫째"], ["A-2", "둘째"]]));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(wrap(Readable.from(Buffer.from(bytes))), { sharedStrings: "cache", worksheets: "emit", entries: "ignore" });
    const internals = reader as unknown as { _parseRels(entry: unknown): Promise<void> };
    const parseRels = internals._parseRels.bind(reader);
    internals._parseRels = async (entry) => {
      await parseRels(entry);
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const rows: unknown[][] = [];
    try {
      for await (const ws of reader) for await (const row of ws) rows.push((row.values as unknown[]).slice(1));
    } catch (error) {
      return { rows, error: (error as Error).message };
    }
    return { rows, error: null };
  };

  it("the reader left alone loses the entries parsed while it was busy (the defect; if this fails, exceljs has fixed it and zip-end.ts can go)", async () => {
    const read = await slowFirstEntry((input) => input);
    // The sheet came after the slow entry: it never reaches the reader, and nothing says so.
    expect(read).toEqual({ rows: [], error: null });
  });

  it("with endAfterLastEntry it reads every sheet's rows", async () => {
    expect(await slowFirstEntry(endAfterLastEntry)).toEqual({ rows: [["SKU", "Name"], ["A-1", "첫째"], ["A-2", "둘째"]], error: null });
  });
});
