import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reachable, ROOT, sourceFiles } from "../helpers/source-graph";
import { CLIENT_AREAS, CLIENT_NAMESPACES, clientMessages, loadMessages, type ClientArea } from "@/lib/i18n/messages";

// The browser receives only the client namespaces: the root layout sends CLIENT_AREAS.root, and
// the staff, portal and print layouts add their own part (components/shell/area-messages.tsx). A
// client component reading a namespace its page was not sent would show raw keys. useTranslations
// is the hook client components read messages with (server components use getTranslations), so
// every call must name a client namespace, and every call a part's pages can reach (following
// their imports) must name one that part is sent.

const app = path.join(ROOT, "app");
const USE_TRANSLATIONS = /\buseTranslations\(\s*"([a-zA-Z]+)/g;

/** The namespaces read by useTranslations in every file the entries import, directly or not. */
function namespacesReached(entries: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of reachable(entries).keys()) {
    for (const m of readFileSync(file, "utf8").matchAll(USE_TRANSLATIONS)) if (!found.has(m[1])) found.set(m[1], path.relative(ROOT, file));
  }
  return found;
}

/** The pages, layouts and boundaries of each part: the route groups, and the rest for the root. */
const AREA_ENTRIES: Record<ClientArea, string[]> = {
  root: readdirSync(app).flatMap((name) => {
    const full = path.join(app, name);
    if (!statSync(full).isDirectory()) return /\.tsx?$/.test(name) ? [full] : [];
    return name.startsWith("(") || ["api", "health", "healthz"].includes(name) ? [] : sourceFiles(full);
  }),
  staff: sourceFiles(path.join(app, "(staff)")),
  portal: sourceFiles(path.join(app, "(portal)")),
  print: sourceFiles(path.join(app, "(print)")),
};

describe("messages sent to the browser", () => {
  const calls = [...sourceFiles(path.join(ROOT, "components")), ...sourceFiles(app)].flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\buseTranslations\(([^)]*)\)/g)].map((m) => ({ file: path.relative(ROOT, file), arg: m[1].trim() })),
  );

  it("finds the client components' useTranslations calls", () => {
    expect(calls.length).toBeGreaterThan(50);
  });

  it("every useTranslations call names a namespace the browser receives", () => {
    const bad = calls.filter(({ arg }) => {
      const ns = /^"([a-zA-Z]+)[".]/.exec(arg)?.[1];
      return !ns || !CLIENT_NAMESPACES.includes(ns as never);
    });
    expect(bad).toEqual([]);
  });

  it("follows imports: a sign-in page reaches the forms' error sentences, not the inventory's", () => {
    const reached = namespacesReached([path.join(app, "login", "page.tsx")]);
    expect(reached.get("errors")).toBe("components/toolkit/error-text.ts");
    expect(reached.has("common")).toBe(false);
    expect(reached.has("inventory")).toBe(false);
    expect(namespacesReached([path.join(app, "(staff)", "stocks", "page.tsx")]).get("inventory")).toBe("components/inventory/stocks-table.tsx");
  });

  for (const area of Object.keys(AREA_ENTRIES) as ClientArea[]) {
    it(`sends the ${area} pages every namespace their client code reads, and no more`, () => {
      const sent = new Set<string>([...CLIENT_AREAS.root, ...CLIENT_AREAS[area]]);
      const reached = namespacesReached(AREA_ENTRIES[area]);
      const missing = [...reached].filter(([ns]) => !sent.has(ns)).map(([ns, file]) => `${ns} (${file})`);
      expect(missing).toEqual([]);
      // A namespace the part never reads is bytes on every one of its pages.
      const unread = CLIENT_AREAS[area].filter((ns) => !reached.has(ns));
      expect(unread).toEqual([]);
    });
  }

  it("keeps a part's client namespaces and drops the rest", async () => {
    const all = await loadMessages("ko");
    const sent = clientMessages(all, "portal");
    expect(Object.keys(sent).sort()).toEqual([...CLIENT_AREAS.portal].sort());
    expect(sent).not.toHaveProperty("inventory");
    expect(sent).not.toHaveProperty("audit");
    expect(sent.portal).toEqual(all.portal);
    expect(Object.keys(clientMessages(all, "root")).sort()).toEqual([...CLIENT_AREAS.root].sort());
    expect([...CLIENT_NAMESPACES].sort()).toEqual([...new Set(Object.values(CLIENT_AREAS).flat())].sort());
    expect(CLIENT_NAMESPACES).not.toContain("print");
  });
});
