import "server-only";
import { getTransport, type Transport } from "@/lib/db";
import type { PgliteTransport } from "@/lib/db/pglite";
import type { PostgresTransport } from "@/lib/db/postgres";
import { log } from "@/lib/log";

// New-message notices for the server-sent-events stream, from Postgres LISTEN/NOTIFY (the trigger
// on public.messages in 20261122000700_inspections.sql). One listener per process fans out to
// every open stream. The notice carries ids only: each stream then reads the message through its
// own user's session, so RLS decides what anyone receives.
//   embedded: PGlite's own listen() (one connection; LISTEN outside any transaction, so it stays)
//   postgres: a dedicated client, never a pooled one (a pooled connection returns to the pool and
//             its LISTEN goes with it); reconnects after a lost connection
//   supabase: no LISTEN here (no direct connection); streams fall back to polling.

export type MessageNotice = { id: string; inspection_id: string; customer_id: string; from_staff: boolean };
type Listener = (notice: MessageNotice) => void;

export const MESSAGE_CHANNEL = "duly_messages";
const RECONNECT_MS = 2000;

class MessageHub {
  private readonly listeners = new Set<Listener>();
  private starting: Promise<boolean> | null = null;

  private transport: Transport | null = null;
  /** Undoes the current LISTEN (unlisten on PGlite, closing the dedicated Postgres client). */
  private release: (() => Promise<void>) | null = null;

  /** Starts listening if needed; false when this mode has no LISTEN (callers poll instead). */
  async start(): Promise<boolean> {
    const transport = await getTransport();
    // A new transport (tests install one per file) needs its own LISTEN.
    if (transport !== this.transport) {
      await this.stop();
      this.transport = transport;
    }
    if (!this.starting) {
      this.starting = this.listen(transport).catch((error) => {
        log.error("realtime.listen_failed", { error: error instanceof Error ? error.message : String(error) });
        this.starting = null;
        return false;
      });
    }
    return this.starting;
  }

  /** Stops listening (tests, before their database is closed or dropped; a new transport). */
  async stop(): Promise<void> {
    const release = this.release;
    this.release = null;
    this.starting = null;
    this.transport = null;
    await release?.().catch(() => undefined);
  }

  /** Open subscriptions (streams that have not ended). */
  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(payload: string | undefined): void {
    if (!payload) return;
    let notice: MessageNotice;
    try {
      notice = JSON.parse(payload) as MessageNotice;
    } catch {
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (error) {
        log.error("realtime.listener_failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private async listen(transport: Transport): Promise<boolean> {
    if (transport.mode === "embedded") {
      const unlisten = await (transport as PgliteTransport).db.listen(MESSAGE_CHANNEL, (payload) => this.emit(payload));
      this.release = unlisten;
      return true;
    }
    if (transport.mode === "postgres") {
      const { default: pg } = await import("pg");
      // The pool's own connection settings, so the listener reaches the same database.
      const client = new pg.Client((transport as PostgresTransport).pool.options);
      this.release = () => client.end();
      client.on("notification", (n) => {
        if (n.channel === MESSAGE_CHANNEL) this.emit(n.payload);
      });
      client.on("error", (error) => {
        log.warn("realtime.connection_lost", { error: error.message });
        if (this.transport !== transport) return;
        void this.stop();
        // Streams that are open keep their subscription; bring the notices back for them.
        setTimeout(() => {
          if (this.listeners.size > 0) void this.start();
        }, RECONNECT_MS);
      });
      await client.connect();
      await client.query(`listen ${MESSAGE_CHANNEL}`);
      return true;
    }
    return false;
  }
}

const holder = globalThis as unknown as { __dulyMessageHub?: MessageHub };

/** The process-wide hub (kept on globalThis, like the database transport, across reloads). */
export function messageHub(): MessageHub {
  holder.__dulyMessageHub ??= new MessageHub();
  return holder.__dulyMessageHub;
}
