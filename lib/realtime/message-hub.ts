import "server-only";
import { z } from "zod";
import { getTransport, type Transport } from "@/lib/db";
import type { PgliteTransport } from "@/lib/db/pglite";
import type { PostgresTransport } from "@/lib/db/postgres";
import type { SupabaseTransport } from "@/lib/db/supabase";
import { log } from "@/lib/log";

// Message notices for the server-sent-events streams: a new message, or a thread marked read. One
// source per process fans out to every open stream. A notice carries ids only: each stream then
// reads through its own user's session, so RLS decides what anyone receives.
//   embedded: PGlite's own listen() (one connection; LISTEN outside any transaction, so it stays)
//   postgres: a dedicated client, never a pooled one (a pooled connection returns to the pool and
//             its LISTEN goes with it); reconnects after a lost connection
//   supabase: no direct connection, so no LISTEN: one Supabase Realtime channel (postgres_changes on
//             public.messages, service role, server only); phoenix rejoins it after a lost socket.
// While the source is not live (Supabase before the channel is joined, a lost Postgres connection)
// streams read again every few seconds instead (`live` below).
// The NOTIFY triggers are in 20261122000700_inspections.sql (new messages) and
// 20261130000100_realtime.sql (read marks).

const uuid = z.uuid();
const messageNotice = z.object({ kind: z.literal("message"), id: uuid, inspection_id: uuid, customer_id: uuid, from_staff: z.boolean() });
const readNotice = z.object({ kind: z.literal("read"), inspection_id: uuid, customer_id: uuid });
const notice = z.discriminatedUnion("kind", [messageNotice, readNotice]);

export type MessageNotice = z.infer<typeof notice>;
type Listener = (notice: MessageNotice) => void;

export const MESSAGE_CHANNEL = "duly_messages";
/** The Realtime channel's topic (Supabase mode). */
export const REALTIME_TOPIC = "duly-messages";
const RECONNECT_MS = 2000;

/** A notice from a NOTIFY payload (new-message notices predate `kind`); null when malformed. */
export function parseNotice(payload: string | undefined): MessageNotice | null {
  if (!payload) return null;
  try {
    const raw = JSON.parse(payload) as Record<string, unknown>;
    const parsed = notice.safeParse({ kind: "message", ...raw });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A Realtime postgres_changes payload of public.messages as a notice (ids only); null otherwise. */
export function noticeFromChange(change: { eventType?: string; new?: Record<string, unknown> }): MessageNotice | null {
  const row = change.new ?? {};
  const parsed =
    change.eventType === "INSERT"
      ? messageNotice.safeParse({ kind: "message", id: row.id, inspection_id: row.inspection_id, customer_id: row.customer_id, from_staff: row.from_staff })
      : change.eventType === "UPDATE"
        ? readNotice.safeParse({ kind: "read", inspection_id: row.inspection_id, customer_id: row.customer_id })
        : null;
  return parsed?.success ? parsed.data : null;
}

class MessageHub {
  private readonly listeners = new Set<Listener>();
  private starting: Promise<void> | null = null;
  private liveNow = false;

  private transport: Transport | null = null;
  /** Undoes the current source (unlisten on PGlite, closing the Postgres client or the Realtime socket). */
  private release: (() => Promise<void>) | null = null;

  /** Starts the source if needed; answers whether notices flow now (else callers poll). */
  async start(): Promise<boolean> {
    const transport = await getTransport();
    // A new transport (tests install one per file) needs its own source.
    if (transport !== this.transport) {
      await this.stop();
      this.transport = transport;
    }
    if (!this.starting) {
      this.starting = this.listen(transport).catch((error) => {
        log.error("realtime.listen_failed", { error: error instanceof Error ? error.message : String(error) });
        this.starting = null;
      });
    }
    await this.starting;
    return this.liveNow;
  }

  /** Stops the source (tests, before their database is closed or dropped; a new transport). */
  async stop(): Promise<void> {
    const release = this.release;
    this.release = null;
    this.starting = null;
    this.transport = null;
    this.liveNow = false;
    await release?.().catch(() => undefined);
  }

  /** Whether notices arrive now; streams poll while they do not. */
  get live(): boolean {
    return this.liveNow;
  }

  /** Open subscriptions (streams that have not ended). */
  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(n: MessageNotice | null): void {
    if (!n) return;
    for (const listener of this.listeners) {
      try {
        listener(n);
      } catch (error) {
        log.error("realtime.listener_failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** After the source was lost: start again for the streams still open. */
  private restartLater(transport: Transport): void {
    if (this.transport !== transport) return;
    void this.stop();
    setTimeout(() => {
      if (this.listeners.size > 0) void this.start();
    }, RECONNECT_MS);
  }

  private async listen(transport: Transport): Promise<void> {
    if (transport.mode === "embedded") {
      const unlisten = await (transport as PgliteTransport).db.listen(MESSAGE_CHANNEL, (payload) => this.emit(parseNotice(payload)));
      this.release = unlisten;
      this.liveNow = true;
      return;
    }
    if (transport.mode === "postgres") {
      const { default: pg } = await import("pg");
      // The pool's own connection settings, so the listener reaches the same database.
      const client = new pg.Client((transport as PostgresTransport).pool.options);
      this.release = () => client.end();
      client.on("notification", (n) => {
        if (n.channel === MESSAGE_CHANNEL) this.emit(parseNotice(n.payload));
      });
      client.on("error", (error) => {
        log.warn("realtime.connection_lost", { error: error.message });
        // Streams that are open keep their subscription; bring the notices back for them.
        this.restartLater(transport);
      });
      await client.connect();
      await client.query(`listen ${MESSAGE_CHANNEL}`);
      this.liveNow = true;
      return;
    }
    const supabase = transport as Partial<SupabaseTransport>;
    if (typeof supabase.realtimeClient !== "function") return;
    await this.subscribeRealtime(transport, supabase.realtimeClient());
  }

  private async subscribeRealtime(transport: Transport, client: ReturnType<SupabaseTransport["realtimeClient"]>): Promise<void> {
    // The token (the service-role key: no user session here) goes in the join itself, rather than
    // in a later access_token message, so the channel is authorised from its first frame.
    await client.setAuth();
    let released = false;
    const onChange = (change: { eventType?: string; new?: Record<string, unknown> }) => {
      const n = noticeFromChange(change);
      if (!n) log.warn("realtime.change_dropped", { eventType: change.eventType ?? null });
      this.emit(n);
    };
    const channel = client
      .channel(REALTIME_TOPIC)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "messages" }, onChange)
      .on("postgres_changes", { event: "UPDATE", schema: "public", table: "messages" }, onChange);
    channel.subscribe((status, error) => {
      if (released) return;
      this.liveNow = status === "SUBSCRIBED";
      if (this.liveNow) log.info("realtime.channel", { status });
      else log.warn("realtime.channel", { status, error: error?.message ?? null });
      // Phoenix rejoins by itself after an error or a timeout; a channel the server closed is gone.
      if (status === "CLOSED") this.restartLater(transport);
    });
    this.release = async () => {
      released = true;
      // A short leave: the socket goes next anyway, and a stop must not wait for a silent server.
      await channel.unsubscribe(1000);
      await client.disconnect();
    };
  }
}

const holder = globalThis as unknown as { __dulyMessageHub?: MessageHub };

/** The process-wide hub (kept on globalThis, like the database transport, across reloads). */
export function messageHub(): MessageHub {
  holder.__dulyMessageHub ??= new MessageHub();
  return holder.__dulyMessageHub;
}
