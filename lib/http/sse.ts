import "server-only";
import { log } from "@/lib/log";
import { messageHub, type MessageNotice } from "@/lib/realtime/message-hub";

// The plumbing every server-sent-events endpoint shares: the response and its headers, a heartbeat
// comment, a time limit, the hub subscription, a poll while the hub is not live, and one way to
// end it all (client gone, limit reached, the user's read failing).

// A stream ends after a while; EventSource reconnects by itself, which checks the session again.
export const MAX_STREAM_MS = 10 * 60 * 1000;
const HEARTBEAT_MS = 25 * 1000;
// While no notices arrive (Supabase before its Realtime channel is joined, a lost connection), how
// often a stream reads again.
export const POLL_MS = 5 * 1000;

// Every open stream's stop, kept on globalThis: route handlers and instrumentation.ts (which
// closes them on shutdown) are separate bundles, each with its own copy of this module.
const open = globalThis as unknown as { __dulyStreams?: Set<() => void> };
const openStreams = (open.__dulyStreams ??= new Set());

/** Ends every open stream (shutdown: an open response keeps the server from closing). */
export function closeAllStreams(): number {
  const stops = [...openStreams];
  for (const stop of stops) stop();
  return stops.length;
}

export type EventSink = {
  /** Sends one event (data as JSON); nothing once the stream has ended. */
  send(event: string, data: unknown, id?: string): void;
  /**
   * Runs `read` after the reads queued before it, never two at once, and ends the stream when it
   * throws (session ended, access removed).
   */
  queue(read: () => Promise<void>): void;
  /**
   * Queues `read` after `delayMs`, unless one is already waiting: a burst of notices (a thread of
   * twenty messages marked read arrives as twenty Realtime changes) becomes one read.
   */
  soon(read: () => Promise<void>, delayMs: number): void;
  /** Ends the stream. */
  stop(): void;
};

export type EventStreamSpec = {
  req: Request;
  /** The hub said it is live when the stream opened (sent in the "ready" event). */
  live: boolean;
  /** Right after "ready": the first events. */
  onOpen?(sink: EventSink): void;
  /** A notice from the hub (new message, thread read). */
  onNotice(notice: MessageNotice, sink: EventSink): void;
  /** Every POLL_MS while the hub is not live. */
  onPoll(sink: EventSink): void;
  /**
   * Asked before every read: false ends the stream. Sessions are server-side facts, and the
   * reads themselves run as the user without the session check, so a stream opened before a
   * sign-out (or a deactivation, a role change) sends nothing after it.
   */
  stillSignedIn(): Promise<boolean>;
};

/** Opens a server-sent-events response; the first event is "ready" with `{live}`. */
export function eventStream(spec: EventStreamSpec): Response {
  const encoder = new TextEncoder();
  let stop = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let chain: Promise<void> = Promise.resolve();
      let pending: ReturnType<typeof setTimeout> | null = null;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const sink: EventSink = {
        send(event, data, id) {
          write(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        },
        queue(read) {
          chain = chain.then(async () => {
            if (closed) return;
            try {
              if (!(await spec.stillSignedIn())) return stop();
              await read();
            } catch (error) {
              log.warn("realtime.stream_read_failed", { error: error instanceof Error ? error.message : String(error) });
              stop();
            }
          });
        },
        soon(read, delayMs) {
          if (pending || closed) return;
          pending = setTimeout(() => {
            pending = null;
            sink.queue(read);
          }, delayMs);
        },
        stop: () => stop(),
      };
      const unsubscribe = messageHub().subscribe((notice) => spec.onNotice(notice, sink));
      const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      // Checked at each tick, not once: the hub may go live (Realtime joined) or stop being live.
      const poll = setInterval(() => {
        if (!messageHub().live) spec.onPoll(sink);
      }, POLL_MS);
      const limit = setTimeout(() => stop(), MAX_STREAM_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        openStreams.delete(stop);
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(poll);
        clearTimeout(limit);
        if (pending) clearTimeout(pending);
        spec.req.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      spec.req.signal.addEventListener("abort", stop);
      openStreams.add(stop);
      write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ live: spec.live })}\n\n`);
      spec.onOpen?.(sink);
    },
    cancel() {
      stop();
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: no compression layer may buffer the events.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
