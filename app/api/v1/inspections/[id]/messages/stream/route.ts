import { listMessages } from "@/lib/data/messages";
import { handler } from "@/lib/http/handler";
import { requireInspectionAccess } from "@/lib/http/inspection-access";
import { log } from "@/lib/log";
import { messageHub, type MessageNotice } from "@/lib/realtime/message-hub";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// A stream ends after a while; EventSource reconnects by itself, which checks the session again.
const MAX_STREAM_MS = 10 * 60 * 1000;
const HEARTBEAT_MS = 25 * 1000;
// Without LISTEN (Supabase mode), how often the thread is read again.
const POLL_MS = 5 * 1000;

// GET /api/v1/inspections/:id/messages/stream — new messages of the thread as server-sent events (event "message")
export const GET = handler({ params: idParams }, async ({ req, actor, params }) => {
  requireInspectionAccess(actor, "read");
  // Read as the user first: another company's thread is 404 here, before any stream opens.
  const first = await listMessages(actor.caller, params.id, 200);
  const known = new Set(first.data.map((m) => m.id));
  const live = await messageHub().start();
  const encoder = new TextEncoder();
  let stop = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let chain: Promise<void> = Promise.resolve();
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      // Reads the thread as the user and sends what this stream has not sent yet, in order.
      const catchUp = () => {
        chain = chain.then(async () => {
          if (closed) return;
          try {
            const thread = await listMessages(actor.caller, params.id, 50);
            for (const m of thread.data) {
              if (known.has(m.id)) continue;
              known.add(m.id);
              write(`id: ${m.id}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`);
            }
          } catch (error) {
            // The thread is no longer readable (session ended, access removed): end the stream.
            log.warn("realtime.stream_read_failed", { error: error instanceof Error ? error.message : String(error) });
            stop();
          }
        });
      };
      const unsubscribe = messageHub().subscribe((notice: MessageNotice) => {
        if (notice.inspection_id === params.id && !known.has(notice.id)) catchUp();
      });
      const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      const poll = live ? null : setInterval(catchUp, POLL_MS);
      const limit = setTimeout(() => stop(), MAX_STREAM_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        if (poll) clearInterval(poll);
        clearTimeout(limit);
        req.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      req.signal.addEventListener("abort", stop);
      // The client reads the thread once on "ready" for anything sent before the stream opened.
      write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ live })}\n\n`);
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
});
