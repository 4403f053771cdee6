import { expect, test, type Page } from "@playwright/test";
import { loadCatalogue } from "../helpers/catalogue";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// People who read Korean or Chinese meet no English: each main staff and portal page, each kind
// of record's page and the user's own pages, visited as a Korean and as a Chinese user, shows no
// English catalogue phrase (the longer ones, which differ from the Korean and Chinese texts) and
// has a title in the user's language; so do the 404 page, the inspection application form's
// validation messages and the user menu's word when a language switch fails.

const load = loadCatalogue;
const [en, ko, zh] = [load("en"), load("ko"), load("zh")];
// English sentences and labels of two words or more, without placeholders, that the other
// languages say differently (not names such as "Duly ERP" or "English" in the language picker).
const ENGLISH = [...en]
  .filter(([key, text]) => !text.includes("{") && /[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(text) && text.length >= 10 && ko.get(key) !== text && zh.get(key) !== text)
  .map(([, text]) => text);

// Lists, forms, each kind of record's page (`:id`: the first record the API lists for the user) and
// the user's own pages.
const STAFF = [
  "/dashboard", "/items", "/items/new", "/items/:id", "/stocks", "/flows", "/flows/new", "/flows/:id", "/engines", "/engines/:id",
  "/locations", "/locations/:id", "/customers", "/customers/:id", "/inspections", "/inspections/new", "/inspections/:id", "/imports",
  "/account", "/account/tokens", "/account/password",
];
const ADMIN = ["/admin/users", "/admin/audit", "/admin/status"];
const PORTAL = [
  "/portal", "/portal/inspections", "/portal/inspections/new", "/portal/inspections/:id", "/portal/shipments", "/portal/shipments/:id",
  "/portal/stock", "/portal/documents", "/portal/account", "/portal/account/tokens", "/account/password",
];
/** Where a record page's first id comes from. */
const LISTS: Record<string, string> = {
  "/items/:id": "/api/v1/items?limit=1",
  "/flows/:id": "/api/v1/flows?limit=1",
  "/engines/:id": "/api/v1/engines?limit=1",
  "/locations/:id": "/api/v1/locations?limit=1",
  "/customers/:id": "/api/v1/customers?limit=1",
  "/inspections/:id": "/api/v1/inspections?limit=1",
  "/portal/inspections/:id": "/api/v1/inspections?limit=1",
  "/portal/shipments/:id": "/api/v1/portal/shipments?limit=1",
};

/** The English on a page; it answers `status` (after any redirect). */
async function englishOn(page: Page, pattern: string, status = 200): Promise<string[]> {
  let url = pattern;
  if (LISTS[pattern]) {
    const res = await page.request.get(LISTS[pattern]);
    expect(res.status(), LISTS[pattern]).toBe(200);
    const id = ((await res.json()) as { data: { id: string }[] }).data[0]?.id;
    expect(id, LISTS[pattern]).toBeTruthy();
    url = pattern.replace(":id", id);
  }
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(status);
  await expect(page.locator("main").first()).toBeVisible();
  // The page's words, without what users wrote or uploaded (seeded file names are English, and the
  // audit log names records (its fourth column, under the record's kind) and shows changed values
  // with them; its kinds of record and field names stay checked).
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[data-testid="attachment-download"], [data-testid^="audit-row-"] > td:nth-child(4) > div:last-child, [data-testid^="audit-row-"] details td, [data-testid^="audit-row-"] details caption, script, style').forEach((e) => e.remove());
    return copy.textContent ?? "";
  });
  const title = await page.title();
  const found = ENGLISH.filter((e) => text.includes(e)).map((e) => `${url}: "${e}"`);
  // The title is the page's own name and the app's: no English word besides "Duly ERP" and the
  // glossary's "API" (a record's page starts with the record's own code, such as KEYB-ACME-KR).
  const words = (LISTS[pattern] ? title.split(" · ").slice(1).join(" · ") : title).replace("Duly ERP", "").replace(/\bAPI\b/, "");
  if (/[A-Za-z]{3,}/.test(words)) found.push(`${url}: title "${title}"`);
  return found;
}

