import type { DemoUser } from "./demo";
import { tokenFor } from "./router";

// Opens a server-sent-events route handler the way a browser's EventSource would (a GET that stays
// open) and reads its events one by one, for the stream tests.

export type SseEvent = { event: string; data: string };
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type OpenStream = {
  res: Response;
  /** Events received and not yet taken by next(). */
  events: SseEvent[];
  /** Waits until an event of that name has arrived and takes it (or fails after a while). */
  next(name: string, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): Promise<void>;
};

/** A demo user (their token for this file), a token of a session of its own, or nobody. */
export type StreamCaller = DemoUser | { token: string } | null;

async function headersFor(who: StreamCaller): Promise<Headers> {
  const headers = new Headers();
  if (who) headers.set("authorization", `Bearer ${typeof who === "string" ? await tokenFor(who) : who.token}`);
  return headers;
}

export async function openStream(route: RouteHandler, url: string, who: StreamCaller, params: Record<string, string> = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const req = new Request(new URL(url, "http://localhost"), { headers: await headersFor(who), signal: abort.signal });
  const res = await route(req, { params: Promise.resolve(params) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  let done = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
      }
    }
    done = true;
  })();
  return {
    res,
    events,
    ended: pump,
    async next(name, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === name);
        if (found) {
          events.splice(events.indexOf(found), 1);
          return found;
        }
        if (done || Date.now() > until) throw new Error(`no ${name} event (got ${JSON.stringify(events)})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

/** The whole answer of a stream route that refuses to open (401, 404): status and body text. */
export async function refusedStream(route: RouteHandler, url: string, who: DemoUser | null, params: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await route(new Request(new URL(url, "http://localhost"), { headers: await headersFor(who) }), { params: Promise.resolve(params) });
  return { status: res.status, text: await res.text() };
}
