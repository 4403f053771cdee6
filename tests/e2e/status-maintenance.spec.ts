import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";

// /admin/status and maintenance mode in the browser, on the production build: the admin sees
// the status page (charts drawn as SVG on the server, alerts, backups, job runs, mail) in Korean,
// switches maintenance mode on with the page's plain form; a staff member then gets the
// maintenance page in Korean (503, Retry-After) and the API answers 503 maintenance; a customer
// gets it too; the admin keeps working and switches it off; everyone is back. Non-admins are sent
// away from /admin/status as from every admin page.

const ko = (ns: string) => JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko", `${ns}.json`), "utf8"));
const ops = ko("ops");

test("the status page, and maintenance mode switched on and off from it", async ({ page, browser }) => {
  test.slow();
  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/status");
  await expect(page.getByRole("heading", { level: 1, name: ops.status.title })).toBeVisible();
  for (const chart of ["requests", "errors", "p95", "connections", "size"]) await expect(page.getByTestId(`chart-${chart}`)).toBeVisible();
  await expect(page.getByTestId("mail-state")).toHaveText(ops.status.mail.notConfigured);
  await expect(page.getByTestId("last-backup")).toBeVisible();
  await expect(page.getByTestId("maintenance-state")).toHaveText(ops.maintenance.adminOff);
  // No script of its own: the charts are SVG in the HTML the server sent.
  const html = await (await page.request.get("/admin/status")).text();
  expect(html).toContain("<svg");

  // A staff member and a customer, signed in before maintenance starts.
  const staff = await browser.newContext({ locale: "ko-KR" });
  const staffPage = await staff.newPage();
  await signInViaApi(staffPage, demoUser("korean"));
  const customer = await browser.newContext();
  const customerPage = await customer.newPage();
  await signInViaApi(customerPage, demoUser("acme"));
  // Not theirs: sent to their own landing page, as from every admin page.
  await staffPage.goto("/admin/status");
  await expect(staffPage).toHaveURL(/\/dashboard$/);

  await page.getByLabel(ops.maintenance.messageLabel).fill("일요일 정기 점검");
  await page.getByRole("button", { name: ops.maintenance.turnOn }).click();
  await expect(page).toHaveURL(/\/admin\/status$/);
  await expect(page.getByTestId("maintenance-state")).toContainText(ops.maintenance.adminOn);

  try {
    // The state is cached for a few seconds per server instance: the switch drops it at once here.
    const res = await staffPage.goto("/dashboard");
    expect(res!.status()).toBe(503);
    expect(res!.headers()["retry-after"]).toBe("300");
    await expect(staffPage.getByRole("heading", { level: 1 })).toHaveText(ops.maintenance.heading);
    await expect(staffPage.getByText("일요일 정기 점검")).toBeVisible();
    const api = await staffPage.request.get("/api/v1/items");
    expect(api.status()).toBe(503);
    expect((await api.json()).error.code).toBe("maintenance");
    expect((await customerPage.goto("/portal"))!.status()).toBe(503);
    const health = await staffPage.request.get("/healthz");
    expect(health.status()).toBe(200);
    expect((await health.json()).maintenance).toBe(true);

    // The admin keeps working.
    expect((await page.goto("/dashboard"))!.status()).toBe(200);
    await page.goto("/admin/status");
  } finally {
    await page.getByRole("button", { name: ops.maintenance.turnOff }).click();
  }
  await expect(page.getByTestId("maintenance-state")).toHaveText(ops.maintenance.adminOff);
  expect((await staffPage.goto("/dashboard"))!.status()).toBe(200);
  expect((await customerPage.goto("/portal"))!.status()).toBe(200);
  await staff.close();
  await customer.close();
});
