import { expect, test, type Browser, type Page } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";

// Unread counts update live (GET /api/v1/messages/stream, fed by LISTEN/NOTIFY in this embedded
// build): ACME's portal home shows one more unread message as soon as staff write, without a
// reload, and one fewer once ACME opens the thread in another tab; the nav badge follows; Blue
// Sky's count does not move for any of it.

const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();

async function userPage(browser: Browser, key: "acme" | "bluesky" | "manager"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInViaApi(page, demoUser(key));
  return page;
}

/** The portal home with its unread widget fed by the stream (the first counts have arrived). */
async function liveHome(page: Page): Promise<number> {
  await page.goto("/portal");
  await expect(page.getByTestId("portal-unread")).toHaveAttribute("data-live", "true");
  // Marks the document: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  return Number(await page.getByTestId("portal-unread-total").innerText());
}

const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

test("ACME's unread count rises live when staff write and falls when ACME reads the thread; Blue Sky's stays", async ({ browser }) => {
  test.setTimeout(90_000);
  const t = tag();
  const acme = await userPage(browser, "acme");
  const created = await acme.request.post("/api/v1/inspections", {
    data: { product: `Unread monitor ${t}`, factory_name: "Live Count Factory", inspection_type: "pre_shipment", requested_date: "2027-02-01" },
  });
  expect(created.status()).toBe(201);
  const { id, number } = ((await created.json()) as { data: { id: string; number: string } }).data;

  const before = await liveHome(acme);
  const bluesky = await userPage(browser, "bluesky");
  const blueskyBefore = await liveHome(bluesky);

  // Staff write in ACME's thread.
  const staff = await userPage(browser, "manager");
  const sent = await staff.request.post(`/api/v1/inspections/${id}/messages`, { data: { body: `Inspector booked ${t}` } });
  expect(sent.status()).toBe(201);

  await expect(acme.getByTestId("portal-unread-total")).toHaveText(String(before + 1));
  await expect(acme.getByTestId("portal-unread-list")).toContainText(number);
  await expect(acme.getByTestId("nav-unread")).toHaveText(String(before + 1));
  expect(await sameDocument(acme)).toBe(true);

  // ACME opens the thread in a second tab: it is marked read, and the first tab's count falls.
  const thread = await acme.context().newPage();
  await thread.goto(`/portal/inspections/${id}`);
  await expect(thread.getByTestId("message-body").filter({ hasText: `Inspector booked ${t}` })).toBeVisible();
  await expect(acme.getByTestId("portal-unread-total")).toHaveText(String(before));
  await expect(acme.getByTestId("portal-unread")).not.toContainText(number);
  expect(await sameDocument(acme)).toBe(true);

  // Blue Sky's page heard nothing of ACME's thread.
  await expect(bluesky.getByTestId("portal-unread-total")).toHaveText(String(blueskyBefore));
  await expect(bluesky.getByTestId("portal-unread")).not.toContainText(number);
  expect(await sameDocument(bluesky)).toBe(true);
});

test("staff's nav badge and the queue's unread column count customers' messages live", async ({ browser }) => {
  test.setTimeout(60_000);
  const t = tag();
  const acme = await userPage(browser, "acme");
  const created = await acme.request.post("/api/v1/inspections", {
    data: { product: `Staff badge monitor ${t}`, factory_name: "Badge Factory", inspection_type: "loading", requested_date: "2027-03-01" },
  });
  expect(created.status()).toBe(201);
  const { id, number } = ((await created.json()) as { data: { id: string; number: string } }).data;

  const staff = await userPage(browser, "manager");
  await staff.goto(`/inspections?q=${encodeURIComponent(number)}`);
  const cell = staff.getByTestId("inspection-unread").and(staff.locator(`[data-inspection="${id}"]`));
  await expect(cell).not.toContainText("1");
  const total = async () => ((await staff.request.get("/api/v1/messages")).json() as Promise<{ data: { total: number } }>).then((r) => r.data.total);
  const before = await total();
  if (before > 0) await expect(staff.getByTestId("nav-unread")).toHaveText(String(before));
  else await expect(staff.getByTestId("nav-unread")).toHaveCount(0);

  const sent = await acme.request.post(`/api/v1/inspections/${id}/messages`, { data: { body: `Question from ACME ${t}` } });
  expect(sent.status()).toBe(201);
  await expect(staff.getByTestId("nav-unread")).toHaveText(String(before + 1));
  await expect(cell).toContainText("1");
});
