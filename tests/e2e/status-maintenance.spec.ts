import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SCHEDULED_JOBS } from "../../lib/ops/scheduled-jobs";
import { USERS } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";

// /admin/status and maintenance mode in the browser, on the production build: the admin sees
// the status page (charts drawn as SVG on the server, alerts, backups, job runs, mail) in Korean,
// switches maintenance mode on with the page's plain form; a staff member then gets the
// maintenance page in Korean (503, Retry-After) and the API answers 503 maintenance; a customer
// gets it too; the admin keeps working and switches it off; everyone is back. Non-admins are sent
// away from /admin/status as from every admin page. The mail card counts an email a customer's
// inspection just queued, and every scheduled job has its row (none has run here: no cron).

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

test("the status page counts the email waiting in the outbox and lists every scheduled job, in Korean", async ({ page, browser }) => {
  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/status");
  const mail = ops.status.mail;
  for (const label of [mail.pending, mail.failed, mail.sent, mail.oldest]) await expect(page.getByText(label, { exact: true })).toBeVisible();
  const count = async (key: string) => Number((await page.getByTestId(`mail-${key}`).innerText()).replace(/[^0-9]/g, ""));
  const waiting = await count("pending");

  // Scheduling a customer's inspection queues one email to them; mail is not configured, so it waits.
  const customer = await browser.newContext();
  const staff = await browser.newContext();
  try {
    const acme = await customer.newPage();
    await signInViaApi(acme, demoUser("acme"));
    const created = await acme.request.post("/api/v1/inspections", {
      data: { product: "Status monitor", factory_name: "Status factory", inspection_type: "pre_shipment", requested_date: "2027-05-01" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const korean = await staff.newPage();
    await signInViaApi(korean, demoUser("korean"));
    const scheduled = await korean.request.post(`/api/v1/inspections/${(await created.json()).data.id}/schedule`, {
      data: { scheduled_date: "2027-05-02", inspector_id: USERS.korean.id },
    });
    expect(scheduled.status(), await scheduled.text()).toBe(200);
  } finally {
    await customer.close();
    await staff.close();
  }

  await page.reload();
  expect(await count("pending")).toBe(waiting + 1);
  await expect(page.getByTestId("mail-oldest")).not.toHaveText("–");
  await expect(page.getByTestId("mail-state")).toHaveText(mail.notConfigured);

  // Every job of vercel.json has its row; none has run in this fresh installation.
  await expect(page.getByRole("heading", { name: ops.status.jobSummary.title, exact: true })).toBeVisible();
  for (const job of SCHEDULED_JOBS) await expect(page.getByTestId(`job-summary-${job}`)).toContainText(ops.status.jobSummary.never);
  await expect(page.getByText(ops.status.jobs.frequentNote)).toBeVisible();
});
