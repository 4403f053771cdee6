import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUser, expectSignedIn, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Security headers on the production build (docs/security.md): every page, API answer and static
// file carries them; the CSP nonce is fresh per request and on every script Next.js renders; and
// the app still hydrates and works under the policy, with no violation reported.

function cspDirectives(csp: string | undefined): Map<string, string[]> {
  expect(csp, "Content-Security-Policy").toBeTruthy();
  return new Map(
    csp!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function nonceOf(csp: string | undefined): string {
  const source = cspDirectives(csp).get("script-src")?.find((s) => s.startsWith("'nonce-"));
  expect(source, `nonce in ${csp}`).toBeDefined();
  return source!.slice("'nonce-".length, -1);
}

function expectStaticHeaders(h: Record<string, string>, where: string) {
  expect(h["strict-transport-security"], `${where} HSTS`).toMatch(/^max-age=\d{8,}/);
  expect(h["x-content-type-options"], `${where} nosniff`).toBe("nosniff");
  expect(h["referrer-policy"], `${where} Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"], `${where} Permissions-Policy`).toMatch(/camera=\(\)/);
  expect(h["x-frame-options"], `${where} X-Frame-Options`).toBe("DENY");
}

/** Records CSP violations in the page (before any of its own scripts run). */
async function watchViolations(page: Page): Promise<() => Promise<{ directive: string; blocked: string }[]>> {
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = [];
    (window as unknown as { __cspViolations: typeof seen }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI }));
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: { directive: string; blocked: string }[] }).__cspViolations);
}

test("a page carries every security header, with a nonce on each of its scripts", async ({ request }) => {
  const res: APIResponse = await request.get("/login");
  expect(res.status()).toBe(200);
  const h = res.headers();
  expectStaticHeaders(h, "/login");
  const d = cspDirectives(h["content-security-policy"]);
  expect(d.get("frame-ancestors")).toEqual(["'none'"]);
  expect(d.get("object-src")).toEqual(["'none'"]);
  expect(d.get("script-src")).toContain("'strict-dynamic'");
  expect(d.get("script-src")).not.toContain("'unsafe-eval'");
  expect(d.get("script-src")).not.toContain("'unsafe-inline'");

  const nonce = nonceOf(h["content-security-policy"]);
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, "every script Next.js renders carries the nonce").toContain(`nonce="${nonce}"`);

  const again = await request.get("/login");
  expect(nonceOf(again.headers()["content-security-policy"])).not.toBe(nonce);
});

test("API answers and static files carry the headers too", async ({ request }) => {
  const api = await request.get("/api/v1/version");
  expect(api.status()).toBe(200);
  expectStaticHeaders(api.headers(), "/api/v1/version");
  expect(cspDirectives(api.headers()["content-security-policy"]).get("frame-ancestors")).toEqual(["'none'"]);

  // An API client with a Bearer token does not pass through the proxy: the route wrapper alone
  // must give it the same headers and a request id.
  const login = await request.post("/api/v1/auth/login", { data: { email: demoUser("admin").email, password: DEMO_PASSWORD } });
  const token = (await login.json()).data.session.access_token as string;
  const bearer = await request.get("/api/v1/items?limit=1", { headers: { authorization: `Bearer ${token}`, cookie: "" } });
  expect(bearer.status()).toBe(200);
  expectStaticHeaders(bearer.headers(), "/api/v1/items with Bearer");
  expect(bearer.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(bearer.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  const html = await (await request.get("/login")).text();
  const chunk = /<script\b[^>]*\bsrc="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(chunk, "a static chunk on the login page").toBeTruthy();
  const file = await request.get(chunk!);
  expect(file.status()).toBe(200);
  expectStaticHeaders(file.headers(), chunk!);
});

test("the login form hydrates and signs in under the policy, with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  const user = demoUser("manager");
  const res = await page.goto("/login");
  expect(res?.headers()["content-security-policy"]).toMatch(/'nonce-/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  expect(await violations()).toEqual([]);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Only a hydrated form signs in through the API (unhydrated, the browser would submit a GET).
  await expectSignedIn(page, user);
  // The dashboard (its charts included) renders under the policy too.
  expect(await violations()).toEqual([]);
});

test("same-origin analytics and the Sentry tunnel may be reached; another origin may not", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const attempt = (url: string) =>
      fetch(url, { method: "POST", body: "{}" }).then(
        () => "sent",
        () => "failed",
      );
    return {
      insights: await attempt("/_vercel/insights/view"),
      speed: await attempt("/_vercel/speed-insights/vitals"),
      tunnel: await attempt("/monitoring"),
      elsewhere: await attempt("https://example.invalid/collect"),
    };
  });
  // Whatever the local server answers (it has no such routes), the browser let the requests go.
  expect(outcome).toMatchObject({ insights: "sent", speed: "sent", tunnel: "sent", elsewhere: "failed" });
  // The violation event is dispatched asynchronously, after the fetch has failed.
  await expect.poll(async () => (await violations()).map((v) => v.directive)).toEqual(["connect-src"]);
  expect((await violations())[0].blocked).toContain("example.invalid");
});

test("the app cannot be framed", async ({ page, baseURL }) => {
  // An empty page of another origin (about:blank, no policy of ours) framing the login page.
  const target = new URL("/login", baseURL).toString();
  const framed = page.waitForResponse((r) => r.url() === target);
  await page.setContent(`<iframe src="${target}"></iframe>`);
  const res = await framed;
  expect(res.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  // setContent waited for the load event, which waits for the frame: it was refused, so no frame
  // holds the login form.
  for (const frame of page.frames()) expect(await frame.locator("form").count()).toBe(0);
});

test("forms validate in the browser (zod) under the policy, with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/items/new");
  await hydrated(page.getByLabel("SKU"));
  await page.getByLabel("SKU").fill("bad sku!");
  await page.getByRole("button", { name: "등록" }).click();
  // The client-side schema ran (its message is shown) without asking for eval.
  await expect(page.locator("#item-sku-error")).toContainText("영문·숫자로 시작하는");
  expect(await violations()).toEqual([]);
});
