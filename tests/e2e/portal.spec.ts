import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import ko from "../../messages/ko/inspections.json";
import { USERS } from "../helpers/demo";
import { samples } from "../helpers/files";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { labelled } from "./labels";

// The customer portal and the staff inspection screens end to end, each user in a browser context
// of their own: ACME applies, staff schedule, start, upload the PDF report and complete; ACME
// downloads the report; messages appear live (server-sent events) on the other side's open page,
// both ways; Blue Sky gets the not-found page for every ACME URL. The demo users' UI is Korean:
// labels come from the message files, so rewording a text does not break a test.

const ID_URL = /\/portal\/inspections\/([0-9a-f-]{36})$/;
const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();

async function userPage(browser: Browser, key: "acme" | "bluesky" | "manager"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInViaApi(page, demoUser(key));
  return page;
}

async function noSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("an application from ACME through staff's workflow to the report, with live messages; Blue Sky sees none of it", async ({ browser }) => {
  test.setTimeout(180_000);
  const t = tag();
  const product = `E2E monitor ${t}`;
  const reportName = `report-${t}.pdf`;

  // ACME applies.
  const acme = await userPage(browser, "acme");
  await acme.goto("/portal/inspections/new");
  await hydrated(acme.getByLabel(labelled(ko.fields.product)));
  await acme.getByLabel(labelled(ko.fields.product)).fill(product);
  await acme.getByLabel(labelled(ko.fields.quantity)).fill("250");
  await acme.getByLabel(labelled(ko.fields.factoryName)).fill("Shenzhen E2E Factory");
  await acme.getByLabel(labelled(ko.fields.type)).selectOption("pre_shipment");
  await acme.getByLabel(labelled(ko.fields.requestedDate)).fill("2027-01-15");
  await acme.getByTestId("application-submit").click();
  await expect(acme).toHaveURL(ID_URL);
  const id = ID_URL.exec(acme.url())![1];
  await expect(acme.getByTestId("inspection-status")).toHaveText(ko.statuses.submitted);
  await expect(acme.getByTestId("report-pending")).toBeVisible();

  // Staff: schedule (the manager as inspector), start, upload the report, report ready, complete.
  const staff = await userPage(browser, "manager");
  await staff.goto(`/inspections/${id}`);
  await expect(staff.getByTestId("inspection-facts")).toContainText(product);
  await hydrated(staff.getByTestId("schedule-date"));
  await staff.getByTestId("schedule-date").fill("2027-01-14");
  await staff.getByTestId("schedule-inspector").selectOption(USERS.manager.id);
  await staff.getByTestId("action-schedule").click();
  await expect(staff.getByTestId("inspection-status")).toHaveText(ko.statuses.scheduled);
  await staff.getByTestId("action-start").click();
  await expect(staff.getByTestId("inspection-status")).toHaveText(ko.statuses.in_progress);
  await staff.getByTestId("upload-kind").selectOption("report");
  await staff.getByTestId("upload-file").setInputFiles({ name: reportName, mimeType: "application/pdf", buffer: Buffer.from(samples.pdf()) });
  await staff.getByTestId("upload-submit").click();
  await expect(staff.getByTestId("attachment-list")).toContainText(reportName);
  await staff.getByTestId("action-result").selectOption("pass");
  await staff.getByTestId("action-report").click();
  await expect(staff.getByTestId("inspection-status")).toHaveText(ko.statuses.report_ready);
  await staff.getByTestId("action-result").selectOption("pass");
  await staff.getByTestId("action-complete").click();
  await expect(staff.getByTestId("inspection-status")).toHaveText(ko.statuses.completed);
  await expect(staff.getByTestId("timeline-completed")).toBeVisible();
  const internalNote = `Staff-only note ${t}`;
  await staff.getByTestId("internal-notes").getByRole("textbox").fill(internalNote);
  await staff.getByTestId("internal-notes").getByRole("button", { name: ko.actions.saveNotes }).click();
  await expect(staff.getByTestId("timeline-notes_updated")).toBeVisible();

  // ACME sees the report and downloads it.
  await acme.reload();
  await expect(acme.getByTestId("inspection-status")).toHaveText(ko.statuses.completed);
  // Staff-only fields never reach the customer's page.
  await expect(acme.locator("main")).not.toContainText(internalNote);
  await expect(acme.getByTestId("timeline-notes_updated")).toHaveCount(0);
  const link = acme.getByTestId("attachment-download").filter({ hasText: reportName });
  await expect(link).toBeVisible();
  const attachmentPath = await link.getAttribute("href");
  expect(attachmentPath).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}\/download$/);
  const [download] = await Promise.all([acme.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(reportName);
  expect((await readFile((await download.path())!)).subarray(0, 5).toString()).toBe("%PDF-");

  // Messages, live both ways: neither page reloads from here on.
  await expect(acme.getByTestId("message-list")).toHaveAttribute("data-live", "true");
  await expect(staff.getByTestId("message-list")).toHaveAttribute("data-live", "true");
  const fromStaff = `Report uploaded, all good ${t}`;
  await staff.getByTestId("message-input").fill(fromStaff);
  await staff.getByTestId("message-send").click();
  await expect(acme.getByTestId("message-body").filter({ hasText: fromStaff })).toBeVisible();
  const fromAcme = `Thank you, received ${t}`;
  await acme.getByTestId("message-input").fill(fromAcme);
  await acme.getByTestId("message-send").click();
  await expect(staff.getByTestId("message-body").filter({ hasText: fromAcme })).toBeVisible();

  // Blue Sky: every ACME URL is the not-found page, with nothing of ACME's in it.
  const shipments = await acme.request.get("/api/v1/portal/shipments");
  expect(shipments.status()).toBe(200);
  const acmeShipment = ((await shipments.json()) as { data: { id: string }[] }).data[0]?.id;
  expect(acmeShipment).toBeTruthy();
  const bluesky = await userPage(browser, "bluesky");
  for (const url of [`/portal/inspections/${id}`, `/portal/shipments/${acmeShipment}`]) {
    const res = await bluesky.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(bluesky.getByTestId("not-found")).toBeVisible();
    const text = await bluesky.locator("main").innerText();
    expect(text).not.toContain(product);
    expect(text).not.toContain("ACME");
  }
  expect((await bluesky.request.get(attachmentPath!)).status()).toBe(404);
  expect((await bluesky.request.get(`/api/v1/inspections/${id}/messages/stream`)).status()).toBe(404);
  await bluesky.goto("/portal/inspections?status=all");
  await expect(bluesky.locator("main")).not.toContainText(product);
  await bluesky.goto("/portal/documents");
  await expect(bluesky.locator("main")).not.toContainText(reportName);
  // A staff URL sends the customer to their own landing page.
  await bluesky.goto(`/inspections/${id}`);
  await expect(bluesky).toHaveURL(/\/portal$/);
});

// Every portal page, and every staff page in its default state, is read by axe in
// layout.spec.ts; here the states that sweep does not open: every status of the list, and an
// inspection in progress (its own controls) as a manager.
test("staff inspection pages in other states: no serious or critical axe violations", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await userPage(browser, "manager");
  const list = await page.request.get("/api/v1/inspections?limit=1&status=in_progress");
  const inspection = ((await list.json()) as { data: { id: string }[] }).data[0].id;
  for (const url of ["/inspections?status=all", `/inspections/${inspection}`]) {
    await page.goto(url);
    await expect(page.locator("main h1")).toBeVisible();
    await noSeriousViolations(page);
  }
});
