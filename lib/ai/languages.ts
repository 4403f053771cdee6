// The three languages the company works in, and how a text's language is told: by the scripts
// it is written in (Hangul is Korean, Han without Hangul is Chinese, Latin letters alone are
// English). A text's language is detected, never assumed from who wrote it.

export const LANGS = ["ko", "zh", "en"] as const;
export type Lang = (typeof LANGS)[number];

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/gu;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN = /[A-Za-z\u00c0-\u024f]/gu;

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/**
 * The language of a text, or null when it has no letters to tell (numbers, a SKU, an emoji).
 * Korean text often carries Han characters (hanja, product words) and Latin ones (model names),
 * so any real share of Hangul makes it Korean; Han outweighing Latin makes it Chinese.
 */
export function detectLanguage(text: string): Lang | null {
  const hangul = count(text, HANGUL);
  const han = count(text, HAN);
  const latin = count(text, LATIN);
  if (hangul === 0 && han === 0 && latin === 0) return null;
  if (hangul > 0 && hangul * 5 >= han + latin) return "ko";
  if (han > 0 && han * 2 >= latin) return "zh";
  if (hangul > 0) return "ko";
  if (han > 0 && latin === 0) return "zh";
  return "en";
}
