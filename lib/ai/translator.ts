import type { Lang } from "./languages";

// The translation port: what the app needs from a machine translator. The OpenAI implementation
// is in openai-translator.ts; tests point it at a fake server on loopback (OPENAI_BASE_URL).

export type GlossaryTerm = { ko: string | null; zh: string | null; en: string | null };

export type TranslationRequest = {
  /** Already masked (mask.ts): no email address, phone number or URL. */
  text: string;
  source: Lang;
  target: Lang;
  glossary: GlossaryTerm[];
};

export type TranslationResult = { text: string; tokens: number | null };

export interface Translator {
  translate(request: TranslationRequest): Promise<TranslationResult>;
}

/** The provider failed, was too slow or answered nothing usable: the caller says "translation unavailable". */
export class TranslatorUnavailable extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = "TranslatorUnavailable";
  }
}
