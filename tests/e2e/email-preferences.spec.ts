import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Email preferences on the account pages: a customer (Korean UI) turns thread emails off from the
// user menu and the choice holds after a reload; an approver sees the digest; Chinese staff, who
// receive no email, are told so in Chinese. Axe clean.

const words = (locale: string) => JSON.parse(readFileSync(path.join(__dirname, `../../messages/${locale}/email.json`), "utf8")).preferences;
const ko = words("ko");
const zh = words("zh");

async function expectNoViolations(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a customer turns thread emails off on /portal/account, and the choice holds", async ({ page }) => {
  // Two saves, a reload and an axe run: more than the default budget on a busy machine.
  test.slow();
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/portal");
  await page.getByTestId("email-preferences-link").click();
  await expect(page).toHaveURL(/\/portal\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: ko.title })).toBeVisible();
  const thread = page.getByRole("checkbox", { name: ko.kinds.thread_message });
  await hydrated(thread);
  await expect(thread).toBeChecked();
  await expect(page.getByRole("checkbox", { name: ko.kinds.inspection_scheduled })).toBeChecked();
  await expect(page.getByRole("checkbox")).toHaveCount(4);
  await expectNoViolations(page, "portal account");

  await thread.uncheck();
  await page.getByRole("button", { name: ko.save }).click();
  await expect(page.getByText(ko.saved)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: ko.kinds.thread_message })).not.toBeChecked();
  const api = await page.request.get("/api/v1/auth/me/email-preferences");
  expect((await api.json()).data.preferences.thread_message).toBe(false);

  // Back on, so the demo data stays as seeded.
  const again = page.getByRole("checkbox", { name: ko.kinds.thread_message });
  await hydrated(again);
  await again.check();
  await page.getByRole("button", { name: ko.save }).click();
  await expect(page.getByText(ko.saved)).toBeVisible();
  expect((await (await page.request.get("/api/v1/auth/me/email-preferences")).json()).data.preferences.thread_message).toBe(true);
});

test("an approver sees the daily digest on /account", async ({ page }) => {
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: ko.title })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: ko.kinds.approval_digest })).toBeChecked();
  await expect(page.getByRole("checkbox")).toHaveCount(1);
});

test("Chinese staff, who receive no email, are told so in Chinese", async ({ page }) => {
  await signInViaApi(page, demoUser("chinese"));
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: zh.title })).toBeVisible();
  await expect(page.getByText(zh.none)).toBeVisible();
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expectNoViolations(page, "staff account, zh");
});

test("a customer opening the staff account page lands on the portal; staff opening the portal's, on the dashboard", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/account");
  await expect(page).toHaveURL(/\/portal$/);
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/portal/account");
  await expect(page).toHaveURL(/\/dashboard$/);
});
