import net from "node:net";

// A loopback TCP proxy in front of a real server, for outage tests: "forward" passes bytes both
// ways; "freeze" keeps every connection open and accepts new ones, but nothing passes any more (a
// stopped server process, a dead network path: no refusal, no answer); "refuse" stops listening
// and drops every connection (a server that is down). The same port throughout, so a client
// configured once sees the server go away and come back.

export type ProxyMode = "forward" | "freeze" | "refuse";

export type TcpProxy = {
  readonly port: number;
  setMode(mode: ProxyMode): Promise<void>;
  /** Connections accepted so far (also while frozen). */
  readonly accepted: number;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "forward";
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };

  const onConnection = (client: net.Socket) => {
    accepted++;
    track(client);
    if (mode === "freeze") return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };

  let server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };

  return {
    port,
    get accepted() {
      return accepted;
    },
    async setMode(next) {
      if (next === mode) return;
      if (mode === "refuse") {
        server = net.createServer(onConnection);
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      }
      if (next === "freeze") {
        // Open connections stay open and silent: nothing read, nothing passed on.
        for (const s of sockets) {
          s.unpipe();
          s.pause();
        }
      } else {
        // Leaving a freeze or going down: connections do not survive either.
        dropAll();
      }
      if (next === "refuse") await new Promise<void>((resolve) => server.close(() => resolve()));
      mode = next;
    },
    async close() {
      dropAll();
      if (mode !== "refuse") await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
