import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { walkthrough } from "../../scripts/api-walkthrough";
import { DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Personal access tokens in the browser (the korean_team demo user's UI is Korean): create one,
// see it once, use it from a script, revoke it; and the API reference page, axe clean.

const ko = JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko/tokens.json"), "utf8"));
const en = JSON.parse(readFileSync(path.join(__dirname, "../../messages/en/tokens.json"), "utf8"));
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

async function expectNoViolations(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a user creates a token from the user menu, sees it once, uses it, and revokes it", async ({ page, request }) => {
  // axe walks each page: well past the default 30 s on a busy machine.
  test.setTimeout(120_000);
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/dashboard");
  await page.getByTestId("tokens-link").click();
  await expect(page.getByRole("heading", { level: 1, name: ko.title })).toBeVisible();

  const name = `E2E script ${Date.now().toString(36)}`;
  const nameField = page.getByLabel(ko.create.name);
  await hydrated(nameField);
  await nameField.fill(name);
  await page.getByLabel(ko.create.scope).selectOption("read");
  await page.getByRole("button", { name: ko.create.submit }).click();
  const value = page.getByTestId("new-token-value");
  await expect(value).toHaveValue(/^duly_pat_[0-9a-f]{64}$/);
  const token = await value.inputValue();
  await expectNoViolations(page, "token shown once");

  // A script with only the token.
  const items = await request.get("/api/v1/items", { headers: { Authorization: `Bearer ${token}` } });
  expect(items.status()).toBe(200);

  await page.getByRole("button", { name: ko.created.done }).click();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText(token);
  await expectNoViolations(page, "token list");

  await row.getByRole("button", { name: fill(ko.revoke.label, { name }) }).click();
  const dialog = page.getByRole("dialog", { name: fill(ko.revoke.confirmTitle, { name }) });
  await dialog.getByRole("button", { name: ko.revoke.button }).click();
  await expect(row).toContainText(ko.status.revoked);
  const after = await request.get("/api/v1/items", { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test("a customer creates a token in the portal; an admin sees it among everyone's and revokes it", async ({ page, request }) => {
  // axe walks each page: well past the default 30 s on a busy machine.
  test.setTimeout(120_000);
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/portal");
  await page.getByTestId("tokens-link").click();
  await expect(page).toHaveURL(/\/portal\/account\/tokens$/);
  const name = `E2E shop ${Date.now().toString(36)}`;
  const nameField = page.getByLabel(ko.create.name);
  await hydrated(nameField);
  await nameField.fill(name);
  await page.getByLabel(ko.create.expires).selectOption("365");
  await page.getByRole("button", { name: ko.create.submit }).click();
  const token = await page.getByTestId("new-token-value").inputValue();
  expect(token).toMatch(/^duly_pat_[0-9a-f]{64}$/);
  const stock = await request.get("/api/v1/portal/stock", { headers: { Authorization: `Bearer ${token}` } });
  expect(stock.status()).toBe(200);
  // The customer's own list has no switch to everyone's tokens.
  await page.getByRole("button", { name: ko.created.done }).click();
  await expect(page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name })).toBeVisible();
  await expect(page.getByTestId("tokens-scope-switch")).toHaveCount(0);

  await signInViaApi(page, demoUser("admin"));
  await page.goto("/account/tokens");
  await expect(page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name })).toHaveCount(0);
  await page.getByTestId("tokens-scope-switch").click();
  await expect(page).toHaveURL(/\/account\/tokens\?all=true$/);
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(demoUser("acme").displayName);
  await expectNoViolations(page, "every user's tokens");
  await row.getByRole("button", { name: fill(ko.revoke.label, { name }) }).click();
  await page.getByRole("dialog", { name: fill(ko.revoke.confirmTitle, { name }) }).getByRole("button", { name: ko.revoke.button }).click();
  await expect(row).toContainText(ko.status.revoked);
  expect((await request.get("/api/v1/portal/stock", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});

// The "done when", against the production server over HTTP: scripts/api-walkthrough.ts
// (npm run api:walkthrough) with nothing but three personal access tokens and the server's
// OpenAPI document. The tokens are made as a script would, from a session's bearer token.
test("the API walkthrough runs against the production server with only tokens and the OpenAPI document", async ({ baseURL }) => {
  const base = baseURL!;
  async function tokenOf(who: DemoUser, scope: "read" | "read_write"): Promise<string> {
    const login = await fetch(new URL("/api/v1/auth/login", base), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: USERS[who].email, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const session = ((await login.json()) as { data: { session: { access_token: string } } }).data.session.access_token;
    const created = await fetch(new URL("/api/v1/tokens", base), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
      body: JSON.stringify({ name: `walkthrough ${who}`, scope, expires_in_days: 30 }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { data: { token: string } }).data.token;
  }
  const lines: string[] = [];
  const result = await walkthrough({
    base,
    customerToken: await tokenOf("acme", "read"),
    staffToken: await tokenOf("korean", "read_write"),
    managerToken: await tokenOf("manager", "read_write"),
    log: (line) => lines.push(line),
  });
  expect(result.stock).toBeGreaterThan(0);
  expect(result.shipments).toBeGreaterThan(0);
  expect(result.flow).toMatchObject({ submitted: "submitted", status: "committed" });
  expect(lines.at(-1)).toBe(`manager: ${result.flow.number} committed`);
  // Read back with tokens too: created by the staff member; approved and committed by the manager (the audit log, an admin's token).
  const staff = await tokenOf("korean", "read");
  const flow = await fetch(new URL(`/api/v1/flows/${result.flow.id}`, base), { headers: { authorization: `Bearer ${staff}` } });
  expect(flow.status).toBe(200);
  expect(((await flow.json()) as { data: Record<string, unknown> }).data).toMatchObject({ status: "committed", created_by: USERS.korean.id });
  const admin = await tokenOf("admin", "read");
  for (const action of ["approved", "committed"]) {
    const audit = await fetch(new URL(`/api/v1/audit?table=flows&action=${action}&limit=100`, base), { headers: { authorization: `Bearer ${admin}` } });
    expect(audit.status).toBe(200);
    const rows = ((await audit.json()) as { data: { row_id: string | null; actor_id: string | null }[] }).data.filter((r) => r.row_id === result.flow.id);
    expect(rows.map((r) => r.actor_id), action).toEqual([USERS.manager.id]);
  }
});

test("the API reference renders from the OpenAPI document, axe clean, at /api/docs", async ({ page }) => {
  // axe walks each page: well past the default 30 s on a busy machine.
  test.setTimeout(120_000);
  await page.goto("/api/docs");
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole("heading", { level: 1, name: en.reference.title })).toBeVisible();
  const operation = page.getByTestId("api-operation").filter({ hasText: "Create a personal access token" });
  await operation.locator("summary").click();
  await expect(operation).toContainText(en.reference.requestBody);
  await expectNoViolations(page, "api reference");
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
});

// Signed in, the page speaks the user's language: its words, the section names and every
// operation's summary come from the catalogue (the paths and schemas stay as the document has them).
for (const [who, locale] of [["korean", "ko"], ["chinese", "zh"]] as const) {
  test(`the API reference in ${locale} for a signed-in ${who} user, axe clean`, async ({ page }) => {
    // A long page (every operation of the API), and axe walks all of it: minutes on a busy machine.
    test.setTimeout(180_000);
    const words = JSON.parse(readFileSync(path.join(__dirname, `../../messages/${locale}/api.json`), "utf8"));
    const tokens = JSON.parse(readFileSync(path.join(__dirname, `../../messages/${locale}/tokens.json`), "utf8"));
    await signInViaApi(page, demoUser(who));
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { level: 1, name: tokens.reference.title })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: words.tags.Flows })).toBeVisible();
    const operation = page.getByTestId("api-operation").filter({ hasText: "/api/v1/tokens" }).filter({ hasText: words.summaries.post_tokens });
    await expect(operation).toHaveCount(1);
    await operation.locator("summary").click();
    await expect(operation).toContainText(tokens.reference.requestBody);
    const submit = page.getByTestId("api-operation").filter({ hasText: "/api/v1/inbounds/{id}/submit" });
    await expect(submit).toContainText(words.summaries.post_inbounds_id_submit);
    await submit.locator("summary").click();
    await expect(submit.getByRole("cell", { name: words.in.path, exact: true })).toBeVisible();
    await expect(page.getByText("Create a personal access token")).toHaveCount(0);
    await expectNoViolations(page, `api reference (${locale})`);
  });
}

// "Try it" sends the request from the page with the reader's own session: what the reader may
// read comes back, what they may not is refused by the server, in the same words as any client.
test("Try it on the reference: a Korean staff user lists items; a missing address part is named; a customer is refused users", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const words = JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko/api.json"), "utf8"));
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/docs/api");
  const list = page.getByTestId("api-operation").filter({ hasText: words.summaries.get_items }).first();
  await list.locator("summary").click();
  const form = list.getByTestId("api-try-it");
  await expect(form.getByRole("heading", { name: ko.reference.try.title })).toBeVisible();
  await hydrated(form.getByRole("button", { name: ko.reference.try.send }));
  await form.getByRole("textbox", { name: /^q\b/ }).fill("LCD");
  await form.getByRole("button", { name: ko.reference.try.send }).click();
  await expect(form.getByTestId("api-try-status")).toHaveText(`${ko.reference.try.answer}: 200`);
  const body = JSON.parse((await form.getByTestId("api-try-body").textContent()) ?? "{}");
  expect(body.data.length).toBeGreaterThan(0);
  expect(body.data.every((i: { sku: string; name_en: string | null }) => /LCD/i.test(`${i.sku} ${i.name_en ?? ""}`))).toBe(true);

  const one = page.getByTestId("api-operation").filter({ hasText: words.summaries.get_items_id_ }).first();
  await one.locator("summary").click();
  const oneForm = one.getByTestId("api-try-it");
  await oneForm.getByRole("button", { name: ko.reference.try.send }).click();
  await expect(oneForm.getByRole("alert")).toHaveText(fill(ko.reference.try.missing, { name: "id" }));
  await oneForm.getByRole("textbox", { name: /^id\b/ }).fill("00000000-0000-4000-8000-000000000000");
  await oneForm.getByRole("button", { name: ko.reference.try.send }).click();
  await expect(oneForm.getByTestId("api-try-status")).toHaveText(`${ko.reference.try.answer}: 404`);

  const customer = await browser.newPage();
  await signInViaApi(customer, demoUser("acme"));
  await customer.goto("/docs/api");
  const users = customer.getByTestId("api-operation").filter({ hasText: words.summaries.get_users }).first();
  await users.locator("summary").click();
  const usersForm = users.getByTestId("api-try-it");
  await hydrated(usersForm.getByRole("button", { name: ko.reference.try.send }));
  await usersForm.getByRole("button", { name: ko.reference.try.send }).click();
  await expect(usersForm.getByTestId("api-try-status")).toHaveText(`${ko.reference.try.answer}: 403`);
  await expect(usersForm.getByTestId("api-try-body")).toContainText('"code": "forbidden"');
  await customer.close();
});

