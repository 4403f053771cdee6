import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

// The npm registry's advisory endpoint on loopback (POST /-/npm/v1/security/advisories/bulk, what
// `npm audit` asks): answers with canned advisories for the packages it is asked about, or with
// 405 as the registry reachable from this machine does. Anything else is 404.

export type Advisory = { id: number; url: string; title: string; severity: "low" | "moderate" | "high" | "critical"; vulnerable_versions: string };

export type FakeNpmRegistry = {
  url: string;
  /** Package names npm asked about, per bulk request. */
  asked: string[][];
  close(): Promise<void>;
};

export async function startFakeNpmRegistry(opts: { advisories?: Record<string, Advisory[]>; status?: number }): Promise<FakeNpmRegistry> {
  const asked: string[][] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.startsWith("/-/npm/v1/security/advisories/bulk")) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
        return;
      }
      if (opts.status && opts.status !== 200) {
        res.writeHead(opts.status, { allow: "GET,HEAD" }).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const names = Object.keys(JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>);
      asked.push(names);
      const answer = Object.fromEntries(Object.entries(opts.advisories ?? {}).filter(([name]) => names.includes(name)));
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
