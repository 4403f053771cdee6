import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Passwords in the browser (Korean UI): a user changes theirs from the user menu and stays signed
// in while their other browser is signed out; an admin sets a temporary password and the user is
// sent to change it first; an admin's one-time link sets a new one. Each test makes its own user.

const ko = (ns: string) => JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko", `${ns}.json`), "utf8"));
const pw = ko("password");
const common = ko("common");
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
const uniqueEmail = (tag: string) => `e2e-${tag}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@password-e2e.test`;

async function newUser(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  const res = await page.request.post("/api/v1/users", {
    // Not held at first: the tests below set up the hold they are about (admin.spec.ts checks
    // that a new user's initial password is held by default).
    data: { email, display_name: `E2E ${tag}`, role: "korean_team", password: "first-pass-1234", locale: "ko", must_change_password: false },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { email, id: (await res.json()).data.id as string };
}

async function signIn(page: Page, email: string, password: string) {
  const res = await page.request.post("/api/v1/auth/login", { data: { email, password } });
  return res.status();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A field's label as written, with or without its required mark ("새 비밀번호" is also the start of "새 비밀번호 확인"). */
const labelled = (text: string) => new RegExp(`^${escape(text)}\\s*\\*?$`);

/** Required fields are marked as on the other forms: the note of what "*" means, and each field. */
async function expectRequiredMarks(scope: Page | Locator, labels: string[]) {
  await expect(scope.getByText(new RegExp(`^\\*\\s*${escape(common.requiredMark)}$`))).toBeVisible();
  for (const label of labels) {
    await expect(scope.getByLabel(labelled(label))).toHaveAttribute("aria-required", "true");
    await expect(scope.locator("label").filter({ hasText: new RegExp(`^${escape(label)}\\s*\\*$`) })).toBeVisible();
  }
}

async function changePassword(page: Page, current: string | null, next: string) {
  const submit = page.getByRole("button", { name: pw.form.submit });
  await hydrated(submit);
  if (current !== null) await page.getByLabel(pw.form.current).fill(current);
  await page.getByLabel(labelled(pw.form.next)).fill(next);
  await page.getByLabel(pw.form.confirm).fill(next);
  await submit.click();
}

test("a user changes their password from the user menu: wrong current refused, then changed; this browser stays in, the other is out", async ({ page, browser }) => {
  test.slow();
  await signInViaApi(page, demoUser("admin"));
  const user = await newUser(page, "self");

  const other = await (await browser.newContext()).newPage();
  expect(await signIn(other, user.email, "first-pass-1234")).toBe(200);
  const mine = await (await browser.newContext()).newPage();
  expect(await signIn(mine, user.email, "first-pass-1234")).toBe(200);

  await mine.goto("/dashboard");
  await mine.getByTestId("change-password").click();
  await expect(mine).toHaveURL("/account/password");
  await expect(mine.getByRole("heading", { level: 1, name: pw.change.title })).toBeVisible();
  await expectRequiredMarks(mine, [pw.form.current, pw.form.next, pw.form.confirm]);

  await changePassword(mine, "not-the-password", "second-pass-5678");
  await expect(mine.getByText(pw.errors.wrongCurrent)).toBeVisible();

  await changePassword(mine, "first-pass-1234", "second-pass-5678");
  await expect(mine).toHaveURL("/dashboard");
  await expect(mine.getByTestId("signed-in-user")).toHaveText("E2E self");

  await other.goto("/dashboard");
  await expect(other).toHaveURL("/login");
  expect(await signIn(other, user.email, "first-pass-1234")).toBe(401);
  expect(await signIn(other, user.email, "second-pass-5678")).toBe(200);
});

test("an admin sets a temporary password: the user must change it before anything else; a one-time link works once", async ({ page, browser }) => {
  // Four browsers, five sign-ins (bcrypt) and three password changes.
  test.setTimeout(180_000);
  await signInViaApi(page, demoUser("admin"));
  const user = await newUser(page, "temp");

  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
  const open = page.getByRole("button", { name: fill(pw.admin.buttonFor, { name: "E2E temp" }) });
  await hydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: fill(pw.admin.title, { name: "E2E temp" }) });
  await expectRequiredMarks(dialog, [pw.admin.temporary]);
  await dialog.getByLabel(pw.admin.temporary).fill("temp-pass-9999");
  await dialog.getByRole("button", { name: pw.admin.setTemporary }).click();
  await expect(page.getByText(fill(pw.admin.temporaryDone, { name: "E2E temp" }))).toBeVisible();

  const userPage = await (await browser.newContext()).newPage();
  expect(await signIn(userPage, user.email, "temp-pass-9999")).toBe(200);
  await userPage.goto("/dashboard");
  await expect(userPage).toHaveURL("/account/password?required=1");
  await expect(userPage.getByText(pw.change.required)).toBeVisible();
  await changePassword(userPage, "temp-pass-9999", "mine-pass-0000");
  await expect(userPage).toHaveURL("/dashboard");

  // A one-time link, shown once to the admin, opened in another browser.
  await page.reload();
  await hydrated(open);
  await open.click();
  await dialog.getByRole("button", { name: pw.admin.makeLink }).click();
  const link = await dialog.getByTestId("reset-link").inputValue();
  expect(link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);

  // The link is opened in a browser without a session: the page follows its language (Korean here).
  const stranger = await (await browser.newContext({ locale: "ko-KR" })).newPage();
  await stranger.goto(link);
  await expectRequiredMarks(stranger, [pw.form.next, pw.form.confirm]);
  await changePassword(stranger, null, "link-pass-1111");
  await expect(stranger).toHaveURL("/login");
  expect(await signIn(stranger, user.email, "link-pass-1111")).toBe(200);
  await stranger.goto(link);
  await changePassword(stranger, null, "link-pass-2222");
  await expect(stranger.getByText(pw.errors.invalidLink)).toBeVisible();
});
