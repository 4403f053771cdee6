import { describe, expect, it } from "vitest";
import { checkAnnounced, checkFile, cleanFileName, kindOfName, MAX_FILE_BYTES, sniff, zipEntryNames } from "@/lib/storage/file-type";
import { assertStoragePath } from "@/lib/storage/types";
import { pdfOfSize, samples, zip } from "../helpers/files";

// Content checks of uploads: magic bytes, names and declared types must agree; everything else
// is refused with a message a person can act on.

const GOOD = [
  { kind: "pdf", bytes: samples.pdf(), name: "report.pdf", mime: "application/pdf" },
  { kind: "jpeg", bytes: samples.jpeg(), name: "photo.JPG", mime: "image/jpeg" },
  { kind: "jpeg", bytes: samples.jpeg(), name: "photo.jpeg", mime: "image/jpeg" },
  { kind: "png", bytes: samples.png(), name: "shot.png", mime: "image/png" },
  { kind: "webp", bytes: samples.webp(), name: "shot.webp", mime: "image/webp" },
  { kind: "xlsx", bytes: samples.xlsx(), name: "packing list.xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
] as const;

describe("sniff: magic bytes", () => {
  it.each(GOOD)("recognises $kind ($name)", async ({ bytes, kind }) => {
    expect(await sniff(bytes)).toBe(kind);
  });

  it.each([
    ["a Windows executable", samples.exe()],
    ["a shell script", samples.script()],
    ["HTML", samples.html()],
    ["a Word document (ZIP without a workbook)", samples.docx()],
    ["a plain ZIP", zip({ "a.txt": "hello" })],
    ["a truncated ZIP header", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])],
    ["a RIFF that is not WebP (WAV)", new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")],
    ["empty bytes", new Uint8Array(0)],
    ["two bytes of a JPEG", new Uint8Array([0xff, 0xd8])],
  ])("refuses %s", async (_label, bytes) => {
    expect(await sniff(bytes)).toBeNull();
  });

  it("reads the entries of a ZIP from its central directory, and rejects garbage", async () => {
    expect(zipEntryNames(samples.xlsx())).toContain("xl/workbook.xml");
    expect(zipEntryNames(new TextEncoder().encode("PK\x03\x04 not really a zip"))).toBeNull();
  });
});

describe("checkFile: content, name and declared type agree", () => {
  it.each(GOOD)("accepts $name declared as $mime, and with no declared type", async ({ bytes, name, mime, kind }) => {
    expect(await checkFile({ bytes, fileName: name, declaredType: mime })).toEqual({ ok: true, kind, mime });
    expect(await checkFile({ bytes, fileName: name, declaredType: "" })).toMatchObject({ ok: true, kind });
    expect(await checkFile({ bytes, fileName: name, declaredType: "application/octet-stream" })).toMatchObject({ ok: true, kind });
  });

  it("refuses an executable named .pdf and declared as a PDF", async () => {
    const r = await checkFile({ bytes: samples.exe(), fileName: "invoice.pdf", declaredType: "application/pdf" });
    expect(r).toEqual({ ok: false, message: expect.stringContaining("not a PDF, JPEG, PNG, WebP or XLSX"), reason: "type" });
  });

  it("refuses a script named .pdf, an HTML page named .png, a .docx named .xlsx", async () => {
    expect((await checkFile({ bytes: samples.script(), fileName: "a.pdf" })).ok).toBe(false);
    expect((await checkFile({ bytes: samples.html(), fileName: "a.png", declaredType: "image/png" })).ok).toBe(false);
    expect((await checkFile({ bytes: samples.docx(), fileName: "a.xlsx" })).ok).toBe(false);
  });

  it("refuses a real PDF under an image name, and a real PNG under a .pdf name", async () => {
    expect(await checkFile({ bytes: samples.pdf(), fileName: "photo.jpg" })).toEqual({
      ok: false,
      message: "The file is named .jpg but its content is PDF",
      reason: "type",
    });
    expect((await checkFile({ bytes: samples.png(), fileName: "report.pdf" })).ok).toBe(false);
  });

  it("refuses a declared type that disagrees with the content", async () => {
    const r = await checkFile({ bytes: samples.pdf(), fileName: "r.pdf", declaredType: "image/png" });
    expect(r).toEqual({ ok: false, message: expect.stringContaining("does not match"), reason: "type" });
    expect((await checkFile({ bytes: samples.pdf(), fileName: "r.pdf", declaredType: "application/x-msdownload" })).ok).toBe(false);
  });

  it("refuses names without an accepted extension, even with good content", async () => {
    for (const name of ["report", "report.exe", "report.pdf.exe", "report.html", "report.pdf/"]) {
      expect((await checkFile({ bytes: samples.pdf(), fileName: name })).ok, name).toBe(false);
    }
    expect(kindOfName("x.PdF")).toBe("pdf");
    expect(kindOfName("x.gif")).toBeNull();
  });

  it("refuses empty files and files over 20 MB; 20 MB exactly is fine", async () => {
    expect(await checkFile({ bytes: new Uint8Array(0), fileName: "a.pdf" })).toEqual({ ok: false, message: "The file is empty", reason: "empty" });
    expect(await checkFile({ bytes: pdfOfSize(MAX_FILE_BYTES + 1), fileName: "a.pdf" })).toEqual({
      ok: false,
      message: "Files can be at most 20 MB",
      reason: "too_large",
    });
    expect((await checkFile({ bytes: pdfOfSize(MAX_FILE_BYTES), fileName: "a.pdf" })).ok).toBe(true);
  });
});

