"use client";

import { useCallback, useState } from "react";
import { api } from "@/components/toolkit/api";

// One translation request from the browser (POST /api/v1/translations), with its state. A failure
// is only "unavailable" or "limit": nothing else on the page waits for or depends on it.

export type TranslationSource = { type: "message" | "inspection_note" | "flow_note" | "item"; id: string; field?: string };
export type TranslationState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "done"; text: string; sourceLang: string }
  | { status: "failed"; reason: "unavailable" | "limit" };

type Answer = { text: string; source_lang: string; target_lang: string; cached: boolean; machine: true };

export async function requestTranslation(body: { target: string; source?: TranslationSource; text?: string }): Promise<TranslationState> {
  const res = await api<Answer>("POST", "/api/v1/translations", { body });
  if (res.ok) return { status: "done", text: res.data.text, sourceLang: res.data.source_lang };
  return { status: "failed", reason: res.error.code === "translation_limit" ? "limit" : "unavailable" };
}

export function useTranslation(source: TranslationSource, target: string) {
  const [state, setState] = useState<TranslationState>({ status: "idle" });
  const run = useCallback(async () => {
    setState({ status: "loading" });
    setState(await requestTranslation({ target, source }));
  }, [source, target]);
  return { state, run, reset: () => setState({ status: "idle" }) };
}
