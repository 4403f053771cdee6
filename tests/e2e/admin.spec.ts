import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// User administration and the audit log in the browser. The admin's UI is Korean (their profile
// says so), so the texts come from the Korean message files; the login page follows the
// browser's language (English here). Tests make their own users (unique emails) and leave the
// demo users as they found them.

const messages = (ns: string) => JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko", `${ns}.json`), "utf8"));
const ko = { admin: messages("admin"), common: messages("common"), errors: messages("errors"), audit: messages("audit"), password: messages("password") };
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

const uniqueEmail = (tag: string) => `e2e-${tag}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@admin-e2e.test`;

async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectNoSeriousViolations(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("user administration", () => {
  test("admin creates a user who changes the initial password at the first sign-in and has that role; once deactivated they cannot sign in; the audit log shows both", async ({ page, browser }) => {
    // Two browsers, three sign-ins (bcrypt) and two page families: more than the default budget.
    test.slow();
    const email = uniqueEmail("manager");
    const name = "E2E Manager";
    const password = "e2e-own-pass-2468";

    await signInViaApi(page, demoUser("admin"));
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { level: 1, name: ko.admin.users.title })).toBeVisible();

    // Create, in the dialog.
    await page.getByRole("button", { name: ko.admin.users.newUser }).click();
    const dialog = page.getByRole("dialog", { name: ko.admin.form.createTitle });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel(ko.admin.form.email).fill(email);
    await dialog.getByLabel(ko.admin.form.displayName).fill(name);
    await dialog.getByLabel(ko.admin.form.role).selectOption("manager");
    await dialog.getByLabel(ko.admin.form.password).fill("e2e-initial-pass");
    // The initial password is one the admin knows: changing it at the first sign-in is the default.
    await expect(dialog.getByLabel(ko.admin.form.mustChange)).toBeChecked();
    await dialog.getByRole("button", { name: ko.admin.form.create }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(fill(ko.admin.users.created, { email }))).toBeVisible();
    const row = page.getByTestId(`user-row-${email}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText(ko.common.roles.manager);

    // The new user signs in (their own browser), must first choose their own password, then
    // lands as a manager.
    const userContext = await browser.newContext();
    const userPage = await userContext.newPage();
    await signInThroughForm(userPage, email, "e2e-initial-pass");
    await expect(userPage).toHaveURL("/account/password?required=1");
    await expect(userPage.getByText(ko.password.change.required)).toBeVisible();
    const change = userPage.getByRole("button", { name: ko.password.form.submit });
    await hydrated(change);
    await userPage.getByLabel(ko.password.form.current).fill("e2e-initial-pass");
    await userPage.getByLabel(new RegExp(`^${ko.password.form.next}\\s*\\*?$`)).fill(password);
    await userPage.getByLabel(ko.password.form.confirm).fill(password);
    await change.click();
    await expect(userPage).toHaveURL("/dashboard");
    await expect(userPage.getByTestId("signed-in-user")).toHaveText(name);
    await expect(userPage.getByTestId("signed-in-role")).toHaveText(ko.common.roles.manager);

    // The admin deactivates them, after confirming.
    await row.getByRole("button", { name: fill(ko.admin.users.deactivateUser, { name }) }).click();
    const confirm = page.getByRole("dialog", { name: fill(ko.admin.users.confirmDeactivateTitle, { name }) });
    await confirm.getByRole("button", { name: ko.admin.users.deactivate }).click();
    await expect(confirm).toBeHidden();
    await expect(row.getByTestId("user-status")).toHaveText(ko.common.states.inactive);

    // Their open session ends, and they cannot sign in again.
    await userPage.reload();
    await expect(userPage).toHaveURL("/login");
    await signInThroughForm(userPage, email, password);
    await expect(userPage.locator("form").getByRole("alert")).toHaveText("This account has been deactivated. Ask an administrator.");
    await expect(userPage).toHaveURL("/login");
    const api = await userPage.request.post("/api/v1/auth/login", { data: { email, password } });
    expect(api.status()).toBe(401);
    expect((await api.json()).error.code).toBe("account_disabled");
    await userContext.close();

    // The audit log shows the creation and the deactivation (a security event) by the admin.
    await page.goto("/admin/audit?table=profiles");
    await expect(page.getByRole("heading", { level: 1, name: ko.admin.audit.title })).toBeVisible();
    const entries = page.locator("tbody tr[data-testid^=audit-row-]").filter({ hasText: email });
    await expect(entries).toHaveCount(2);
    const [deactivation, creation] = [entries.nth(0), entries.nth(1)];
    await expect(creation).toContainText(ko.audit.events.created);
    await expect(creation).toContainText("Duly Admin");
    await expect(deactivation).toContainText(ko.audit.events.deactivated);
    await expect(deactivation).toContainText(ko.admin.audit.security);
    await expect(deactivation).toContainText("Duly Admin");

    // The changed fields by their Korean names, values in words: no column names, no true/false.
    await deactivation.getByText(fill(ko.audit.changeCount, { count: "1" })).click();
    const changes = page.getByRole("table", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) });
    const activeLine = changes.locator("tr[data-field=active]");
    await expect(activeLine).toHaveCount(1);
    await expect(activeLine.getByRole("rowheader")).toHaveText(ko.audit.fields.active);
    await expect(activeLine).toContainText(ko.audit.values.yes);
    await expect(activeLine).toContainText(ko.audit.values.no);
    await expect(changes.locator("tr[data-field=role]")).toHaveCount(0);

    // The security-events filter keeps the deactivation and drops the creation; it is in the URL.
    await page.getByLabel(ko.admin.audit.filters.securityOnly).check();
    await page.getByRole("button", { name: ko.admin.audit.filters.apply }).click();
    await expect(page).toHaveURL(/security=true/);
    await expect(page.locator("tbody tr[data-testid^=audit-row-]").filter({ hasText: email })).toHaveCount(1);
  });

  test("the last active admin cannot deactivate themselves: the refusal is shown and nothing changes", async ({ page }) => {
    await signInViaApi(page, demoUser("admin"));
    await page.goto(`/admin/users?q=admin%40duly.test`);
    const row = page.getByTestId("user-row-admin@duly.test");
    // Straight after navigation: a click before React has hydrated the button opens nothing.
    const deactivate = row.getByRole("button", { name: fill(ko.admin.users.deactivateUser, { name: "Duly Admin" }) });
    await hydrated(deactivate);
    await deactivate.click();
    const confirm = page.getByRole("dialog");
    await confirm.getByRole("button", { name: ko.admin.users.deactivate }).click();
    await expect(confirm.getByRole("alert")).toHaveText(ko.errors.last_admin);
    await page.keyboard.press("Escape");
    await page.reload();
    await expect(page.getByTestId("user-row-admin@duly.test").getByTestId("user-status")).toHaveText(ko.common.states.active);
  });

  test("a field's error goes once the form is valid, also when another field made it valid", async ({ page }) => {
    await signInViaApi(page, demoUser("admin"));
    await page.goto(`/admin/users?q=admin%40duly.test`);
    const edit = page.getByTestId("user-row-admin@duly.test").getByRole("button", { name: fill(ko.admin.users.editUser, { name: "Duly Admin" }) });
    await hydrated(edit);
    await edit.click();
    const dialog = page.getByRole("dialog", { name: fill(ko.admin.users.editUser, { name: "Duly Admin" }) });
    const role = dialog.getByLabel(ko.admin.form.role);
    const save = dialog.getByRole("button", { name: ko.admin.form.save });

    // A customer user without a company: the company field says so.
    await role.selectOption("customer");
    await save.click();
    const company = dialog.getByLabel(ko.admin.form.customer);
    await expect(company).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByText(ko.admin.form.customerRequired)).toBeVisible();

    // Another role makes the change valid (the company is not asked for): it is sent, and refused
    // for another reason (the last administrator), so the dialog stays open.
    await role.selectOption("korean_team");
    await save.click();
    await expect(dialog.getByRole("alert")).toHaveText(ko.errors.last_admin);
    // The company's error went with the valid submit: choosing "customer" again shows the field clean.
    await role.selectOption("customer");
    await expect(company).toBeVisible();
    await expect(company).not.toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByText(ko.admin.form.customerRequired)).toHaveCount(0);
  });

  test("a customer opening the admin pages is sent to the portal, and the API refuses them", async ({ page }) => {
    await signInViaApi(page, demoUser("acme"));
    for (const target of ["/admin/users", "/admin/audit"]) {
      await page.goto(target);
      await expect(page).toHaveURL("/portal");
    }
    expect((await page.request.get("/api/v1/users")).status()).toBe(403);
    expect((await page.request.get("/api/v1/audit")).status()).toBe(403);
  });

  test("staff who are not admins are sent to their dashboard", async ({ page }) => {
    await signInViaApi(page, demoUser("manager"));
    await page.goto("/admin/users");
    await expect(page).toHaveURL("/dashboard");
    expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  });
});

test.describe("admin pages at 768 px", () => {
  test.use({ viewport: { width: 768, height: 1024 } });
  // Each page is its own test: the five axe runs together came within a second of the 30 s limit.
  test.describe.configure({ mode: "parallel" });

  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  test("users: no serious or critical axe violations, with the create dialog's errors open, and no page-wide horizontal scroll", async ({ page }) => {
    await signInViaApi(page, demoUser("admin"));
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page, "/admin/users");
    expect(await overflow(page), "/admin/users scrolls sideways").toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: ko.admin.users.newUser }).click();
    await page.getByRole("dialog").getByLabel(ko.admin.form.role).selectOption("customer");
    await page.getByRole("dialog").getByRole("button", { name: ko.admin.form.create }).click();
    await expect(page.getByRole("dialog").getByRole("alert")).toBeVisible();
    await expectNoSeriousViolations(page, "/admin/users (create dialog with errors)");
  });

  test("users and audit with nothing to show: no serious or critical axe violations", async ({ page }) => {
    await signInViaApi(page, demoUser("admin"));
    await page.goto("/admin/users?q=zzzz-no-match");
    await expect(page.getByText(ko.admin.users.empty)).toBeVisible();
    await expectNoSeriousViolations(page, "/admin/users (empty)");
    await page.goto("/admin/audit?from=2000-01-01&to=2000-01-02");
    await expect(page.getByText(ko.admin.audit.empty)).toBeVisible();
    await expectNoSeriousViolations(page, "/admin/audit (empty)");
  });

  test("audit: no serious or critical axe violations with a row's details open, and no page-wide horizontal scroll", async ({ page }) => {
    await signInViaApi(page, demoUser("admin"));
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await overflow(page), "/admin/audit scrolls sideways").toBeLessThanOrEqual(0);
    await page.locator("tbody tr[data-testid^=audit-row-] details summary").first().click();
    await expectNoSeriousViolations(page, "/admin/audit (details open)");
  });
});
