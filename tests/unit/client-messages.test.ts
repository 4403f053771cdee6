import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_NAMESPACES, clientMessages, loadMessages } from "@/lib/i18n/messages";

// The browser receives only CLIENT_NAMESPACES (app/layout.tsx): a client component reading any
// other namespace would show raw keys. useTranslations is the hook client components read messages
// with (server components use getTranslations), so every call in components/ and app/ must name
// one of those namespaces.

const root = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

describe("messages sent to the browser", () => {
  const calls = [...sources(path.join(root, "components")), ...sources(path.join(root, "app"))].flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\buseTranslations\(([^)]*)\)/g)].map((m) => ({ file: path.relative(root, file), arg: m[1].trim() })),
  );

  it("finds the client components' useTranslations calls", () => {
    expect(calls.length).toBeGreaterThan(50);
  });

  it("every useTranslations call names a namespace the browser receives", () => {
    const bad = calls.filter(({ arg }) => {
      const ns = /^"([a-zA-Z]+)[".]/.exec(arg)?.[1];
      return !ns || !(CLIENT_NAMESPACES as readonly string[]).includes(ns);
    });
    expect(bad).toEqual([]);
  });

  it("keeps the client namespaces and drops the server-only ones", async () => {
    const all = await loadMessages("ko");
    const sent = clientMessages(all);
    expect(Object.keys(sent).sort()).toEqual([...CLIENT_NAMESPACES].sort());
    expect(sent).not.toHaveProperty("audit");
    expect(sent).not.toHaveProperty("print");
    expect(sent.common).toEqual(all.common);
    expect(JSON.stringify(sent).length).toBeLessThan(JSON.stringify(all).length);
  });
});
