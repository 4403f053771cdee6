import { READ_RECORDS } from "@/lib/auth/permissions";
import { stillSignedIn } from "@/lib/auth";
import { getUnreadCounts, type UnreadCounts } from "@/lib/data/messages";
import { handler } from "@/lib/http/handler";
import { eventStream, type EventSink } from "@/lib/http/sse";
import { messageHub } from "@/lib/realtime/message-hub";

export const dynamic = "force-dynamic";

// Notices come in bursts (a message and the other side's read mark a moment later; one Realtime
// change per row marked read): one read of the counts per burst.
const DEBOUNCE_MS = 250;

/** What the counts say, whatever order applications with equally recent messages come in. */
function countsKey(counts: UnreadCounts): string {
  const per = counts.inspections.map((i) => `${i.inspection_id}:${i.unread}`).sort();
  return `${counts.total}|${per.join(",")}`;
}

// GET /api/v1/messages/stream — the caller's unread counts as server-sent events (event "unread"): at start and whenever they change
export const GET = handler({ permission: READ_RECORDS }, async ({ req, actor }) => {
  // Read as the user, like GET /api/v1/messages: RLS and the function decide whose messages count.
  const first = await getUnreadCounts(actor.caller);
  let last = countsKey(first);
  const live = await messageHub().start();

  const reread = (sink: EventSink) => async () => {
    const counts = await getUnreadCounts(actor.caller);
    const key = countsKey(counts);
    if (key === last) return;
    last = key;
    sink.send("unread", counts);
  };

  return eventStream({
    req,
    live,
    stillSignedIn: () => stillSignedIn(actor),
    onOpen(sink) {
      sink.send("unread", first);
    },
    onNotice(notice, sink) {
      // A customer's counts move only with their own company's threads (staff: with every thread).
      if (actor.customerId !== null && notice.customer_id !== actor.customerId) return;
      sink.soon(reread(sink), DEBOUNCE_MS);
    },
    onPoll(sink) {
      sink.queue(reread(sink));
    },
  });
});
