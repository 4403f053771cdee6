"use client";

import { useCallback, useState } from "react";
import { api, type ApiFailure } from "@/components/toolkit/api";

// One translation request from the browser (POST /api/v1/translations), with its state. A failure
// is only "unavailable" or a limit: nothing else on the page waits for or depends on it.

export type TranslationSource = { type: "message" | "inspection_note" | "flow_note" | "item"; id: string; field?: string };
export type TranslationState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "done"; text: string; sourceLang: string }
  | { status: "failed"; reason: FailureReason };

/** Why there is no translation; each is also the key of its text in messages/<locale>/translation.json. */
export type FailureReason = "unavailable" | "limit" | "monthlyLimit";

type Answer = { text: string; source_lang: string; target_lang: string; cached: boolean; machine: true };

export async function requestTranslation(body: { target: string; source?: TranslationSource; text?: string }): Promise<TranslationState> {
  const res = await api<Answer>("POST", "/api/v1/translations", { body });
  if (res.ok) return { status: "done", text: res.data.text, sourceLang: res.data.source_lang };
  return { status: "failed", reason: failureReason(res.error) };
}

/**
 * A user's own daily limit passes overnight; the monthly one, shared by everyone, does not, so
 * "try again tomorrow" would be wrong for it (the API says which in details.limit).
 */
export function failureReason(error: ApiFailure): FailureReason {
  if (error.code !== "translation_limit") return "unavailable";
  const details = error.details as { limit?: unknown } | undefined;
  return details?.limit === "monthly" ? "monthlyLimit" : "limit";
}

export function useTranslation(source: TranslationSource, target: string) {
  const [state, setState] = useState<TranslationState>({ status: "idle" });
  const run = useCallback(async () => {
    setState({ status: "loading" });
    setState(await requestTranslation({ target, source }));
  }, [source, target]);
  return { state, run, reset: () => setState({ status: "idle" }) };
}
