import { expect, test, type Page, type Route } from "@playwright/test";
import api from "../../messages/ko/api.json";
import inspections from "../../messages/ko/inspections.json";
import tokens from "../../messages/ko/tokens.json";
import { DEMO_PASSWORD, demoUser, expectSignedIn, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { labelled } from "./labels";

// A slow link (the Chinese team works from Yiwu over a slow cross-border connection) shows the
// server-rendered form long before its JavaScript has run. What the user types and submits in that
// window must count once React takes over (components/toolkit/early-input.ts, docs/architecture.md):
// here the app's script chunks are held back until the test has typed, then released.

const ITEM_URL = /\/items\/[0-9a-f-]{36}$/;
const INSPECTION_URL = /\/portal\/inspections\/[0-9a-f-]{36}$/;
const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();

/** Holds every script chunk of the app until the returned function is called. */
async function holdScripts(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let released = false;
  await page.route(
    (url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"),
    (route) => (released ? route.continue() : void held.push(route)),
  );
  return async () => {
    released = true;
    await Promise.all(held.splice(0).map((r) => r.continue()));
  };
}

/** Opens a page with its scripts held back: the HTML is there, React is not. */
async function openBeforeHydration(page: Page, url: string): Promise<() => Promise<void>> {
  const release = await holdScripts(page);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  return release;
}

/** The page is still server-rendered HTML only (nothing hydrated). */
async function expectNotHydrated(page: Page, selector: string): Promise<void> {
  const fiber = await page.locator(selector).first().evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber")));
  expect(fiber).toBe(false);
}

test("sign-in typed and submitted before hydration signs in once the scripts arrive, the password never in a URL", async ({ page }) => {
  // Held scripts, then the sign-in and the dashboard's first render, on a machine shared by others.
  test.setTimeout(90_000);
  const user = demoUser("manager");
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));

  const release = await openBeforeHydration(page, "/login");
  await expectNotHydrated(page, "form");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Nothing left the page: the browser's own submit (a GET with the fields in the query) is held.
  await expect(page).toHaveURL("/login");
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
  await expect(page.getByLabel("Password")).toHaveValue(DEMO_PASSWORD);

  await release();
  await expectSignedIn(page, user);
  expect(urls.filter((u) => u.includes(encodeURIComponent(DEMO_PASSWORD)) || u.includes(DEMO_PASSWORD))).toEqual([]);
});

test("without JavaScript at all the sign-in form is a POST: the password is in no URL", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoUser("manager").email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await posted;
  await expect(page).toHaveURL("/login");
  expect(urls.filter((u) => u.includes("password="))).toEqual([]);
  await context.close();
});

test("an item typed before hydration is saved with what was typed", async ({ page }) => {
  test.setTimeout(90_000);
  await signInViaApi(page, demoUser("manager"));
  const sku = `E2E-EARLY-${tag()}`;

  const release = await openBeforeHydration(page, "/items/new");
  await expectNotHydrated(page, "form");
  await page.getByLabel("SKU").fill(sku);
  await page.getByLabel("품목명 (한국어)").fill("느린 연결 품목");
  await page.getByLabel("단위").selectOption("BOX");
  await page.getByLabel("재주문점").fill("4");

  await release();
  await hydrated(page.getByLabel("SKU"));
  // The fields still show what was typed, and the form knows it: the create goes through.
  await expect(page.getByLabel("SKU")).toHaveValue(sku);
  await page.getByRole("button", { name: "등록" }).click();
  await expect(page).toHaveURL(ITEM_URL);
  await expect(page.getByRole("heading", { level: 1, name: "느린 연결 품목" })).toBeVisible();

  const res = await page.request.get(`/api/v1/items?q=${encodeURIComponent(sku)}`);
  const { data } = (await res.json()) as { data: { sku: string; unit: string; reorder_point: number }[] };
  expect(data.map((i) => ({ sku: i.sku, unit: i.unit, reorder_point: i.reorder_point }))).toEqual([{ sku, unit: "BOX", reorder_point: 4 }]);
});

test("an inspection application typed before hydration is submitted with what was typed", async ({ page }) => {
  test.setTimeout(90_000);
  await signInViaApi(page, demoUser("acme"));
  const product = `E2E early monitor ${tag()}`;
  const f = inspections.fields;

  const release = await openBeforeHydration(page, "/portal/inspections/new");
  await expectNotHydrated(page, "form");
  await page.getByLabel(labelled(f.product)).fill(product);
  await page.getByLabel(labelled(f.quantity)).fill("120");
  await page.getByLabel(labelled(f.factoryName)).fill("Yiwu Slow Link Factory");
  await page.getByLabel(labelled(f.type)).selectOption("pre_shipment");
  await page.getByLabel(labelled(f.requestedDate)).fill("2027-02-01");

  await release();
  await hydrated(page.getByLabel(labelled(f.product)));
  await page.getByTestId("application-submit").click();
  await expect(page).toHaveURL(INSPECTION_URL);
  await expect(page.getByText(product).first()).toBeVisible();
  await expect(page.getByText("Yiwu Slow Link Factory").first()).toBeVisible();
});

test("Try it on the API reference, filled and sent before hydration, is sent with what was typed once the scripts arrive", async ({ page }) => {
  test.setTimeout(90_000);
  await signInViaApi(page, demoUser("korean"));
  const release = await openBeforeHydration(page, "/docs/api");
  await expectNotHydrated(page, '[data-testid="api-try-it"]');
  // An operation opens without script (a <details>); its form is the server's HTML.
  const list = page.getByTestId("api-operation").filter({ hasText: api.summaries.get_items }).first();
  await list.locator("summary").click();
  const form = list.getByTestId("api-try-it");
  await form.getByRole("textbox", { name: /^q\b/ }).fill("LCD");
  await form.getByRole("button", { name: tokens.reference.try.send }).click();
  // Held: the page did not reload, the field keeps what was typed, and nothing was answered yet.
  await expect(form.getByRole("textbox", { name: /^q\b/ })).toHaveValue("LCD");
  await expect(form.getByTestId("api-try-status")).toHaveCount(0);

  await release();
  await expect(form.getByTestId("api-try-status")).toHaveText(`${tokens.reference.try.answer}: 200`);
  const body = JSON.parse((await form.getByTestId("api-try-body").textContent()) ?? "{}") as { data: { sku: string; name_en: string | null }[] };
  expect(body.data.length).toBeGreaterThan(0);
  expect(body.data.every((i) => /LCD/i.test(`${i.sku} ${i.name_en ?? ""}`))).toBe(true);
});
