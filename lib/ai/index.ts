import "server-only";
import { env, type Env } from "@/lib/env";
import { OpenAiTranslator } from "./openai-translator";
import type { Translator } from "./translator";

// The configured translator, if any. No OPENAI_API_KEY: the feature is off, hidden in every page,
// and the API answers 404 not_enabled; nothing is ever sent anywhere.

export function translationEnabled(e: Env = env()): boolean {
  return Boolean(e.OPENAI_API_KEY);
}

let cached: { key: string; translator: Translator } | undefined;

export function translator(e: Env = env()): Translator | null {
  if (!e.OPENAI_API_KEY) return null;
  // Rebuilt when the settings change (tests switch base URLs and timeouts between cases).
  const key = [e.OPENAI_API_KEY, e.OPENAI_MODEL, e.OPENAI_BASE_URL, e.OPENAI_TIMEOUT_MS, e.OPENAI_MAX_RETRIES].join("\n");
  if (cached?.key !== key) {
    cached = {
      key,
      translator: new OpenAiTranslator({
        apiKey: e.OPENAI_API_KEY,
        model: e.OPENAI_MODEL,
        baseURL: e.OPENAI_BASE_URL,
        timeoutMs: e.OPENAI_TIMEOUT_MS,
        maxRetries: e.OPENAI_MAX_RETRIES,
      }),
    };
  }
  return cached.translator;
}