test.describe("the API reference on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("Try it at 390x844: the form's controls are in view and the page never scrolls sideways, before and after an answer", async ({ page }) => {
    test.setTimeout(120_000);
    const words = JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko/api.json"), "utf8"));
    await signInViaApi(page, demoUser("korean"));
    await page.goto("/docs/api");
    const sideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
    expect(await sideways(), "the reference scrolls sideways").toBeLessThanOrEqual(0);

    const operation = page.getByTestId("api-operation").filter({ hasText: words.summaries.patch_items_id_ }).first();
    await operation.locator("summary").click();
    const form = operation.getByTestId("api-try-it");
    const send = form.getByRole("button", { name: ko.reference.try.send });
    await hydrated(send);
    const id = form.getByRole("textbox", { name: /^id\b/ });
    const body = form.getByRole("textbox", { name: ko.reference.requestBody });
    for (const control of [id, body, send]) {
      await control.scrollIntoViewIfNeeded();
      await expect(control).toBeInViewport({ ratio: 1 });
    }
    expect(await sideways(), "the open Try it form scrolls sideways").toBeLessThanOrEqual(0);

    // An item that does not exist: the server's refusal is shown, nothing is written.
    await id.fill("00000000-0000-4000-8000-000000000000");
    await body.fill('{ "name_en": "A name long enough to be wider than a phone screen if the answer did not wrap or scroll inside its own box" }');
    await send.click();
    await expect(form.getByTestId("api-try-status")).toHaveText(`${ko.reference.try.answer}: 404`);
    await expect(form.getByTestId("api-try-body")).toBeVisible();
    expect(await sideways(), "the answer scrolls the page sideways").toBeLessThanOrEqual(0);
  });
});
