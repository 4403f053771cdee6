import { fileTypeFromBuffer } from "file-type";

// What an uploaded file really is. A file is accepted only when its content (magic bytes, read by
// the file-type package), its name's extension and the type the client declared all say the same
// thing, so a renamed executable or a spreadsheet called photo.png never reaches storage. Pure
// code: no I/O.

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export const FILE_TYPES = {
  pdf: { mime: "application/pdf", extensions: ["pdf"], label: "PDF" },
  jpeg: { mime: "image/jpeg", extensions: ["jpg", "jpeg"], label: "JPEG" },
  png: { mime: "image/png", extensions: ["png"], label: "PNG" },
  webp: { mime: "image/webp", extensions: ["webp"], label: "WebP" },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: ["xlsx"], label: "XLSX" },
} as const;

export type FileKind = keyof typeof FILE_TYPES;
export type AcceptedMime = (typeof FILE_TYPES)[FileKind]["mime"];

export const ACCEPTED_LABEL = "PDF, JPEG, PNG, WebP or XLSX";

// Declared types some clients send for these files besides the canonical one.
const MIME_ALIASES: Record<string, FileKind> = { "image/jpg": "jpeg", "image/pjpeg": "jpeg" };
// Declared types that say nothing (curl, some mobile browsers): the content and name decide.
const UNDECLARED = new Set(["", "application/octet-stream"]);

/**
 * An entry of a ZIP archive as its central directory describes it. file-type tells a spreadsheet
 * from other ZIPs by the first entries it meets; the central directory says whether the workbook
 * part is really there, and (for imports) how large the archive inflates and whether it is
 * encrypted, which no sniffing library reports.
 */
export type ZipEntry = {
  name: string;
  compressedSize: number;
  size: number;
  encrypted: boolean;
  /** 0: stored, 8: deflated. */
  method: number;
  /** Where the entry's local header starts. */
  offset: number;
};

/**
 * The entries of a ZIP archive, from its central directory (the end record is found by scanning
 * back over a possible archive comment). Null when it is not a readable ZIP. ZIP64 sizes read as
 * 0xFFFFFFFF: larger than any file here may inflate to.
 */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minEnd = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= minEnd; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) return null;
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      encrypted: (view.getUint16(at + 8, true) & 1) === 1,
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The names of the entries of a ZIP archive, or null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  return zipEntries(bytes)?.map((e) => e.name) ?? null;
}

// What file-type answers for the accepted kinds (an animated PNG is still a PNG). A ZIP it cannot
// name (its [Content_Types].xml names no Office main part) may still be a workbook: see below.
const KIND_OF_DETECTED: Record<string, FileKind> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/apng": "png",
  "image/webp": "webp",
  [FILE_TYPES.xlsx.mime]: "xlsx",
  "application/zip": "xlsx",
};

/** The accepted type the content is, by its magic bytes (XLSX: a ZIP holding a workbook), or null. */
export async function sniff(bytes: Uint8Array): Promise<FileKind | null> {
  const kind = KIND_OF_DETECTED[(await fileTypeFromBuffer(bytes))?.mime ?? ""] ?? null;
  if (kind !== "xlsx") return kind;
  // A Word or PowerPoint file is named as such by file-type and refused above; of the rest, only
  // one whose central directory lists the workbook part is a spreadsheet.
  const names = zipEntryNames(bytes);
  return names && names.includes("[Content_Types].xml") && names.includes("xl/workbook.xml") ? "xlsx" : null;
}

/** The accepted type a file name's extension stands for, or null. */
export function kindOfName(fileName: string): FileKind | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
  if (!m) return null;
  const ext = m[1].toLowerCase();
  for (const [kind, t] of Object.entries(FILE_TYPES) as [FileKind, (typeof FILE_TYPES)[FileKind]][]) {
    if ((t.extensions as readonly string[]).includes(ext)) return kind;
  }
  return null;
}

function kindOfMime(mime: string): FileKind | null {
  const base = mime.split(";")[0].trim().toLowerCase();
  if (MIME_ALIASES[base]) return MIME_ALIASES[base];
  for (const [kind, t] of Object.entries(FILE_TYPES) as [FileKind, (typeof FILE_TYPES)[FileKind]][]) {
    if (t.mime === base) return kind;
  }
  return null;
}

export type FileCheck =
  | { ok: true; kind: FileKind; mime: AcceptedMime }
  | { ok: false; message: string; reason: FileRefusal };

/** Why a file is refused, for a message in the user's language (the `message` is the API's English). */
export type FileRefusal = "empty" | "too_large" | "type";

/** Whether an upload may be stored: size, content, name and declared type must all agree. */
export async function checkFile(input: { bytes: Uint8Array; fileName: string; declaredType?: string | null }): Promise<FileCheck> {
  const { bytes, fileName } = input;
  const declared = (input.declaredType ?? "").trim().toLowerCase();
  if (bytes.length === 0) return { ok: false, message: "The file is empty", reason: "empty" };
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, message: "Files can be at most 20 MB", reason: "too_large" };
  const byName = kindOfName(fileName);
  if (!byName) return { ok: false, message: `Only ${ACCEPTED_LABEL} files are accepted (by name)`, reason: "type" };
  const byContent = await sniff(bytes);
  if (!byContent) return { ok: false, message: `The content is not a ${ACCEPTED_LABEL} file`, reason: "type" };
  if (byContent !== byName) {
    return { ok: false, message: `The file is named .${fileName.split(".").pop()} but its content is ${FILE_TYPES[byContent].label}`, reason: "type" };
  }
  if (!UNDECLARED.has(declared.split(";")[0].trim()) && kindOfMime(declared) !== byContent) {
    return { ok: false, message: `The declared type ${declared} does not match the content (${FILE_TYPES[byContent].label})`, reason: "type" };
  }
  return { ok: true, kind: byContent, mime: FILE_TYPES[byContent].mime };
}

/**
 * Whether a file announced before its bytes exist (a direct upload) may be sent at all: its size
 * and name, and the type the client declared, must allow an accepted file. The content is checked
 * with checkFile once the bytes are stored.
 */
export function checkAnnounced(input: { fileName: string; declaredType?: string | null; size: number }): FileCheck {
  const declared = (input.declaredType ?? "").trim().toLowerCase();
  if (input.size <= 0) return { ok: false, message: "The file is empty", reason: "empty" };
  if (input.size > MAX_FILE_BYTES) return { ok: false, message: "Files can be at most 20 MB", reason: "too_large" };
  const byName = kindOfName(input.fileName);
  if (!byName) return { ok: false, message: `Only ${ACCEPTED_LABEL} files are accepted (by name)`, reason: "type" };
  if (!UNDECLARED.has(declared.split(";")[0].trim()) && kindOfMime(declared) !== byName) {
    return { ok: false, message: `The declared type ${declared} does not match the file name (.${input.fileName.split(".").pop()})`, reason: "type" };
  }
  return { ok: true, kind: byName, mime: FILE_TYPES[byName].mime };
}

/**
 * A file name that is safe to store and to send back in Content-Disposition: the last path
 * segment, no control characters, at most 255 characters (extension kept).
 */
export function cleanFileName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? "";
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (cleaned.length <= 255) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 255 - ext.length) + ext;
}
