import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import koCommon from "../../messages/ko/common.json";
import zhCommon from "../../messages/zh/common.json";
import koFlows from "../../messages/ko/flows.json";
import zhFlows from "../../messages/zh/flows.json";
import koInventory from "../../messages/ko/inventory.json";
import zhInventory from "../../messages/zh/inventory.json";
import { CUSTOMERS } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { labelled } from "./labels";

// Every record's page answers 404 with the not-found page for an id that does not exist (and 200
// for one that does), with a <title> in the reader's language whether notFound() came from a
// record's page deep in the layouts or the address matches no page at all; the flow form marks
// its required fields for every kind, in Korean and in Chinese.

const MISSING = "00000000-0000-4000-8000-00000000f404";
/** lib/i18n/locales.ts LOCALE_COOKIE: the language picked on the login page. */
const LOCALE_COOKIE = "NEXT_LOCALE";
const KR_SEL = "10000000-0000-4000-8000-000000000001";

async function firstId(api: APIRequestContext, path: string): Promise<string> {
  const res = await api.get(path);
  expect(res.status(), path).toBe(200);
  const id = ((await res.json()) as { data: { id: string }[] }).data[0]?.id;
  expect(id, path).toBeTruthy();
  return id!;
}

async function expectStatus(page: Page, path: string, status: number) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(status);
}

test("each staff record page: 404 for a missing id, 200 for an existing one", async ({ page }) => {
  test.setTimeout(180_000);
  await signInViaApi(page, demoUser("manager"));
  const api = page.request;
  const existing: Record<string, string> = {
    "/items/:id": await firstId(api, "/api/v1/items?limit=1"),
    "/engines/:id": await firstId(api, "/api/v1/engines?limit=1"),
    "/locations/:id": KR_SEL,
    "/customers/:id": CUSTOMERS.acme,
    "/inspections/:id": await firstId(api, "/api/v1/inspections?limit=1"),
    "/flows/:id": await firstId(api, "/api/v1/flows?limit=1"),
    "/flows/:id/edit": await firstId(api, "/api/v1/flows?status=draft&limit=1"),
    "/flows/:id/print": await firstId(api, "/api/v1/flows?limit=1"),
  };
  for (const [pattern, id] of Object.entries(existing)) {
    await expectStatus(page, pattern.replace(":id", MISSING), 404);
    await expectStatus(page, pattern.replace(":id", "not-an-id"), 404);
    await expectStatus(page, pattern.replace(":id", id), 200);
  }
  // The business line and warehouse pages say what is missing, in the frame, with a way back.
  await page.goto(`/engines/${MISSING}`);
  await expect(page.getByRole("heading", { level: 1, name: koInventory.engines.notFoundTitle })).toBeVisible();
  await expect(page.getByRole("link", { name: koInventory.engines.backToList })).toBeVisible();
  await expect(page).toHaveTitle(`${koInventory.engines.notFoundTitle} · Duly ERP`);
  await page.goto(`/locations/${MISSING}`);
  await expect(page.getByRole("heading", { level: 1, name: koInventory.locations.notFoundTitle })).toBeVisible();
  await expect(page).toHaveTitle(`${koInventory.locations.notFoundTitle} · Duly ERP`);
});

test("each portal record page: 404 for a missing id, 200 for the customer's own", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaApi(page, demoUser("acme"));
  const api = page.request;
  const existing: Record<string, string> = {
    "/portal/inspections/:id": await firstId(api, "/api/v1/inspections?limit=1"),
    "/portal/shipments/:id": await firstId(api, "/api/v1/portal/shipments?limit=1"),
    "/portal/shipments/:id/print": await firstId(api, "/api/v1/portal/shipments?limit=1"),
  };
  for (const [pattern, id] of Object.entries(existing)) {
    await expectStatus(page, pattern.replace(":id", MISSING), 404);
    await expectStatus(page, pattern.replace(":id", id), 200);
  }
});

test("the 404 page's title is in the reader's language, for an unknown address and for a missing record (ko, zh)", async ({ page }) => {
  test.setTimeout(120_000);
  const cases = [
    { user: "manager", common: koCommon, inventory: koInventory },
    { user: "chinese", common: zhCommon, inventory: zhInventory },
  ] as const;
  for (const { user, common, inventory } of cases) {
    await page.context().clearCookies();
    await signInViaApi(page, demoUser(user));
    const generic = `${common.pages.notFoundTitle} · Duly ERP`;
    for (const path of ["/no-such-page", "/items/x/y/z", `/flows/${MISSING}`, `/customers/${MISSING}`, `/inspections/${MISSING}`, `/flows/${MISSING}/print`]) {
      await expectStatus(page, path, 404);
      await expect(page, `${user} ${path}`).toHaveTitle(generic);
    }
    await expectStatus(page, `/items/${MISSING}`, 404);
    await expect(page).toHaveTitle(`${inventory.item.notFoundTitle} · Duly ERP`);
  }
  // Signed out: the language chosen on the login page (its cookie) decides.
  await page.context().clearCookies();
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: "zh", url: test.info().project.use.baseURL! }]);
  await expectStatus(page, "/no-such-page", 404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(zhCommon.pages.notFoundTitle);
  await expect(page).toHaveTitle(`${zhCommon.pages.notFoundTitle} · Duly ERP`);
});

test("the flow form marks its required fields for every kind, in Korean and in Chinese", async ({ page }) => {
  test.setTimeout(120_000);
  const cases = [
    { user: "korean", flows: koFlows },
    { user: "chinese", flows: zhFlows },
  ] as const;
  for (const { user, flows } of cases) {
    await page.context().clearCookies();
    await signInViaApi(page, demoUser(user));
    for (const kind of ["inbound", "outbound", "transfer", "adjustment"] as const) {
      await page.goto(`/flows/new?kind=${kind}`);
      const kindSelect = page.getByLabel(labelled(flows.form.kind));
      await hydrated(kindSelect);
      await expect(kindSelect, `${user} ${kind}`).toHaveValue(kind);
      const required =
        kind === "transfer"
          ? [flows.form.kind, flows.form.locationFrom, flows.form.locationTo]
          : [flows.form.kind, flows.form[kind === "inbound" ? "locationInbound" : kind === "outbound" ? "locationOutbound" : "locationAdjustment"]];
      for (const label of required) {
        await expect(page.locator("label", { hasText: labelled(label) }).getByTestId("required-mark"), `${user} ${kind}: ${label}`).toHaveText("*");
        await expect(page.getByLabel(labelled(label)), `${user} ${kind}: ${label}`).toHaveAttribute("required", "");
      }
      // Optional fields carry no mark.
      for (const label of [flows.form.partner, flows.form.reference, flows.form.note]) {
        await expect(page.locator("label", { hasText: labelled(label) }).getByTestId("required-mark"), `${user} ${kind}: ${label}`).toHaveCount(0);
      }
      // At least one line: the lines' group is marked.
      await expect(page.locator("legend", { hasText: flows.form.lines }).getByTestId("required-mark")).toHaveText("*");
    }
  }
});