describe("names and paths", () => {
  it("keeps only the last path segment of a file name, without control characters", () => {
    expect(cleanFileName("C:\\Users\\me\\report.pdf")).toBe("report.pdf");
    expect(cleanFileName("../../etc/passwd.pdf")).toBe("passwd.pdf");
    expect(cleanFileName("a\u0000b\r\n.pdf")).toBe("ab.pdf");
    expect(cleanFileName("검사 보고서.pdf")).toBe("검사 보고서.pdf");
    const long = cleanFileName(`${"x".repeat(300)}.xlsx`);
    expect(long).toHaveLength(255);
    expect(long.endsWith(".xlsx")).toBe(true);
  });

  it("accepts only the storage paths we generate", () => {
    const ok = "c0000000-0000-4000-8000-000000000001/0b1f8b1c-1111-4222-8333-444455556666";
    expect(() => assertStoragePath(ok)).not.toThrow();
    for (const bad of [`../${ok}`, `${ok}/..`, "c0000000-0000-4000-8000-000000000001/../x", "/etc/passwd", ok.toUpperCase(), ""]) {
      expect(() => assertStoragePath(bad), bad).toThrow();
    }
  });
});

describe("checkAnnounced: a direct upload's name, type and size before the bytes exist", () => {
  it.each(GOOD)("accepts $name announced as $mime, or with no type", async ({ name, mime, kind }) => {
    expect(checkAnnounced({ fileName: name, declaredType: mime, size: 1000 })).toEqual({ ok: true, kind, mime });
    expect(checkAnnounced({ fileName: name, declaredType: "", size: 1000 })).toEqual({ ok: true, kind, mime });
    expect(checkAnnounced({ fileName: name, declaredType: "application/octet-stream", size: MAX_FILE_BYTES }).ok).toBe(true);
  });

  it("refuses an empty or too large file, a name of no accepted type, a type the name contradicts", async () => {
    expect(checkAnnounced({ fileName: "a.pdf", size: 0 })).toEqual({ ok: false, message: "The file is empty", reason: "empty" });
    expect(checkAnnounced({ fileName: "a.pdf", size: MAX_FILE_BYTES + 1 })).toEqual({ ok: false, message: "Files can be at most 20 MB", reason: "too_large" });
    expect(checkAnnounced({ fileName: "setup.exe", size: 10 }).ok).toBe(false);
    expect(checkAnnounced({ fileName: "report", size: 10 }).ok).toBe(false);
    const mismatch = checkAnnounced({ fileName: "report.pdf", declaredType: "image/png", size: 10 });
    expect(mismatch).toEqual({ ok: false, message: "The declared type image/png does not match the file name (.pdf)", reason: "type" });
    expect(checkAnnounced({ fileName: "report.pdf", declaredType: "application/x-msdownload", size: 10 }).ok).toBe(false);
  });
});
