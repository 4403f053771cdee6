import type { IncomingMessage, Server } from "node:http";
import { createRequire } from "node:module";
import type { Duplex } from "node:stream";

// A loopback stand-in for Supabase Realtime: the Phoenix websocket protocol as realtime-js speaks
// it (node_modules/@supabase/realtime-js and @supabase/phoenix), on the fake Supabase's own HTTP
// server (/realtime/v1/websocket), with the `ws` that Next bundles. It records what the client
// sends, answers joins (with one id per postgres_changes binding, as the real server does),
// leaves and heartbeats, and lets a test push postgres_changes events or drop every connection.
// Frames are JSON objects (vsn 1.0.0) or arrays [join_ref, ref, topic, event, payload] (2.0.0),
// as the client asked in its URL.

type WsSocket = {
  send(data: string): void;
  on(event: "message", listener: (data: Buffer) => void): void;
  on(event: "close", listener: () => void): void;
  terminate(): void;
};
type WsServer = {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsSocket) => void): void;
  close(): void;
};

export type Frame = { join_ref: string | null; ref: string | null; topic: string; event: string; payload: Record<string, unknown> };
type Binding = { id: number; event: string; schema: string; table: string; filter?: string };

export type FakeRealtime = {
  /** The URL of every websocket opened (apikey and vsn are in its query). */
  readonly urls: URL[];
  /** Every frame received, in order. */
  readonly frames: Frame[];
  /** How a join is answered: "ok" (default), "error", or "silent" (the client's join times out). */
  joinReply: "ok" | "error" | "silent";
  /** Whether heartbeats are answered (false: a half-open socket, as the client sees one). */
  heartbeats: boolean;
  /** Open connections. */
  readonly open: number;
  /** Sends a postgres_changes event to every channel joined with a binding for it; how many got it. */
  push(change: { type: "INSERT" | "UPDATE"; schema?: string; table: string; record: Record<string, unknown> }): number;
  /** Closes every connection abruptly (a network drop), as the client sees a lost socket. */
  drop(): void;
  close(): void;
};

const decode = (text: string): Frame | null => {
  try {
    const raw = JSON.parse(text) as unknown;
    if (Array.isArray(raw)) {
      const [join_ref, ref, topic, event, payload] = raw as [string | null, string | null, string, string, Record<string, unknown>];
      return { join_ref, ref, topic, event, payload };
    }
    return raw as Frame;
  } catch {
    return null;
  }
};

export function attachFakeRealtime(server: Server): FakeRealtime {
  const require = createRequire(import.meta.url);
  const { WebSocketServer } = require("next/dist/compiled/ws") as { WebSocketServer: new (opts: { noServer: true }) => WsServer };
  const wss = new WebSocketServer({ noServer: true });
  const urls: URL[] = [];
  const frames: Frame[] = [];
  const sockets = new Set<WsSocket>();
  // Per socket: the channels joined on it (topic → join_ref and bindings).
  const joined = new Map<WsSocket, Map<string, { joinRef: string | null; bindings: Binding[] }>>();
  const versions = new Map<WsSocket, string>();
  let nextId = 1000;

  const fake: FakeRealtime = {
    urls,
    frames,
    joinReply: "ok",
    heartbeats: true,
    get open() {
      return sockets.size;
    },
    push(change) {
      let delivered = 0;
      const schema = change.schema ?? "public";
      for (const [ws, channels] of joined) {
        for (const [topic, channel] of channels) {
          const ids = channel.bindings
            .filter((b) => (b.event === "*" || b.event === change.type) && b.schema === schema && b.table === change.table)
            .map((b) => b.id);
          if (ids.length === 0) continue;
          const columns = Object.entries(change.record).map(([name, value]) => ({
            name,
            type: typeof value === "boolean" ? "bool" : name.endsWith("_at") ? "timestamptz" : name === "body" ? "text" : "uuid",
          }));
          send(ws, {
            join_ref: channel.joinRef,
            ref: null,
            topic,
            event: "postgres_changes",
            payload: {
              ids,
              data: { schema, table: change.table, commit_timestamp: new Date().toISOString(), type: change.type, columns, record: change.record, old_record: change.type === "UPDATE" ? { id: change.record.id } : undefined, errors: null },
            },
          });
          delivered += 1;
        }
      }
      return delivered;
    },
    drop() {
      for (const ws of sockets) ws.terminate();
    },
    close() {
      fake.drop();
      wss.close();
      server.off("upgrade", onUpgrade);
    },
  };

  function send(ws: WsSocket, frame: Frame): void {
    const text = versions.get(ws) === "2.0.0" ? JSON.stringify([frame.join_ref, frame.ref, frame.topic, frame.event, frame.payload]) : JSON.stringify(frame);
    ws.send(text);
  }

  function reply(ws: WsSocket, to: Frame, status: "ok" | "error", response: Record<string, unknown>): void {
    send(ws, { join_ref: to.join_ref, ref: to.ref, topic: to.topic, event: "phx_reply", payload: { status, response } });
  }

  function onFrame(ws: WsSocket, frame: Frame): void {
    frames.push(frame);
    if (frame.topic === "phoenix" && frame.event === "heartbeat") {
      if (fake.heartbeats) reply(ws, frame, "ok", {});
      return;
    }
    if (frame.event === "phx_join") {
      if (fake.joinReply === "silent") return;
      if (fake.joinReply === "error") return reply(ws, frame, "error", { reason: "fake: join refused" });
      const config = (frame.payload.config ?? {}) as { postgres_changes?: Omit<Binding, "id">[] };
      const bindings = (config.postgres_changes ?? []).map((b) => ({ ...b, id: nextId++ }));
      joined.get(ws)!.set(frame.topic, { joinRef: frame.join_ref, bindings });
      reply(ws, frame, "ok", { postgres_changes: bindings });
      // What the real server says once its replication slot serves the channel.
      send(ws, { join_ref: frame.join_ref, ref: null, topic: frame.topic, event: "system", payload: { status: "ok", message: "Subscribed to PostgreSQL", extension: "postgres_changes", channel: frame.topic.replace(/^realtime:/, "") } });
      return;
    }
    if (frame.event === "phx_leave") {
      joined.get(ws)!.delete(frame.topic);
      return reply(ws, frame, "ok", {});
    }
    // access_token refreshes and anything else: accepted without an answer, as the server does.
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/realtime/v1/websocket") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      urls.push(url);
      sockets.add(ws);
      joined.set(ws, new Map());
      versions.set(ws, url.searchParams.get("vsn") ?? "1.0.0");
      ws.on("message", (data) => {
        const frame = decode(data.toString("utf8"));
        if (frame) onFrame(ws, frame);
      });
      ws.on("close", () => {
        sockets.delete(ws);
        joined.delete(ws);
        versions.delete(ws);
      });
    });
  }

  server.on("upgrade", onUpgrade);
  return fake;
}
