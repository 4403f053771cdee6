import { z } from "zod";
import { call, callWrite, defineFunction, service, type Caller, type Idempotency } from "@/lib/db";
import { langSchema, glossarySchema, glossaryTermSchema, translationSettingsSchema, usageReportSchema, type GlossaryTermInput } from "@/lib/schemas/translations";
import { actorArg, forActor } from "./results";

// Translations: the record's text read as the caller, the cache read under row-level security as
// the caller, and — with the service role, for the actor — the limits checked and the provider's
// answer stored (those two trust the app's own provider call). The glossary, usage and each
// user's auto-translate switch.

const fnSource = defineFunction(
  "translation_source",
  z.object({ p_type: z.string(), p_id: z.uuid(), p_field: z.string().optional(), p_target: langSchema.optional(), ...actorArg }),
  z.object({ type: z.string(), id: z.uuid(), field: z.string(), text: z.string() }),
);
const fnCached = defineFunction(
  "translation_cached",
  z.object({ p_hash: z.string(), p_source_lang: langSchema, p_target_lang: langSchema }),
  z.string().nullable(),
);
const sourceArgs = { p_source_type: z.string().optional(), p_source_id: z.uuid().optional(), p_field: z.string().optional() };
const term = z.object({ ko: z.string().nullable(), zh: z.string().nullable(), en: z.string().nullable() });
const fnPrepare = defineFunction(
  "translation_prepare",
  z.object({
    p_actor: z.uuid(),
    p_hash: z.string(),
    p_source_lang: langSchema,
    p_target_lang: langSchema,
    p_chars: z.number().int(),
    p_user_daily_limit: z.number().int(),
    p_monthly_limit: z.number().int(),
    ...sourceArgs,
    p_lease_seconds: z.number().int(),
  }),
  // Exactly one of: cached (a hit), wait (another caller is translating it), lease (call the provider).
  z.object({ cached: z.string().nullable(), wait: z.boolean(), lease: z.uuid().nullable(), glossary_version: z.number().int(), terms: z.array(term) }),
);
const fnStore = defineFunction(
  "translation_store",
  z.object({
    p_actor: z.uuid(),
    p_hash: z.string(),
    p_source_lang: langSchema,
    p_target_lang: langSchema,
    p_glossary_version: z.number().int(),
    p_translated: z.string(),
    p_chars: z.number().int(),
    ...sourceArgs,
    p_lease: z.uuid().optional(),
  }),
  z.object({ id: z.uuid(), text: z.string() }),
);
const fnRelease = defineFunction("translation_release", z.object({ p_lease: z.uuid() }), z.boolean());
const fnSettingsGet = defineFunction("translation_settings_get", z.object(actorArg), translationSettingsSchema);
const fnSettingsSet = defineFunction("translation_settings_set", z.object({ p_auto_translate: z.boolean(), ...actorArg }), translationSettingsSchema);
const fnGlossaryList = defineFunction("glossary_list", z.object(actorArg), glossarySchema);
const fnGlossarySave = defineFunction(
  "glossary_save",
  z.object({
    p_id: z.uuid().nullable(),
    p_ko: z.string().nullable(),
    p_zh: z.string().nullable(),
    p_en: z.string().nullable(),
    p_note: z.string().nullable(),
    ...actorArg,
  }),
  glossaryTermSchema.extend({ version: z.number().int() }),
);
const fnGlossaryDelete = defineFunction("glossary_delete", z.object({ p_id: z.uuid(), ...actorArg }), z.object({ id: z.uuid(), version: z.number().int() }));
const fnUsage = defineFunction("translation_usage_report", z.object({ p_days: z.number().int().optional(), ...actorArg }), usageReportSchema);

export type SourceRef = { type: string; id: string; field?: string };

export function readSource(as: Caller, source: SourceRef, target?: z.infer<typeof langSchema>) {
  return call(fnSource, { p_type: source.type, p_id: source.id, p_field: source.field, p_target: target }, as);
}

export function cachedTranslation(as: Caller, hash: string, source: z.infer<typeof langSchema>, target: z.infer<typeof langSchema>) {
  return call(fnCached, { p_hash: hash, p_source_lang: source, p_target_lang: target }, as);
}

type Key = { hash: string; source: z.infer<typeof langSchema>; target: z.infer<typeof langSchema>; ref?: { type: string; id: string; field: string } };
/** A cache key as the prepare and store functions take it: text hash, languages, and the source record when there is one. */
const keyArgs = ({ hash, source, target, ref }: Key) => ({
  p_hash: hash,
  p_source_lang: source,
  p_target_lang: target,
  ...(ref ? { p_source_type: ref.type, p_source_id: ref.id, p_field: ref.field } : {}),
});

export function prepareTranslation(actor: { id: string }, key: Key, chars: number, limits: { userDaily: number; monthly: number }, leaseSeconds: number) {
  return call(
    fnPrepare,
    {
      ...forActor(actor),
      ...keyArgs(key),
      p_chars: chars,
      p_user_daily_limit: limits.userDaily,
      p_monthly_limit: limits.monthly,
      p_lease_seconds: leaseSeconds,
    },
    service,
  );
}

/** Stores the provider's answer and ends the caller's lease on the key. */
export function storeTranslation(actor: { id: string }, key: Key, glossaryVersion: number, translated: string, chars: number, lease?: string) {
  return call(
    fnStore,
    {
      ...forActor(actor),
      ...keyArgs(key),
      p_glossary_version: glossaryVersion,
      p_translated: translated,
      p_chars: chars,
      p_lease: lease,
    },
    service,
  );
}

/** Ends a lease without an answer (the provider failed), so the next caller need not wait for it to expire. */
export function releaseTranslation(lease: string) {
  return call(fnRelease, { p_lease: lease }, service);
}

export function getTranslationSettings(as: Caller) {
  return call(fnSettingsGet, {}, as);
}

export function setTranslationSettings(as: Caller, autoTranslate: boolean, idem?: Idempotency) {
  return callWrite(fnSettingsSet, { p_auto_translate: autoTranslate }, as, idem);
}

export function listGlossary(as: Caller) {
  return call(fnGlossaryList, {}, as);
}

export function saveGlossaryTerm(as: Caller, id: string | null, input: GlossaryTermInput, idem?: Idempotency) {
  return callWrite(
    fnGlossarySave,
    { p_id: id, p_ko: input.ko ?? null, p_zh: input.zh ?? null, p_en: input.en ?? null, p_note: input.note ?? null },
    as,
    idem,
  );
}

export function deleteGlossaryTerm(as: Caller, id: string, idem?: Idempotency) {
  return callWrite(fnGlossaryDelete, { p_id: id }, as, idem);
}

export function translationUsage(as: Caller, days = 30) {
  return call(fnUsage, { p_days: days }, as);
}
