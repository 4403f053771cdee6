import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type Page } from "@playwright/test";
import ko from "../../messages/ko/inspections.json";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { labelled } from "./labels";

// Staff file an inspection application for a customer from the queue (a request taken by phone):
// the application opens on the staff side with every active staff member in the inspector
// picker (the staff directory, not only for admins), shows in that customer's portal, and is the
// not-found page for the other customer. Labels come from the Korean message files (the demo
// users' language).

const ID_URL = /\/inspections\/([0-9a-f-]{36})$/;
const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();

async function userPage(browser: Browser, key: DemoUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInViaApi(page, demoUser(key));
  return page;
}

test("the Korean team files an application for Blue Sky; Blue Sky sees it, ACME gets 404", async ({ browser }) => {
  test.setTimeout(120_000);
  const product = `Phone order ${tag()}`;

  const staff = await userPage(browser, "korean");
  await staff.goto("/inspections");
  await staff.getByTestId("new-application").click();
  await expect(staff).toHaveURL(/\/inspections\/new$/);
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(ko.staffNew.title);
  const customer = staff.getByLabel(labelled(ko.fields.customer));
  await hydrated(customer);

  // Without a customer the database's field error comes back on the customer field.
  await staff.getByLabel(labelled(ko.fields.product)).fill(product);
  await staff.getByLabel(labelled(ko.fields.quantity)).fill("1500");
  await staff.getByLabel(labelled(ko.fields.factoryName)).fill("Xiamen Phone Order Factory");
  await staff.getByLabel(labelled(ko.fields.type)).selectOption("pre_shipment");
  await staff.getByLabel(labelled(ko.fields.requestedDate)).fill("2027-02-10");
  await staff.getByTestId("application-submit").click();
  await expect(staff.getByTestId("application-error")).toHaveText(ko.form.fixErrors);
  await expect(customer).toHaveAttribute("aria-invalid", "true");
  await expect(staff).toHaveURL(/\/inspections\/new$/);

  await customer.selectOption(CUSTOMERS.bluesky);
  await staff.getByTestId("application-submit").click();
  await expect(staff).toHaveURL(ID_URL);
  const id = ID_URL.exec(staff.url())![1];
  await expect(staff.getByTestId("inspection-status")).toHaveText(ko.statuses.submitted);
  await expect(staff.getByTestId("inspection-facts")).toContainText(product);
  await expect(staff.getByRole("link", { name: "Blue Sky Co" })).toBeVisible();

  // A non-admin staff member may assign any active colleague.
  const values = await staff.getByTestId("schedule-inspector").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  for (const who of ["admin", "manager", "korean", "chinese"] as const) expect(values).toContain(USERS[who].id);
  expect(values).not.toContain(USERS.bluesky.id);
  expect(values).not.toContain(USERS.acme.id);

  // Blue Sky sees it in their portal list and detail.
  const bluesky = await userPage(browser, "bluesky");
  await bluesky.goto("/portal/inspections");
  await expect(bluesky.locator("main")).toContainText(product);
  const own = await bluesky.goto(`/portal/inspections/${id}`);
  expect(own?.status()).toBe(200);
  await expect(bluesky.getByTestId("inspection-status")).toHaveText(ko.statuses.submitted);

  // ACME: its URL is the not-found page, and the API answers 404 with nothing of Blue Sky's.
  const acme = await userPage(browser, "acme");
  const res = await acme.goto(`/portal/inspections/${id}`);
  expect(res?.status()).toBe(404);
  await expect(acme.getByTestId("not-found")).toBeVisible();
  await expect(acme.locator("main")).not.toContainText(product);
  const api = await acme.request.get(`/api/v1/inspections/${id}`);
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain(product);
  await acme.goto("/portal/inspections?status=all");
  await expect(acme.locator("main")).not.toContainText(product);
});

test("customers cannot open the staff form: /inspections/new sends them to their portal", async ({ browser }) => {
  const acme = await userPage(browser, "acme");
  await acme.goto("/inspections/new");
  await expect(acme).toHaveURL(/\/portal$/);
});

test("the demo data's report is on ACME's completed application and downloads as a PDF; Blue Sky gets 404 for it", async ({ browser }) => {
  const report = "Inspection report - ACME 27in monitor.pdf";
  const acme = await userPage(browser, "acme");
  await acme.goto("/portal/inspections?status=completed");
  // The completed ACME application with the report (the demo data has one).
  await acme.getByTestId("inspection-link").first().waitFor();
  const hrefs = await acme.getByTestId("inspection-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  let found: string | null = null;
  for (const href of hrefs) {
    await acme.goto(href);
    if ((await acme.getByTestId("attachment-download").filter({ hasText: report }).count()) > 0) {
      found = href;
      break;
    }
  }
  expect(found).not.toBeNull();
  const link = acme.getByTestId("attachment-download").filter({ hasText: report });
  const href = (await link.getAttribute("href"))!;
  const [download] = await Promise.all([acme.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(report);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(bytes.subarray(-6).toString()).toBe("%%EOF\n");

  // The demo data's staff-only photo never shows on the customer's side; the shared files do.
  await acme.goto("/portal/documents");
  await expect(acme.locator("main")).toContainText(report);
  await expect(acme.locator("main")).not.toContainText("internal.png");

  const bluesky = await userPage(browser, "bluesky");
  expect((await bluesky.request.get(href)).status()).toBe(404);
  const page = await bluesky.goto(found!);
  expect(page?.status()).toBe(404);
});
