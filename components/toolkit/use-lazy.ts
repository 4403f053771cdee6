"use client";

import { useRef } from "react";

/**
 * Something loaded once, when first asked for (a schema module a form needs only when it is sent):
 * every call returns the same promise. A failed load (the link dropped) is forgotten, so the next
 * call tries again; the caller gets null and says so.
 */
export function useLazy<T>(loader: () => Promise<T>): () => Promise<T | null> {
  const pending = useRef<Promise<T> | null>(null);
  return () => {
    pending.current ??= loader().catch((error: unknown) => {
      pending.current = null;
      throw error;
    });
    return pending.current.catch(() => null);
  };
}
