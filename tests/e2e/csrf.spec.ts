import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type Response } from "@playwright/test";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";

// Cross-site request forgery from the same site (docs/security.md, "Cross-site requests"). The app
// is opened at http://127.0.0.1:<port>; an attacker page is served by this test on another port
// of 127.0.0.1: another origin, but the same site, so the browser sends the SameSite=Lax session
// cookie with its form posts and no-cors fetches. Both attacks must be refused and write nothing.

let attacker: Server;
let attackerOrigin: string;
let pageHtml = "";

test.beforeAll(async () => {
  attacker = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(pageHtml);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => attacker.close(() => resolve()));
});

/** The app's own origin on 127.0.0.1 (the config's base URL names localhost, another site). */
function appOrigin(baseURL: string | undefined): string {
  return `http://127.0.0.1:${new URL(baseURL!).port}`;
}

async function signIn(page: Page, app: string) {
  // Through the API, as the tests do: the cookie lands in this browser context for 127.0.0.1.
  const res = await page.request.post(`${app}/api/v1/auth/login`, { data: { email: USERS.admin.email, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  expect((await page.context().cookies(app)).map((c) => c.name)).toContain("duly_session");
}

async function engineCodes(page: Page, app: string): Promise<string[]> {
  const res = await page.request.get(`${app}/api/v1/engines?limit=100`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { code: string }[] }).data.map((e) => e.code);
}

/** What the browser got back for the request the page sends to `url` (cross-origin, so only we can see it). */
function answerTo(page: Page, url: string): Promise<Response> {
  return page.waitForResponse((r) => r.url() === url && r.request().method() === "POST");
}

test("a page on another port of the same host cannot create an engine as the signed-in admin", async ({ page, baseURL }) => {
  const app = appOrigin(baseURL);
  const stamp = Date.now().toString(36).toUpperCase();
  const formCode = `CSRF-FORM-${stamp}`;
  const fetchCode = `CSRF-FETCH-${stamp}`;
  const ownCode = `CSRF-OWN-${stamp}`;
  await signIn(page, app);

  // A text/plain form whose single field makes the body read as JSON, and a no-cors fetch.
  const formName = `{"code":"${formCode}","name_ko":"위조","x":"`;
  pageHtml = `<!doctype html><title>elsewhere</title>
    <form id="forged" method="POST" action="${app}/api/v1/engines" enctype="text/plain">
      <input type="hidden" name='${formName}' value='"}'>
    </form>
    <form id="signout" method="POST" action="${app}/api/v1/auth/logout"></form>
    <script>
      window.forgeFetch = () => fetch(${JSON.stringify(`${app}/api/v1/engines`)}, {
        method: "POST", mode: "no-cors", credentials: "include",
        body: JSON.stringify({ code: ${JSON.stringify(fetchCode)}, name_ko: "위조" }),
      }).then(() => "sent", (e) => String(e));
    </script>`;

  await page.goto(`${attackerOrigin}/`);
  // The attack is real: the browser sends the admin's cookie with this page's requests to the
  // app (a read passes the origin rule, and answers 200 only with the session).
  const read = page.waitForResponse((r) => r.url() === `${app}/api/v1/auth/me`);
  expect(await page.evaluate((url) => fetch(url, { mode: "no-cors", credentials: "include" }).then(() => "sent"), `${app}/api/v1/auth/me`)).toBe("sent");
  expect((await read).status()).toBe(200);

  const fetched = answerTo(page, `${app}/api/v1/engines`);
  expect(await page.evaluate(() => (window as unknown as { forgeFetch: () => Promise<string> }).forgeFetch())).toBe("sent");
  const fetchAnswer = await fetched;
  expect(fetchAnswer.status()).toBe(403);

  await page.goto(`${attackerOrigin}/`);
  const posted = answerTo(page, `${app}/api/v1/engines`);
  await page.evaluate(() => (document.getElementById("forged") as HTMLFormElement).submit());
  const formAnswer = await posted;
  expect(formAnswer.status()).toBe(403);
  expect(await formAnswer.json()).toMatchObject({ error: { code: "cross_origin" } });
  expect(formAnswer.request().postData()).toContain(`"code":"${formCode}"`);
  // The form navigated the page to the refusal: let that navigation finish before the next one.
  await page.waitForURL(`${app}/api/v1/engines`);

  // Nor sign the admin out (logout CSRF).
  await page.goto(`${attackerOrigin}/`);
  const signedOut = answerTo(page, `${app}/api/v1/auth/logout`);
  await page.evaluate(() => (document.getElementById("signout") as HTMLFormElement).submit());
  expect((await signedOut).status()).toBe(403);
  await page.waitForURL(`${app}/api/v1/auth/logout`);
  expect((await page.request.get(`${app}/api/v1/auth/me`)).status()).toBe(200);

  // The app's own page, same session, same request: created. So the refusals above were the
  // origin rule, not a session that did not work.
  await page.goto(`${app}/dashboard`);
  const own = await page.evaluate(
    async ({ url, code }) => (await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code, name_ko: "정상" }) })).status,
    { url: `${app}/api/v1/engines`, code: ownCode },
  );
  expect(own).toBe(201);

  const codes = await engineCodes(page, app);
  expect(codes).toContain(ownCode);
  expect(codes).not.toContain(formCode);
  expect(codes).not.toContain(fetchCode);
});
