import "server-only";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Actor } from "@/lib/auth";
import { isStaff } from "@/lib/auth/permissions";
import { cachedTranslation, prepareTranslation, readSource, releaseTranslation, storeTranslation } from "@/lib/data/translations";
import { env, type Env } from "@/lib/env";
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
// Single-flight: the caller that goes to the provider holds a lease on the cache key (taken in
// translation_prepare's own short transaction, none open across the HTTP call). Another caller
// missing the same key meanwhile is told to wait and asks again until the answer is cached (a
// cache hit for it), or until the lease is free again (the holder failed or died: it expires),
// when it calls the provider itself.

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
  const limits = { userDaily: e.TRANSLATION_USER_DAILY_CHARS, monthly: e.TRANSLATION_MONTHLY_CHARS };
  const leaseSeconds = translationLeaseSeconds(e);
  let prepared = await prepareTranslation(actor, key, chars, limits, leaseSeconds);
  // Another caller is translating this text: wait for its answer, at most as long as a lease
  // lasts (by then a holder that died has lost it and this caller takes over).
  const deadline = Date.now() + leaseSeconds * 1000 + 1000;
  for (let delay = 100; prepared.wait; delay = Math.min(delay * 1.5, 1000)) {
    if (Date.now() > deadline) {
      log.warn("translation.wait_timeout", { userId: actor.id });
      throw new AppError("translation_unavailable", "Translation unavailable");
    }
    await sleep(delay);
    prepared = await prepareTranslation(actor, key, chars, limits, leaseSeconds);
  }
  if (prepared.cached !== null) return { text: prepared.cached, source_lang: source, target_lang: target, cached: true, machine: true };
  const lease = prepared.lease ?? undefined;

  const masked = mask(text);
  let translated: string;
  try {
    const out = await provider.translate({ text: masked.text, source, target, glossary: prepared.terms });
    translated = unmask(out.text, masked.values);
  } catch (error) {
    // Those waiting for this answer may try at once rather than when the lease runs out (if the
    // release itself fails, they wait for that instead: the provider's error is what to report).
    if (lease) await releaseTranslation(lease).catch(() => undefined);
    if (error instanceof TranslatorUnavailable) {
      // The cause names the provider's status, never the text.
      log.warn("translation.unavailable", { reason: error.message, userId: actor.id });
      throw new AppError("translation_unavailable", "Translation unavailable");
    }
    throw error;
  }
  const stored = await storeTranslation(actor, key, prepared.glossary_version, translated.slice(0, 20_000), chars, lease);
  return { text: stored.text, source_lang: source, target_lang: target, cached: false, machine: true };
}

/**
 * How long the caller that goes to the provider holds the text's lease: one provider call with
 * all its retries (each attempt's timeout, plus the SDK's backoff between them, at most a few
 * seconds each), with a margin. Those waiting wait at most this long.
 */
export function translationLeaseSeconds(e: Env): number {
  const attempts = e.OPENAI_MAX_RETRIES + 1;
  return Math.min(600, Math.ceil((e.OPENAI_TIMEOUT_MS * attempts) / 1000) + 8 * e.OPENAI_MAX_RETRIES + 5);
}
