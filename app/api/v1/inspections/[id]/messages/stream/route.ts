import { READ_RECORDS } from "@/lib/auth/permissions";
import { stillSignedIn } from "@/lib/auth";
import { listMessages } from "@/lib/data/messages";
import { handler } from "@/lib/http/handler";
import { eventStream } from "@/lib/http/sse";
import { messageHub } from "@/lib/realtime/message-hub";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections/:id/messages/stream — new messages of the thread as server-sent events (event "message")
export const GET = handler({ permission: READ_RECORDS, params: idParams }, async ({ req, actor, params }) => {
  // Read as the user first: another company's thread is 404 here, before any stream opens.
  const first = await listMessages(actor.caller, params.id, 200);
  const known = new Set(first.data.map((m) => m.id));
  const live = await messageHub().start();

  // Reads the thread as the user and sends what this stream has not sent yet, in order.
  const catchUp = async (send: (event: string, data: unknown, id?: string) => void) => {
    const thread = await listMessages(actor.caller, params.id, 50);
    for (const m of thread.data) {
      if (known.has(m.id)) continue;
      known.add(m.id);
      send("message", m, m.id);
    }
  };

  // The client reads the thread once on "ready" for anything sent before the stream opened.
  return eventStream({
    req,
    live,
    stillSignedIn: () => stillSignedIn(actor),
    onNotice(notice, sink) {
      if (notice.kind === "message" && notice.inspection_id === params.id && !known.has(notice.id)) sink.queue(() => catchUp(sink.send));
    },
    onPoll(sink) {
      sink.queue(() => catchUp(sink.send));
    },
  });
});
