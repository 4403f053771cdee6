import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

// A Sentry ingest endpoint on loopback: keeps every envelope it is sent, as raw text, so tests
// can look for what must never leave the app.

export type Envelope = { raw: string; items: { type: string; payload: Record<string, unknown> }[] };

export type FakeSentry = {
  dsn: string;
  envelopes: Envelope[];
  /** Every envelope item of the given type received so far. */
  items(type: string): Record<string, unknown>[];
  close(): Promise<void>;
};

function parseEnvelope(raw: string): Envelope {
  const lines = raw.split("\n");
  const items: Envelope["items"] = [];
  // Line 0 is the envelope header; then each item is a header line and a payload line.
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i]) as { type: string };
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(lines[i + 1]) as Record<string, unknown>;
    } catch {
      // attachments and other non-JSON payloads: kept in raw only
    }
    items.push({ type: header.type, payload });
  }
  return { raw, items };
}

export async function startFakeSentry(): Promise<FakeSentry> {
  const envelopes: Envelope[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      if (req.url?.includes("/envelope/")) envelopes.push(parseEnvelope(body.toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    items: (type) => envelopes.flatMap((e) => e.items.filter((i) => i.type === type).map((i) => i.payload)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
