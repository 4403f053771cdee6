import "@/lib/zod-setup";
import { z } from "zod";
import { LANGS } from "@/lib/ai/languages";

// Machine translation (docs/api.md, "Translations").

export const langSchema = z.enum(LANGS);
export const SOURCE_TYPES = ["message", "inspection_note", "flow_note", "item"] as const;
export const SOURCE_FIELDS = ["body", "notes", "internal_notes", "cancel_reason", "note", "name_ko", "name_zh", "name_en"] as const;
export const TEXT_MAX = 5000;

export const translationSourceSchema = z.object({
  type: z.enum(SOURCE_TYPES),
  id: z.uuid(),
  /** Which text of the record: inspection_note notes|internal_notes (default)|cancel_reason; item name_ko|name_zh|name_en. */
  field: z.enum(SOURCE_FIELDS).optional(),
});

/** Either a record (read as the caller) or a text (staff only, for the item form). */
export const translationRequestSchema = z.union([
  z.object({ target: langSchema, source: translationSourceSchema }).strict(),
  z.object({ target: langSchema, text: z.string().trim().min(1, "Enter a text").max(TEXT_MAX, `At most ${TEXT_MAX} characters`) }).strict(),
]);
export type TranslationRequestBody = z.infer<typeof translationRequestSchema>;

export const translationSchema = z.object({
  text: z.string(),
  source_lang: langSchema,
  target_lang: langSchema,
  cached: z.boolean(),
  machine: z.literal(true),
});
export type Translation = z.infer<typeof translationSchema>;

export const translationSettingsSchema = z.object({ auto_translate: z.boolean() });

export const glossaryTermInput = z.object({
  ko: z.string().trim().max(200, "At most 200 characters").nullable().optional(),
  zh: z.string().trim().max(200, "At most 200 characters").nullable().optional(),
  en: z.string().trim().max(200, "At most 200 characters").nullable().optional(),
  note: z.string().trim().max(500, "At most 500 characters").nullable().optional(),
});
export type GlossaryTermInput = z.infer<typeof glossaryTermInput>;

export const glossaryTermSchema = z.object({
  id: z.uuid(),
  ko: z.string().nullable(),
  zh: z.string().nullable(),
  en: z.string().nullable(),
  note: z.string().nullable(),
  updated_at: z.string(),
});
export const glossarySchema = z.object({ version: z.number().int(), data: z.array(glossaryTermSchema) });
export type Glossary = z.infer<typeof glossarySchema>;

export const usageReportSchema = z.object({
  from: z.string(),
  month_chars: z.number(),
  days: z.array(z.object({ day: z.string(), chars: z.number(), requests: z.number(), cached: z.number() })),
  users: z.array(
    z.object({
      day: z.string(),
      user_id: z.uuid(),
      display_name: z.string(),
      email: z.string(),
      chars: z.number(),
      requests: z.number(),
      cached: z.number(),
    }),
  ),
});
export type UsageReport = z.infer<typeof usageReportSchema>;