async function setLocale(page: Page, locale: "ko" | "zh"): Promise<void> {
  const res = await page.request.patch("/api/v1/auth/me", { data: { locale } });
  expect(res.status(), await res.text()).toBe(200);
}

test("the English phrases checked are many", () => {
  expect(ENGLISH.length).toBeGreaterThan(300);
});

test("a Korean admin sees no English on the staff pages, the admin pages and the 404 page", async ({ page }) => {
  test.setTimeout(240_000);
  await signInViaApi(page, demoUser("admin"));
  const found: string[] = [];
  for (const url of [...STAFF, ...ADMIN]) found.push(...(await englishOn(page, url)));
  expect(found).toEqual([]);
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("페이지를 찾을 수 없습니다");
  expect(await englishOn(page, "/no-such-page", 404)).toEqual([]);
});

test("a Chinese staff user sees no English on the staff pages", async ({ page }) => {
  test.setTimeout(240_000);
  await signInViaApi(page, demoUser("chinese"));
  const found: string[] = [];
  for (const url of STAFF) found.push(...(await englishOn(page, url)));
  expect(found).toEqual([]);
  await page.goto("/dashboard");
  await expect(page).toHaveTitle("仪表板 · Duly ERP");
});

test("a customer sees no English on the portal, in Korean and in Chinese", async ({ page }) => {
  test.setTimeout(240_000);
  await signInViaApi(page, demoUser("acme"));
  try {
    for (const locale of ["ko", "zh"] as const) {
      await setLocale(page, locale);
      const found: string[] = [];
      for (const url of PORTAL) found.push(...(await englishOn(page, url)));
      expect(found, locale).toEqual([]);
    }
    await page.goto("/portal/shipments");
    await expect(page).toHaveTitle("出库 · Duly ERP");
  } finally {
    await setLocale(page, "ko");
  }
});

test("the inspection application form marks required fields and explains errors in the user's language", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/portal/inspections/new");
  const form = page.getByTestId("application-form");
  await hydrated(page.getByTestId("application-submit"));
  for (const label of ["제품", "공장명", "검품 유형", "희망일"]) {
    const control = form.getByLabel(label, { exact: false }).first();
    await expect(control).toHaveAttribute("aria-required", "true");
  }
  await expect(form.getByTestId("required-mark")).toHaveCount(4);
  await form.getByLabel("제품").fill("모니터");
  await form.getByLabel("공장명").fill("선전 공장");
  await form.getByLabel("희망일").fill("2026-12-31");
  await form.getByLabel("수량").fill("-3");
  await page.getByTestId("application-submit").click();
  await expect(page.getByTestId("application-error")).toHaveText("확인이 필요한 항목이 있습니다.");
  await expect(form.locator("#app-inspection_type-error")).toHaveText("필수 항목입니다.");
  await expect(form.locator("#app-quantity-error")).toHaveText("0보다 커야 합니다.");
  await expect(form).not.toContainText("Invalid");
});

test("a language switch that fails says so in the user's language, not the API's English or a network error's", async ({ page }) => {
  const languageFailed = ko.get("common.user.languageFailed") ?? "";
  expect(languageFailed).toBeTruthy();
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/dashboard");
  const select = page.getByTestId("locale-switch");
  await hydrated(select);
  const toasts = page.locator("[data-sonner-toast]");
  // The server refuses (its error message is English, for API clients), then the network is gone.
  let answer: "refuse" | "offline" = "refuse";
  await page.route("**/api/v1/auth/me", async (route) => {
    if (route.request().method() !== "PATCH") return route.continue();
    if (answer === "offline") return route.abort("internetdisconnected");
    return route.fulfill({ status: 429, contentType: "application/json", body: JSON.stringify({ error: { code: "rate_limited", message: "Too many requests" } }) });
  });
  for (const next of ["refuse", "offline"] as const) {
    answer = next;
    await select.selectOption("zh");
    await expect(toasts.filter({ hasText: languageFailed }).first(), next).toBeVisible();
    await expect(toasts.filter({ hasText: /[A-Za-z]{3,}/ }), next).toHaveCount(0);
    // The choice falls back to the language still in force.
    await expect(select).toHaveValue("ko");
  }
  await expect(page.getByRole("heading", { level: 1, name: "대시보드" })).toBeVisible();
});
