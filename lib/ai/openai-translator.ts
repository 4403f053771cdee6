import "server-only";
import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import { systemPrompt, termsFor } from "./prompt";
import { TranslatorUnavailable, type TranslationRequest, type TranslationResult, type Translator } from "./translator";

export type OpenAiOptions = {
  apiKey: string;
  model: string;
  baseURL?: string;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, connection errors, timeouts), with backoff. */
  maxRetries: number;
};

/**
 * Chat Completions through the official SDK. The SDK itself retries 408/409/429/5xx and
 * connection failures with exponential backoff and jitter (honouring Retry-After), and times out
 * each attempt; whatever still fails becomes TranslatorUnavailable.
 */
export class OpenAiTranslator implements Translator {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async translate(request: TranslationRequest): Promise<TranslationResult> {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create({
        model: this.options.model,
        messages: [
          { role: "system", content: systemPrompt(request.source, request.target, termsFor(request.text, request.source, request.glossary)) },
          { role: "user", content: request.text },
        ],
      });
    } catch (error) {
      if (error instanceof APIConnectionTimeoutError) throw new TranslatorUnavailable("The translation provider timed out", error);
      if (error instanceof APIError) throw new TranslatorUnavailable(`The translation provider answered ${error.status ?? "nothing"}`, error);
      throw new TranslatorUnavailable("The translation provider could not be reached", error);
    }
    const text = completion.choices[0]?.message?.content?.trim();
    if (!text) throw new TranslatorUnavailable("The translation provider answered no text");
    return { text, tokens: completion.usage?.total_tokens ?? null };
  }
}
