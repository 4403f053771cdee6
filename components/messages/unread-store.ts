"use client";

import { useSyncExternalStore } from "react";
import type { UnreadCounts } from "@/lib/data/messages";

// The signed-in user's unread counts, live: one EventSource per page (GET /api/v1/messages/stream)
// shared by every component that shows them (the nav badge, the portal home widget). Counts are
// null until the stream has sent them (no EventSource, stream refused, not yet open): components
// then show what the server rendered, or nothing.

const STREAM_URL = "/api/v1/messages/stream";
// Client-side navigation unmounts one page's components a moment before the next page's mount:
// keep the stream open across that gap instead of reconnecting.
const CLOSE_DELAY_MS = 2000;

let counts: UnreadCounts | null = null;
let source: EventSource | null = null;
let closeTimer: ReturnType<typeof setTimeout> | null = null;
const listeners = new Set<() => void>();

function set(next: UnreadCounts | null): void {
  counts = next;
  for (const listener of listeners) listener();
}

function connect(): void {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource(STREAM_URL);
  source.addEventListener("unread", (e: MessageEvent<string>) => {
    try {
      set(JSON.parse(e.data) as UnreadCounts);
    } catch {
      // A malformed event is dropped; the next one (or a reload) brings the counts.
    }
  });
  // EventSource reconnects by itself after a dropped connection (the stream then sends the counts
  // again); a refused one (signed out: 401) stays closed and the page keeps what it has.
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (closeTimer) clearTimeout(closeTimer);
  closeTimer = null;
  connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    closeTimer = setTimeout(() => {
      closeTimer = null;
      source?.close();
      source = null;
      counts = null;
    }, CLOSE_DELAY_MS);
  };
}

/** The live unread counts, or null until the stream has sent them. */
export function useUnreadCounts(): UnreadCounts | null {
  return useSyncExternalStore(
    subscribe,
    () => counts,
    () => null,
  );
}
