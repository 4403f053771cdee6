import { describe, expect, it } from "vitest";
import { appendCookies, parseCookies, serializeCookie } from "@/lib/auth/cookies";

describe("parseCookies", () => {
  it("returns an empty map for a missing or empty header", () => {
    expect(parseCookies(null).size).toBe(0);
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies("").size).toBe(0);
    expect(parseCookies(";;  ; ").size).toBe(0);
  });

  it("reads name=value pairs, trimming the spaces around them", () => {
    const c = parseCookies("  a=1 ;b=two;   c = three  ");
    expect([...c]).toEqual([
      ["a", "1"],
      ["b", "two"],
      ["c", "three"],
    ]);
  });

  it("keeps everything after the first '=' as the value (base64 padding, JWT-like values)", () => {
    const c = parseCookies("t=abc==; jwt=x.y.z; kv=a=b=c");
    expect(c.get("t")).toBe("abc==");
    expect(c.get("jwt")).toBe("x.y.z");
    expect(c.get("kv")).toBe("a=b=c");
  });

  it("decodes percent-encoded values, and keeps a malformed encoding as it is", () => {
    const c = parseCookies("k=%ED%95%9C%EA%B8%80%20%E4%B8%AD; s=a%3Bb%2Cc; bad=%E0%A4%A; pct=100%");
    expect(c.get("k")).toBe("한글 中");
    expect(c.get("s")).toBe("a;b,c");
    expect(c.get("bad")).toBe("%E0%A4%A");
    expect(c.get("pct")).toBe("100%");
  });

  it("keeps the first of duplicate names (the most specific path comes first)", () => {
    const c = parseCookies("duly_session=first; other=1; duly_session=second");
    expect(c.get("duly_session")).toBe("first");
    expect(c.size).toBe(2);
  });

  it("skips parts without '=' or without a name, and keeps empty values", () => {
    const c = parseCookies("novalue; =orphan; empty=; ok=1");
    expect(c.has("novalue")).toBe(false);
    expect(c.has("")).toBe(false);
    expect(c.get("empty")).toBe("");
    expect(c.get("ok")).toBe("1");
  });

  it("is case-sensitive in names", () => {
    const c = parseCookies("A=1; a=2");
    expect(c.get("A")).toBe("1");
    expect(c.get("a")).toBe("2");
  });
});

describe("serializeCookie", () => {
  it("writes defaults: Path=/ and SameSite=Lax, nothing else", () => {
    expect(serializeCookie({ name: "n", value: "v", options: {} })).toBe("n=v; Path=/; SameSite=Lax");
  });

  it("writes every attribute it is given", () => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    const s = serializeCookie({
      name: "duly_session",
      value: "tok",
      options: { httpOnly: true, secure: true, sameSite: "strict", path: "/app", maxAge: 3600.9, expires, domain: "duly.test" },
    });
    expect(s).toBe("duly_session=tok; Path=/app; Max-Age=3600; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=duly.test; HttpOnly; Secure; SameSite=Strict");
  });

  it("writes Max-Age=0 for a cookie being cleared, and SameSite=None when asked", () => {
    const s = serializeCookie({ name: "n", value: "", options: { maxAge: 0, sameSite: "none", secure: true } });
    expect(s).toBe("n=; Path=/; Max-Age=0; Secure; SameSite=None");
  });

  it("encodes values so that ';', ',', spaces and non-ASCII cannot break the header, and parse reverses it", () => {
    for (const value of ["a;b", "x, y", "한글 值", "base64-eyJhIjoxfQ==", '"quoted"', "%41"]) {
      const header = serializeCookie({ name: "k", value, options: {} });
      const pair = header.split("; ")[0];
      expect(pair).not.toMatch(/[;, "]/);
      expect(/^[\x21-\x7e]*$/.test(pair)).toBe(true);
      expect(parseCookies(pair).get("k")).toBe(value);
    }
  });
});

describe("appendCookies", () => {
  it("adds one Set-Cookie header per cookie", () => {
    const headers = new Headers();
    appendCookies(headers, [
      { name: "a", value: "1", options: { httpOnly: true } },
      { name: "b", value: "2", options: { maxAge: 0 } },
    ]);
    expect(headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Path=/; Max-Age=0; SameSite=Lax"]);
  });

  it("adds nothing for no cookies", () => {
    const headers = new Headers();
    appendCookies(headers, []);
    expect(headers.getSetCookie()).toEqual([]);
  });
});
