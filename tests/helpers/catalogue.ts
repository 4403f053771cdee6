import { readFileSync } from "node:fs";
import path from "node:path";
import { NAMESPACES } from "@/lib/i18n/messages";

// The message catalogues (messages/<locale>/<namespace>.json) as flat maps, "namespace.key" →
// text, for the tests that read every message of a language.

const dir = path.resolve(__dirname, "../../messages");

/** A catalogue's nested object as "a.b.c" → text, each key after `prefix`. */
export function flattenMessages(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(prefix, value);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) for (const [kk, vv] of flattenMessages(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  }
  return out;
}

/** Every namespace of one language, keyed "namespace.key". */
export function loadCatalogue(locale: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const ns of NAMESPACES) {
    const data: unknown = JSON.parse(readFileSync(path.join(dir, locale, `${ns}.json`), "utf8"));
    for (const [k, v] of flattenMessages(data, ns)) all.set(k, v);
  }
  return all;
}
