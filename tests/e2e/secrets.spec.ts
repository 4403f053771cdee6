import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import config from "../../playwright.config";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, demoUser } from "./demo-users";
import { SERVICE_ROLE_CANARY } from "./secret-canary";

// The service-role key never reaches a browser: not in the client bundle (.next/static) of a
// build made with it set, not in any page, RSC payload, API answer or header of a server that
// holds it. The key is a stand-in (secret-canary.ts); a real Supabase key (a JWT whose payload
// says "role":"service_role") is looked for too, in case the build had one.

const ROOT = path.join(__dirname, "..", "..");

/** The base64url forms of `text` at each of the three byte alignments (as inside a JWT). */
function base64Forms(text: string): string[] {
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.from("x".repeat(k) + text).toString("base64url");
    const end = Math.floor((k + text.length) / 3) * 4;
    return encoded.slice(k === 0 ? 0 : 4, end);
  });
}

/** What must never be sent (test.info() exists only inside a test, so this is called there). */
function secrets(): { name: string; value: string }[] {
  const env = test.info().config.webServer?.env ?? {};
  return [
    { name: "the service-role key", value: SERVICE_ROLE_CANARY },
    { name: "the session signing secret", value: env.AUTH_JWT_SECRET ?? "" },
    // Not a secret itself, but its presence would mean the server's env schema (lib/env.ts) was
    // bundled for the browser, one import away from leaking a value.
    { name: "the server environment schema", value: "SUPABASE_SERVICE_ROLE_KEY" },
    ...base64Forms('"role":"service_role"').map((value) => ({ name: "a service-role JWT", value })),
  ].filter((s) => s.value.length >= 16);
}

function expectClean(text: string, where: string) {
  for (const s of secrets()) expect(text.includes(s.value), `${s.name} in ${where}`).toBe(false);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test("the test really holds the key: the build and the server both get it", () => {
  const scripts = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
  expect(scripts["test:e2e"]).toContain(`SUPABASE_SERVICE_ROLE_KEY=${SERVICE_ROLE_CANARY} next build`);
  // Every app server the config starts (one per worker, and the translation one) holds it.
  const servers = [config.webServer ?? []].flat().filter((s) => s.command.includes("next start"));
  expect(servers.length).toBeGreaterThan(1);
  for (const server of servers) expect(server.env?.SUPABASE_SERVICE_ROLE_KEY, server.command).toBe(SERVICE_ROLE_CANARY);
});

test("the client bundle (.next/static) never holds the key", () => {
  const dir = path.join(ROOT, ".next", "static");
  expect(existsSync(dir), "run after `next build` (npm run test:e2e builds first)").toBe(true);
  const files = walk(dir).filter((f) => /\.(js|mjs|css|json|txt|html|map)$/.test(f));
  expect(files.filter((f) => f.endsWith(".js")).length).toBeGreaterThan(5);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const where = path.relative(ROOT, file);
    expectClean(text, where);
  }
});

async function signedIn(request: APIRequestContext, who: Parameters<typeof demoUser>[0]): Promise<string> {
  const res = await request.post("/api/v1/auth/login", { data: { email: demoUser(who).email, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  const body = await res.text();
  expectClean(body, "the login answer");
  expectClean(JSON.stringify(res.headers()), "the login answer's headers");
  return (JSON.parse(body) as { data: { session: { access_token: string } } }).data.session.access_token;
}

async function fetchAll(request: APIRequestContext, paths: string[], headers: Record<string, string> = {}) {
  for (const p of paths) {
    const variants: Record<string, string>[] = [{}, { RSC: "1" }];
    for (const variant of variants) {
      if (p.startsWith("/api") && "RSC" in variant) continue;
      const res = await request.get(p, { headers: { ...headers, ...variant } });
      const where = `${p}${"RSC" in variant ? " (RSC payload)" : ""} → ${res.status()}`;
      expect(res.status(), where).toBeLessThan(500);
      expectClean(await res.text(), where);
      expectClean(JSON.stringify(res.headersArray()), `${where} headers`);
    }
  }
}

const PUBLIC = ["/", "/login", "/healthz", "/health", "/health/live", "/health/ready", "/api/health", "/api/v1/version", "/api/v1/auth/login", "/no-such-page", "/api/v1/no-such-route", "/api/v1/items"];
const STAFF = ["/dashboard", "/items", "/items/new", "/stocks", "/flows", "/flows/new", "/engines", "/locations", "/api/v1/auth/me", "/api/v1/items", "/api/v1/stocks", "/api/v1/flows", "/api/v1/engines", "/api/v1/locations", "/api/v1/dashboard", "/api/v1/ledger"];
const ADMIN = ["/admin/users", "/admin/audit", "/api/v1/users", "/api/v1/audit"];
const CUSTOMER = ["/portal", "/api/v1/auth/me", "/dashboard"];

test("no page, RSC payload, API answer or header sends the key: signed out", async ({ request }) => {
  await fetchAll(request, PUBLIC);
  const bad = await request.post("/api/v1/auth/login", { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } });
  expect(bad.status()).toBe(400);
  expectClean(await bad.text(), "a bad login body");
});

test("no page, RSC payload, API answer or header sends the key: admin (session cookie)", async ({ request }) => {
  await signedIn(request, "admin");
  await fetchAll(request, [...STAFF, ...ADMIN]);
});

test("no page, RSC payload, API answer or header sends the key: customer (bearer token)", async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const token = await signedIn(api, "acme");
  await fetchAll(api, CUSTOMER, { authorization: `Bearer ${token}` });
  await api.dispose();
});
