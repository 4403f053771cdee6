import iconv from "iconv-lite";

// A CSV's text encoding: UTF-8 (with or without BOM) when the bytes are valid UTF-8; otherwise
// the legacy encodings Korean and Chinese Excel save in, CP949 (EUC-KR) or GB18030 (GBK). Both
// use the same byte ranges, so each decoding is scored by how many of its characters are among
// the most common of its language (a wrong guess reads as rare syllables or ideographs).

export type CsvEncoding = "utf-8" | "cp949" | "gb18030";

const KO_COMMON = new Set(
  "이다는의가에을를하고지서기사자수도어로한품명량번코드단위가격고객재일시대상중정보부문사용입출창입력확인수량번호제목내용전체합계구분비고날짜" +
    "인해것들그나되게있없아요면까니만같보내오주거저우리위해개월년원장회적으분성관리업체",
);
const ZH_COMMON = new Set(
  "的是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开但因只从想实" +
    "货号数量名称单位价格客户仓库条码品编码商物金额合计备注日期型规格箱件批",
);

function score(text: string, common: Set<string>): number {
  let hits = 0;
  let bad = 0;
  for (const ch of text) {
    if (common.has(ch)) hits++;
    else if (ch === "\ufffd") bad++;
  }
  return hits - 5 * bad;
}

export function detectEncoding(bytes: Uint8Array): CsvEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return "utf-8";
  } catch {
    // not UTF-8: one of the legacy encodings
  }
  const sample = Buffer.from(bytes.subarray(0, 256 * 1024));
  const ko = score(iconv.decode(sample, "cp949"), KO_COMMON);
  const zh = score(iconv.decode(sample, "gb18030"), ZH_COMMON);
  return ko >= zh ? "cp949" : "gb18030";
}

/** The CSV's text, without a byte-order mark. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const encoding = detectEncoding(bytes);
  const text = encoding === "utf-8" ? new TextDecoder("utf-8").decode(bytes) : iconv.decode(Buffer.from(bytes), encoding);
  return { text: text.replace(/^\ufeff/, ""), encoding };
}
