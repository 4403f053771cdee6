import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth";
import { isStaff } from "@/lib/auth/permissions";
import { cachedTranslation, prepareTranslation, readSource, storeTranslation } from "@/lib/data/translations";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Translation, TranslationRequestBody } from "@/lib/schemas/translations";
import { translator } from "./index";
import { detectLanguage, type Lang } from "./languages";
import { mask, unmask } from "./mask";
import { TranslatorUnavailable } from "./translator";

// One translation as POST /api/v1/translations answers it:
//   1. the text: a record read as the caller (what they may not read is 404), or a staff member's text;
//   2. its language detected from its script, never assumed;
//   3. the cache, read as the caller (row-level security: readers of the original only);
//   4. otherwise (service role, for the caller): a cache entry another reader made is linked and
//      used, or the limits are checked; then the text, masked, goes to the provider once, and the
//      answer, unmasked, is stored and counted.

export function textHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export async function translate(actor: Actor, body: TranslationRequestBody): Promise<Translation> {
  const provider = translator();
  if (!provider) throw new AppError("not_enabled", "Machine translation is not turned on");
  const target = body.target;
  let text: string;
  let ref: { type: string; id: string; field: string } | undefined;
  if ("source" in body) {
    const src = await readSource(actor.caller, body.source, target);
    text = src.text;
    ref = { type: src.type, id: src.id, field: src.field };
  } else {
    if (!isStaff(actor.role)) throw new AppError("forbidden", "Only staff may translate free text");
    text = body.text;
  }
  const source: Lang = detectLanguage(text) ?? target;
  if (source === target) return { text, source_lang: source, target_lang: target, cached: false, machine: true };

  const hash = textHash(text);
  const own = await cachedTranslation(actor.caller, hash, source, target);
  if (own !== null) return { text: own, source_lang: source, target_lang: target, cached: true, machine: true };

  const e = env();
  const key = { hash, source, target, ref };
  const chars = [...text].length;
  const prepared = await prepareTranslation(actor, key, chars, { userDaily: e.TRANSLATION_USER_DAILY_CHARS, monthly: e.TRANSLATION_MONTHLY_CHARS });
  if (prepared.cached !== null) return { text: prepared.cached, source_lang: source, target_lang: target, cached: true, machine: true };

  const masked = mask(text);
  let translated: string;
  try {
    const out = await provider.translate({ text: masked.text, source, target, glossary: prepared.terms });
    translated = unmask(out.text, masked.values);
  } catch (error) {
    if (error instanceof TranslatorUnavailable) {
      // The cause names the provider's status, never the text.
      log.warn("translation.unavailable", { reason: error.message, userId: actor.id });
      throw new AppError("translation_unavailable", "Translation unavailable");
    }
    throw error;
  }
  const stored = await storeTranslation(actor, key, prepared.glossary_version, translated.slice(0, 20_000), chars);
  return { text: stored.text, source_lang: source, target_lang: target, cached: false, machine: true };
}
