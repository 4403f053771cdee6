import "server-only";
import { BlockList, isIP } from "node:net";
import { env, type Env } from "@/lib/env";
import { log } from "@/lib/log";

// The client's address, for the per-address rate limits (docs/security.md, "Rate limits"). Only
// what the platform or a configured proxy vouches for: a client can put anything in
// X-Forwarded-For, and `next start` keeps a client's own value (it fills the header from the
// socket only when the request has none), so without a proxy we know no address at all.

/** An IP address from a header entry (a port or IPv6 brackets removed, IPv4-mapped IPv6 as IPv4). */
export function normaliseAddress(raw: string | null | undefined): string | null {
  let v = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:/i.test(v) && isIP(v.slice(7)) === 4) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}

const firstEntry = (value: string | null) => value?.split(",")[0] ?? null;

const lists = new WeakMap<object, BlockList>();

function proxyList(config: { proxies: string[] }): BlockList {
  let list = lists.get(config);
  if (!list) {
    list = new BlockList();
    for (const entry of config.proxies) {
      const [address, prefix] = entry.split("/");
      const type = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
    lists.set(config, list);
  }
  return list;
}

/** X-Forwarded-For read from the right, past the configured proxies. */
function behindProxies(headers: Headers, trusted: NonNullable<Env["TRUSTED_PROXIES"]>): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  if ("hops" in trusted) {
    // Each of the N proxies appended the address it received the request from; the nearest one's
    // own address is the socket's, not in the header. The client is N entries from the right.
    return hops.length >= trusted.hops ? normaliseAddress(hops[hops.length - trusted.hops]) : null;
  }
  const list = proxyList(trusted);
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = normaliseAddress(hops[i]);
    // A hop that is not an address was not written by a proxy we trust: stop believing the header.
    if (!address) return null;
    if (!list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4")) return address;
  }
  return null;
}

let warned = false;

/**
 * The client's address, or null when no one we trust reports it. On Vercel (VERCEL is set), the
 * headers Vercel writes itself: x-vercel-forwarded-for (kept even behind another proxy), then
 * x-real-ip and x-forwarded-for (Vercel overwrites a client's own). Elsewhere X-Forwarded-For only
 * with TRUSTED_PROXIES, taking the right-most address that is not a proxy.
 */
export function clientAddress(headers: Headers): string | null {
  const e = env();
  const address = e.VERCEL
    ? (normaliseAddress(firstEntry(headers.get("x-vercel-forwarded-for"))) ??
      normaliseAddress(headers.get("x-real-ip")) ??
      normaliseAddress(firstEntry(headers.get("x-forwarded-for"))))
    : e.TRUSTED_PROXIES
      ? behindProxies(headers, e.TRUSTED_PROXIES)
      : null;
  if (!address && !warned) {
    warned = true;
    log.warn("rate_limit.client_address_unknown", {
      hint: e.VERCEL || e.TRUSTED_PROXIES ? "a request without a trusted address" : "set TRUSTED_PROXIES behind a reverse proxy",
    });
  }
  return address;
}
