import { expect, test, type Locator, type Page } from "@playwright/test";
import admin from "../../messages/ko/admin.json";
import common from "../../messages/ko/common.json";
import inspections from "../../messages/ko/inspections.json";
import { samples } from "../helpers/files";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Small things a person meets every day: a confirmation that reads to its end, toasts that leave
// the user menu alone, files sent with an inspection application, and the portal's files card
// under a report. The demo users' UI is Korean: texts come from the message files.

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
const ID_URL = /\/portal\/inspections\/([0-9a-f-]{36})$/;

/** The element shows all of its text: nothing runs past its own box or its dialog's. */
async function expectWhole(el: Locator, box: Locator) {
  const fits = await el.evaluate((e) => e.scrollWidth <= e.clientWidth);
  expect(fits, await el.innerText()).toBe(true);
  const a = (await el.boundingBox())!;
  const b = (await box.boundingBox())!;
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width);
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

for (const viewport of [
  { width: 390, height: 844 },
  { width: 1366, height: 768 },
]) {
  test(`the deactivate confirmation shows its whole text at ${viewport.width} px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signInViaApi(page, demoUser("admin"));
    await page.goto("/admin/users");
    const name = demoUser("bluesky").displayName;
    const open = page.getByRole("button", { name: fill(admin.users.deactivateUser, { name }) });
    await hydrated(open);
    await open.click();
    const dialog = page.getByRole("dialog", { name: fill(admin.users.confirmDeactivateTitle, { name }) });
    await expect(dialog).toBeVisible();
    await expectWhole(dialog.getByRole("heading"), dialog);
    await expectWhole(dialog.getByText(admin.users.confirmDeactivate), dialog);
    // Nothing done: the user stays active.
    await dialog.getByRole("button", { name: common.actions.cancel }).click();
    await expect(dialog).toBeHidden();
  });
}

/** ACME fills in an application with two files and sends it; answers the new application's id. */
async function applyWithFiles(page: Page, product: string, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<string> {
  await page.goto("/portal/inspections/new");
  const form = page.getByTestId("application-form");
  await hydrated(form.locator("[name=product]"));
  await expect(form.getByLabel(inspections.applicationFiles.label)).toBeVisible();
  await form.locator("[name=product]").fill(product);
  await form.locator("[name=factory_name]").fill("Ningbo Spec Factory");
  await form.locator("[name=inspection_type]").selectOption("pre_production");
  await form.locator("[name=requested_date]").fill("2027-02-01");
  await page.getByTestId("application-files").setInputFiles(files);
  await page.getByTestId("application-submit").click();
  await expect(page).toHaveURL(ID_URL);
  return ID_URL.exec(page.url())![1];
}

test("a customer attaches specifications to a new application; another customer cannot reach them; the toast leaves sign-out free", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInViaApi(page, demoUser("acme"));
  const stamp = Date.now().toString(36);
  const files = [
    { name: `spec-${stamp}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(samples.pdf()) },
    { name: `carton-${stamp}.png`, mimeType: "image/png", buffer: Buffer.from(samples.png()) },
  ];
  const id = await applyWithFiles(page, `Spec product ${stamp}`, files);

  // The success toast is on screen, and away from the user menu.
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: /INS-/ });
  await expect(toast).toBeVisible();
  const signOut = page.getByRole("button", { name: demoUser("acme").signOut, exact: true });
  expect(overlaps((await toast.boundingBox())!, (await signOut.boundingBox())!)).toBe(false);
  expect(overlaps((await toast.boundingBox())!, (await page.getByTestId("locale-switch").boundingBox())!)).toBe(false);

  // Both files are on the application, as documents the customer can download.
  const list = page.getByTestId("attachment-list");
  for (const f of files) await expect(list.getByRole("link", { name: fill(inspections.detail.download, { name: f.name }) })).toBeVisible();
  const res = await page.request.get(`/api/v1/attachments?inspection_id=${id}`);
  expect(res.status()).toBe(200);
  const stored = ((await res.json()) as { data: { id: string; file_name: string; kind: string; internal: boolean }[] }).data;
  expect(stored.map((a) => [a.file_name, a.kind, a.internal]).sort()).toEqual(files.map((f) => [f.name, "document", false]).sort());
  const pdf = stored.find((a) => a.file_name === files[0].name)!;
  expect((await page.request.get(`/api/v1/attachments/${pdf.id}/download`)).status()).toBe(200);

  // Blue Sky: not the application, not the file.
  const other = await browser.newContext();
  const bluesky = await other.newPage();
  await signInViaApi(bluesky, demoUser("bluesky"));
  expect((await bluesky.request.get(`/api/v1/attachments/${pdf.id}/download`)).status()).toBe(404);
  expect((await bluesky.request.get(`/api/v1/attachments/${pdf.id}`)).status()).toBe(404);
  await other.close();
});

test("a file the store refuses does not lose the application: it opens with the rest, and says which file failed", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(page, demoUser("acme"));
  const stamp = Date.now().toString(36);
  const good = { name: `spec-${stamp}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(samples.pdf()) };
  const bad = { name: `setup-${stamp}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(samples.exe()) };
  await applyWithFiles(page, `Refused file ${stamp}`, [good, bad]);
  await expect(page.getByText(fill(inspections.applicationFiles.failed, { names: bad.name }))).toBeVisible();
  const list = page.getByTestId("attachment-list");
  await expect(list.getByRole("link", { name: fill(inspections.detail.download, { name: good.name }) })).toBeVisible();
  await expect(list).not.toContainText(bad.name);
  // On a phone the toasts stay clear of the menu button.
  const toast = page.locator("[data-sonner-toast]").first();
  await expect(toast).toBeVisible();
  expect(overlaps((await toast.boundingBox())!, (await page.getByRole("button", { name: common.menu.open }).boundingBox())!)).toBe(false);
});

test("under a report the portal does not say there are no files yet", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  // The seeded keyboard inspection has a report and, besides it, only a staff-only photo.
  const res = await page.request.get("/api/v1/inspections?limit=100");
  const all = ((await res.json()) as { data: { id: string; product: string }[] }).data;
  const keyboard = all.find((i) => i.product === "ACME Korean-layout keyboard");
  expect(keyboard).toBeTruthy();
  await page.goto(`/portal/inspections/${keyboard!.id}`);
  await expect(page.getByRole("link", { name: fill(inspections.detail.download, { name: "Inspection report - ACME keyboard.pdf" }) })).toBeVisible();
  await expect(page.getByText(inspections.detail.noFiles)).toHaveCount(0);
  await expect(page.getByText(inspections.detail.noOtherFiles)).toBeVisible();
});
