// Code 128 (ISO/IEC 15417) for the flow numbers on printed documents: a small encoder instead of a
// package, because the documents need one symbology and nothing else. Code set C (digit pairs)
// for an even number of digits, else code set B (printable ASCII); no shifts or FNC codes.

// Bar and space widths (in modules) of the symbol values 0–106: bar, space, bar, space, bar, space.
// 103–105 are Start A/B/C; 106 is Stop, whose seventh element is the final 2-module bar.
const WIDTHS = [
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
  "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
  "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
  "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
  "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
  "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
  "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
  "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
  "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
] as const;

const START_B = 104;
const START_C = 105;
const STOP = 106;

/** Most characters one symbol takes: a longer text would be too wide to scan off an A4 page. */
export const CODE128_MAX_LENGTH = 40;

export type Code128 = {
  /** Symbol values: start, data, checksum, stop. */
  values: number[];
  /** The symbol as modules, "1" a bar module and "0" a space module, without quiet zones. */
  modules: string;
};

/** The modulo-103 checksum: the start value plus each data value times its position. */
export function code128Checksum(values: readonly number[]): number {
  return values.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
}

function dataValues(text: string, set: "auto" | "B"): number[] {
  if (text.length === 0) throw new RangeError("Code 128 needs at least one character");
  if (text.length > CODE128_MAX_LENGTH) throw new RangeError(`Code 128 text longer than ${CODE128_MAX_LENGTH} characters`);
  if (set === "auto" && /^(\d\d)+$/.test(text)) {
    const pairs = text.match(/\d\d/g) ?? [];
    return [START_C, ...pairs.map(Number)];
  }
  const values = [START_B];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 32 || code > 126) throw new RangeError(`Code 128 set B cannot encode ${JSON.stringify(ch)}`);
    values.push(code - 32);
  }
  return values;
}

function modulesOf(widths: string): string {
  let out = "";
  for (let i = 0; i < widths.length; i++) out += (i % 2 === 0 ? "1" : "0").repeat(Number(widths[i]));
  return out;
}

/**
 * The text as a Code 128 symbol (set C for an even number of digits unless set B is asked for).
 * Throws RangeError for empty, too long or non-ASCII text.
 */
export function encodeCode128(text: string, set: "auto" | "B" = "auto"): Code128 {
  const data = dataValues(text, set);
  const values = [...data, code128Checksum(data), STOP];
  return { values, modules: values.map((v) => modulesOf(WIDTHS[v])).join("") };
}

/** The bars of a symbol as runs: where each bar starts and how many modules wide it is. */
export function barRuns(modules: string): { x: number; width: number }[] {
  const runs: { x: number; width: number }[] = [];
  for (const m of modules.matchAll(/1+/g)) runs.push({ x: m.index, width: m[0].length });
  return runs;
}
