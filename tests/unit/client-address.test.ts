import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { clientAddress, normaliseAddress } from "@/lib/http/client-address";

// The client's address for the per-address rate limits: only what Vercel or a configured proxy
// vouches for (docs/security.md, "Rate limits").

const saved = { VERCEL: process.env.VERCEL, TRUSTED_PROXIES: process.env.TRUSTED_PROXIES };

function configure(vars: { VERCEL?: string; TRUSTED_PROXIES?: string }) {
  delete process.env.VERCEL;
  delete process.env.TRUSTED_PROXIES;
  Object.assign(process.env, vars);
  resetEnvCache();
}

afterEach(() => configure(Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined))));

const address = (headers: Record<string, string>) => clientAddress(new Headers(headers));

describe("without Vercel or TRUSTED_PROXIES", () => {
  it("no header is believed: X-Forwarded-For and X-Real-IP are the client's to write", () => {
    configure({});
    expect(address({ "x-forwarded-for": "203.0.113.9" })).toBeNull();
    expect(address({ "x-real-ip": "203.0.113.9", "x-vercel-forwarded-for": "203.0.113.9" })).toBeNull();
  });
});

describe("on Vercel", () => {
  it("x-vercel-forwarded-for first, then x-real-ip, then x-forwarded-for's first entry", () => {
    configure({ VERCEL: "1" });
    expect(address({ "x-vercel-forwarded-for": "203.0.113.1", "x-real-ip": "203.0.113.2", "x-forwarded-for": "203.0.113.3" })).toBe("203.0.113.1");
    expect(address({ "x-real-ip": "203.0.113.2", "x-forwarded-for": "203.0.113.3" })).toBe("203.0.113.2");
    expect(address({ "x-forwarded-for": "203.0.113.3, 10.0.0.1" })).toBe("203.0.113.3");
    expect(address({})).toBeNull();
  });

  it("a value that is not an address is no address", () => {
    configure({ VERCEL: "1" });
    expect(address({ "x-vercel-forwarded-for": "login:email:abc" })).toBeNull();
  });
});

describe("behind trusted proxies", () => {
  it("a count: the entry that many places from the right; fewer entries than proxies, none", () => {
    configure({ TRUSTED_PROXIES: "1" });
    expect(address({ "x-forwarded-for": "198.51.100.66, 203.0.113.7" })).toBe("203.0.113.7");
    configure({ TRUSTED_PROXIES: "2" });
    expect(address({ "x-forwarded-for": "198.51.100.66, 203.0.113.7, 10.0.0.2" })).toBe("203.0.113.7");
    expect(address({ "x-forwarded-for": "203.0.113.7" })).toBeNull();
  });

  it("a list: the right-most entry that is not one of the proxies (addresses and ranges, IPv4 and IPv6)", () => {
    configure({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7, 2001:db8::/32" });
    expect(address({ "x-forwarded-for": "198.51.100.66, 203.0.113.7, 10.1.2.3, 192.0.2.7" })).toBe("203.0.113.7");
    expect(address({ "x-forwarded-for": "2001:db9::1, 2001:db8::5" })).toBe("2001:db9::1");
    // Only proxies, or a hop that is not an address: nothing to believe.
    expect(address({ "x-forwarded-for": "10.0.0.1, 192.0.2.7" })).toBeNull();
    expect(address({ "x-forwarded-for": "203.0.113.7, nonsense, 10.0.0.1" })).toBeNull();
  });

  it("refuses a setting that is neither a count nor addresses", () => {
    configure({ TRUSTED_PROXIES: "the load balancer" });
    expect(() => address({})).toThrow(/TRUSTED_PROXIES/);
    configure({ TRUSTED_PROXIES: "0" });
    expect(() => address({})).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("normaliseAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7:51234 ", "203.0.113.7"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["unknown", null],
    ["", null],
  ])("%s → %s", (raw, expected) => {
    expect(normaliseAddress(raw)).toBe(expected);
  });
});
