import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import common from "../../messages/ko/common.json";
import ko from "../../messages/ko/flows.json";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { labelled } from "./labels";

// What a person sees before commit and on the lists: the flow form's customer and stock in the
// chosen warehouse, the shortfall on the form, after submit, on the approval screen and in the
// approvals list; bulk actions with a result per row; the page-size choice and the stock search;
// a missing record's page answering 404; the party shown once.

const KR_SEL = "10000000-0000-4000-8000-000000000001";
const CN_YIW = "10000000-0000-4000-8000-000000000002";
const FLOW_URL = /\/flows\/[0-9a-f-]{36}$/;
const MISSING = "00000000-0000-4000-8000-00000000f404";

const fmt = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

type Api = APIRequestContext;
const test = base.extend<{ korean: Api; manager: Api }>({
  korean: async ({ playwright, baseURL }, provide) => {
    const api = await apiAs(playwright.request, baseURL, "korean");
    await provide(api);
    await api.dispose();
  },
  manager: async ({ playwright, baseURL }, provide) => {
    const api = await apiAs(playwright.request, baseURL, "manager");
    await provide(api);
    await api.dispose();
  },
});

async function apiAs(request: { newContext(o: { baseURL?: string }): Promise<Api> }, baseURL: string | undefined, user: DemoUser): Promise<Api> {
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post("/api/v1/auth/login", { data: { email: USERS[user].email, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return ctx;
}

async function ok<T = Record<string, unknown>>(res: Awaited<ReturnType<Api["get"]>>, status = 200): Promise<T> {
  expect(res.status(), `${res.url()}: ${await res.text()}`).toBe(status);
  return ((await res.json()) as { data: T }).data;
}

async function createItem(api: Api, owner: string | null): Promise<{ id: string; sku: string }> {
  const sku = `E2E-HINT-${unique()}`;
  const item = await ok<{ id: string }>(await api.post("/api/v1/items", { data: { sku, name_ko: `힌트 ${sku}`, unit: "EA", customer_id: owner } }), 201);
  return { id: item.id, sku };
}

/** Stock through a committed inbound (korean_team creates, the manager approves and commits). */
async function stockUp(korean: Api, manager: Api, itemId: string, qty: number, location = KR_SEL) {
  const flow = await ok<{ id: string }>(await korean.post("/api/v1/inbounds", { data: { location_id: location, lines: [{ item_id: itemId, qty }] } }), 201);
  await ok(await korean.post(`/api/v1/flows/${flow.id}/submit`));
  await ok(await manager.post(`/api/v1/flows/${flow.id}/approve`));
  await ok(await manager.post(`/api/v1/flows/${flow.id}/commit`));
}

async function open(page: Page, path: string) {
  const res = await page.goto(path);
  await page.waitForFunction(() => {
    const main = document.getElementById("main");
    return !!main && Object.keys(main).some((k) => k.startsWith("__reactFiber"));
  });
  return res;
}

test("the flow form: the kind the user came from, the customer, stock in the chosen warehouse and the shortfall; then submit, approvals list and approval screen warn; commit refuses", async ({
  page,
  korean,
  manager,
}) => {
  test.setTimeout(120_000);
  const item = await createItem(manager, CUSTOMERS.acme);
  await stockUp(korean, manager, item.id, 9);
  await stockUp(korean, manager, item.id, 50, CN_YIW);

  await signInViaApi(page, demoUser("korean"));
  // "New" from the inbound list opens an inbound.
  await open(page, "/flows?kind=inbound");
  await page.getByRole("link", { name: ko.list.new }).click();
  await expect(page).toHaveURL("/flows/new?kind=inbound");
  await expect(page.getByLabel(labelled(ko.form.kind))).toHaveValue("inbound");

  await open(page, "/flows?kind=outbound");
  await page.getByRole("link", { name: ko.list.new }).click();
  await expect(page).toHaveURL("/flows/new?kind=outbound");
  await page.waitForFunction(() => Object.keys(document.getElementById("main") ?? {}).some((k) => k.startsWith("__reactFiber")));
  const kind = page.getByLabel(labelled(ko.form.kind));
  await expect(kind).toHaveValue("outbound");

  const search = page.getByRole("combobox", { name: ko.form.itemSearch });
  await search.pressSequentially(item.sku, { delay: 5 });
  await search.press("Enter");
  const stockCell = page.getByTestId(`line-${item.sku}-stock`);
  await expect(stockCell).toHaveText(ko.form.chooseWarehouseFirst);
  // The customer who owns the goods is filled in.
  const customer = page.locator("#flow-customer_id");
  await expect(customer).toHaveValue(CUSTOMERS.acme);

  await page.getByLabel(labelled(ko.form.locationOutbound)).selectOption(KR_SEL);
  await expect(page.getByRole("columnheader", { name: fmt(ko.form.stockIn, { warehouse: "KR-SEL" }) })).toBeVisible();
  await expect(stockCell).toContainText("9 EA");
  await page.getByLabel(fmt(ko.form.qtyFor, { sku: item.sku })).fill("100");
  await expect(stockCell.getByTestId("line-shortfall")).toHaveText(fmt(ko.form.shortBy, { qty: 91, unit: "EA" }));
  await expect(page.getByTestId("form-shortfall")).toHaveText(fmt(ko.stock.formWarning, { count: 1 }));

  // Another warehouse: its stock, at once.
  await page.getByLabel(labelled(ko.form.locationOutbound)).selectOption(CN_YIW);
  await expect(stockCell).toContainText("50 EA");
  await expect(stockCell.getByTestId("line-shortfall")).toHaveText(fmt(ko.form.shortBy, { qty: 50, unit: "EA" }));
  await page.getByLabel(labelled(ko.form.locationOutbound)).selectOption(KR_SEL);
  await expect(stockCell).toContainText("9 EA");

  // Without the customer the form refuses to save and says why.
  await customer.selectOption("");
  await expect(page.getByText(ko.form.customerRequired)).toBeVisible();
  await page.getByRole("button", { name: ko.form.create }).click();
  await expect(page).toHaveURL(/\/flows\/new/);
  await expect(customer).toBeFocused();
  await customer.selectOption(CUSTOMERS.acme);
  await page.getByRole("button", { name: ko.form.create }).click();
  await expect(page).toHaveURL(FLOW_URL);
  const flowId = page.url().split("/").at(-1)!;
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();

  const notice = page.getByTestId("flow-shortfall");
  await expect(notice).toContainText(fmt(ko.stock.title, { count: 1 }));
  await expect(notice.getByTestId(`shortfall-${item.sku}`)).toHaveText(
    fmt(ko.stock.line, { sku: item.sku, warehouse: "KR-SEL", requested: "100 EA", available: "9 EA", short: "91 EA" }),
  );
  await page.getByRole("button", { name: ko.actions.submit, exact: true }).click();
  await expect(page.getByTestId("flow-action-warning")).toHaveText(fmt(ko.stock.afterAction, { count: 1 }));
  await expect(page.getByTestId("flow-status").first()).toHaveText(ko.statuses.submitted);

  // The customer sees the shipment in the portal (it names ACME).
  expect((await ok<{ customer_id: string }>(await manager.get(`/api/v1/flows/${flowId}`))).customer_id).toBe(CUSTOMERS.acme);

  // The manager's approvals list marks it; the approval screen says it; commit still refuses.
  await signInViaApi(page, demoUser("manager"));
  await open(page, `/flows?status=submitted&q=${encodeURIComponent(number)}`);
  await expect(page.getByTestId(`flow-row-${number}`).getByTestId("row-shortfall")).toHaveText(fmt(ko.stock.badge, { count: 1 }));
  await open(page, `/flows/${flowId}`);
  await expect(page.getByTestId("flow-shortfall")).toBeVisible();
  await page.getByRole("button", { name: ko.actions.approve, exact: true }).click();
  await expect(page.getByTestId("flow-status").first()).toHaveText(ko.statuses.approved);
  await expect(page.getByTestId("flow-shortfall")).toBeVisible();
  await page.getByRole("button", { name: ko.actions.commit, exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: ko.actions.commit, exact: true }).click();
  await expect(page.getByTestId("flow-action-error")).toBeVisible();
  await expect(page.getByTestId("flow-status").first()).toHaveText(ko.statuses.approved);
});

test("bulk approve from the list: a result per row, the manager's own flow refused (segregation of duties)", async ({ page, korean, manager }) => {
  test.setTimeout(90_000);
  const item = await createItem(manager, null);
  await stockUp(korean, manager, item.id, 10);
  const partner = `BULK-${unique()}`;
  const make = async (api: Api) => {
    const flow = await ok<{ id: string; number: string }>(await api.post("/api/v1/outbounds", { data: { location_id: KR_SEL, partner, lines: [{ item_id: item.id, qty: 1 }] } }), 201);
    await ok(await api.post(`/api/v1/flows/${flow.id}/submit`));
    return flow;
  };
  const theirs = await make(korean);
  const mine = await make(manager);

  // korean_team may submit in bulk but not approve or commit.
  await signInViaApi(page, demoUser("korean"));
  await open(page, `/flows?q=${partner}`);
  await expect(page.getByTestId("bulk-submit")).toBeVisible();
  await expect(page.getByTestId("bulk-approve")).toHaveCount(0);
  await expect(page.getByTestId("bulk-commit")).toHaveCount(0);

  await signInViaApi(page, demoUser("manager"));
  await open(page, `/flows?status=submitted&q=${partner}`);
  await page.getByRole("checkbox", { name: ko.bulk.selectAll }).check();
  await expect(page.getByTestId("bulk-count")).toHaveText(fmt(ko.bulk.selected, { count: 2 }));
  await page.getByTestId("bulk-approve").click();
  const results = page.getByTestId("bulk-results");
  await expect(results.getByTestId(`bulk-result-${theirs.number}`)).toContainText(`${ko.bulk.done}: ${ko.statuses.approved}`);
  await expect(results.getByTestId(`bulk-result-${mine.number}`)).toContainText(ko.bulk.refused);
  expect((await ok<{ status: string }>(await manager.get(`/api/v1/flows/${mine.id}`))).status).toBe("submitted");
  expect((await ok<{ status: string }>(await manager.get(`/api/v1/flows/${theirs.id}`))).status).toBe("approved");
  // Refused rows stay selected for another try; the list shows the new states.
  await expect(page.getByTestId(`flow-row-${theirs.number}`)).toHaveCount(0);
  await expect(page.getByTestId(`select-${mine.number}`)).toBeChecked();

  // Commit the approved one from the list, with a confirmation.
  await open(page, `/flows?status=approved&q=${partner}`);
  await page.getByTestId(`select-${theirs.number}`).check();
  await page.getByTestId("bulk-commit").click();
  await page.getByRole("dialog").getByRole("button", { name: ko.bulk.commit }).click();
  await expect(page.getByTestId(`bulk-result-${theirs.number}`)).toContainText(ko.statuses.committed);
});

test("page size kept in the URL, the stock search, and the party shown once", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaApi(page, demoUser("manager"));
  await open(page, "/stocks");
  const rows = page.locator('[data-testid^="stock-row-"]');
  await expect(rows).toHaveCount(10);
  const sizes = page.getByRole("navigation", { name: common.table.pageSize });
  await sizes.getByRole("link", { name: "25", exact: true }).click();
  await expect(page).toHaveURL(/[?&]limit=25(&|$)/);
  await expect(rows).toHaveCount(25);
  await expect(sizes.getByRole("link", { name: "25", exact: true })).toHaveAttribute("aria-current", "true");
  // The next page keeps the size.
  await page.locator('a[rel="next"]').click();
  await expect(page).toHaveURL(/page=2/);
  expect(new URL(page.url()).searchParams.get("limit")).toBe("25");

  await open(page, "/stocks?limit=25");
  await page.getByLabel("검색").fill("KEYB-ACME-KR");
  await page.getByRole("button", { name: "적용" }).click();
  await expect(page).toHaveURL(/[?&]q=KEYB-ACME-KR(&|$)/);
  expect(new URL(page.url()).searchParams.get("limit")).toBe("25");
  await expect(rows).toHaveCount(2);
  for (const text of await rows.allTextContents()) expect(text).toContain("KEYB-ACME-KR");

  for (const path of ["/flows", "/items", "/customers", "/inspections", "/admin/audit"]) {
    if (path === "/admin/audit") await signInViaApi(page, demoUser("admin"));
    await open(page, `${path}?limit=10`);
    await expect(page.getByRole("navigation", { name: common.table.pageSize }).getByRole("link", { name: "10", exact: true }), path).toHaveAttribute("aria-current", "true");
  }

  await signInViaApi(page, demoUser("manager"));
  await open(page, "/flows?kind=outbound&limit=100");
  const party = page.getByRole("cell", { name: "ACME Trading" });
  await expect(party.first()).toBeVisible();
  await expect(page.getByText("ACME Trading · ACME Trading")).toHaveCount(0);
});

test("a missing record's page answers 404 with the not-found page", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signInViaApi(page, demoUser("manager"));
  for (const path of [`/flows/${MISSING}`, "/flows/not-an-id", `/flows/${MISSING}/edit`, `/items/${MISSING}`, `/inspections/${MISSING}`, `/customers/${MISSING}`]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  await page.goto(`/flows/${MISSING}`);
  await expect(page.getByText(ko.detail.notFound)).toBeVisible();
  await expect(page.getByRole("link", { name: ko.detail.back })).toBeVisible();

  const acme = await browser.newPage();
  await signInViaApi(acme, demoUser("acme"));
  for (const path of [`/portal/shipments/${MISSING}`, `/portal/inspections/${MISSING}`]) {
    const res = await acme.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  await acme.close();
});
