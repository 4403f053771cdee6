import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import ko from "../../messages/ko/flows.json";
import zh from "../../messages/zh/flows.json";
import errorsKo from "../../messages/ko/errors.json";
import { DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { labelled } from "./labels";

// The flow screens (/flows, /flows/new, /flows/[id]) as staff use them. Every test makes its own
// items and stock through the API (korean_team creates, the manager approves and commits), so the
// tests do not depend on each other or on the demo data's quantities. Labels come from the
// message files, so a reworded text does not break a test, a missing one does.

const KR_SEL = "10000000-0000-4000-8000-000000000001";
const CN_YIW = "10000000-0000-4000-8000-000000000002";
const FLOW_URL = /\/flows\/[0-9a-f-]{36}$/;

/** A message with its {placeholders} filled in. */
function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** Unique per call, and short enough for SKUs and barcodes (digits only for barcodes). */
let counter = 0;
function unique(): { tag: string; digits: string } {
  counter += 1;
  const n = `${Date.now()}${String(counter).padStart(3, "0")}`;
  return { tag: `${Number(n).toString(36).toUpperCase()}`, digits: n.slice(-12) };
}

type Api = APIRequestContext;

// API clients for the set-up, one per demo user (`provide` is Playwright's fixture callback).
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

/** An API client signed in as a demo user (its own cookie jar, separate from the page's). */
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

type Item = { id: string; sku: string; barcode: string; name_ko: string; name_zh: string };

async function createItem(api: Api, label: string): Promise<Item> {
  const u = unique();
  const body = {
    sku: `E2E-${label}-${u.tag}`,
    name_ko: `시험 품목 ${label} ${u.tag}`,
    name_zh: `测试商品 ${label} ${u.tag}`,
    name_en: `Test item ${label} ${u.tag}`,
    unit: "EA",
    barcode: `88${u.digits}`,
  };
  const item = await ok<{ id: string }>(await api.post("/api/v1/items", { data: body }), 201);
  return { id: item.id, ...body };
}

type Flow = { id: string; number: string; status: string };

/** A flow taken through the workflow by the API: created and submitted by korean_team, then as far as `until`. */
async function flowVia(
  korean: Api,
  manager: Api,
  kind: "inbounds" | "outbounds",
  lines: { item_id: string; qty: number }[],
  until: "draft" | "submitted" | "approved" | "committed",
  extra: Record<string, unknown> = {},
): Promise<Flow> {
  let flow = await ok<Flow>(await korean.post(`/api/v1/${kind}`, { data: { location_id: KR_SEL, lines, ...extra } }), 201);
  if (until === "draft") return flow;
  flow = await ok<Flow>(await korean.post(`/api/v1/flows/${flow.id}/submit`));
  if (until === "submitted") return flow;
  flow = await ok<Flow>(await manager.post(`/api/v1/flows/${flow.id}/approve`));
  if (until === "approved") return flow;
  return ok<Flow>(await manager.post(`/api/v1/flows/${flow.id}/commit`));
}

async function onHand(api: Api, itemId: string, locationId = KR_SEL): Promise<number> {
  const item = await ok<{ stocks: { location_id: string; on_hand: number | string }[] }>(await api.get(`/api/v1/items/${itemId}`));
  return Number(item.stocks.find((s) => s.location_id === locationId)?.on_hand ?? 0);
}

async function ledger(api: Api, itemId: string) {
  const res = await api.get(`/api/v1/ledger?item_id=${itemId}`);
  expect(res.status()).toBe(200);
  return (await res.json()).data as { flow_number: string; balance_after: number | string; delta: number | string }[];
}

const statusBadge = (page: Page) => page.getByTestId("flow-status").first();

/**
 * Opens a page and waits until React has hydrated it. React resets inputs typed into before
 * hydration (and buttons do nothing yet), so a test that types at once would be flaky.
 */
async function open(page: Page, path: string) {
  const res = await page.goto(path);
  await page.waitForFunction(() => {
    const main = document.getElementById("main");
    return !!main && Object.keys(main).some((k) => k.startsWith("__reactFiber"));
  });
  return res;
}

/** Serious and critical accessibility problems on the page as it is now. */
async function expectAccessible(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), where).toEqual([]);
}

test.describe("korean_team and manager", () => {
  test("korean_team creates an outbound of two lines in the UI and submits it; the manager approves and commits; stock and ledger follow", async ({
    page,
    korean,
    manager,
  }) => {
    test.setTimeout(90_000);
    const a = await createItem(manager, "A");
    const b = await createItem(manager, "B");
    await flowVia(korean, manager, "inbounds", [{ item_id: a.id, qty: 1250 }], "committed");
    await flowVia(korean, manager, "inbounds", [{ item_id: b.id, qty: 40 }], "committed");

    await signInViaApi(page, demoUser("korean"));
    await open(page, "/flows/new");
    await page.getByLabel(labelled(ko.form.kind)).selectOption("outbound");
    await page.getByLabel(labelled(ko.form.locationOutbound)).selectOption(KR_SEL);

    // A scanner types the barcode fast and presses Enter: the line appears; a second scan adds one.
    const search = page.getByRole("combobox", { name: ko.form.itemSearch });
    await search.pressSequentially(a.barcode, { delay: 5 });
    await search.press("Enter");
    const qtyA = page.getByLabel(fmt(ko.form.qtyFor, { sku: a.sku }));
    await expect(qtyA).toHaveValue("1");
    await search.pressSequentially(a.barcode, { delay: 5 });
    await search.press("Enter");
    await expect(qtyA).toHaveValue("2");
    await expect(search).toHaveValue("");

    // Typing part of a name searches; the second item is picked from the list.
    await search.fill(b.sku.slice(0, -1));
    await page.getByRole("option", { name: new RegExp(b.sku) }).click();
    const qtyB = page.getByLabel(fmt(ko.form.qtyFor, { sku: b.sku }));
    await expect(qtyB).toHaveValue("1");

    // Live validation: a zero quantity is flagged before anything is sent.
    await qtyB.fill("0");
    await qtyB.blur();
    await expect(page.getByText(ko.validation.qtyPositive)).toBeVisible();
    await qtyB.fill("3");
    await expect(page.getByText(ko.validation.qtyPositive)).toHaveCount(0);

    await page.getByRole("button", { name: ko.form.create }).click();
    await expect(page).toHaveURL(FLOW_URL);
    const flowId = page.url().split("/").at(-1)!;
    await expect(statusBadge(page)).toHaveText(ko.statuses.draft);
    await expect(page.getByTestId(`flow-line-${a.sku}`)).toContainText(a.name_ko);
    await expect(page.getByTestId(`flow-line-${a.sku}`)).toContainText("2");
    await expect(page.getByTestId(`flow-line-${b.sku}`)).toContainText("3");

    await page.getByRole("button", { name: ko.actions.submit, exact: true }).click();
    await expect(statusBadge(page)).toHaveText(ko.statuses.submitted);
    await expect(page.getByText(fmt(ko.timeline.submitted, { name: "Choi Korean Team" }))).toBeVisible();
    // Their own flow: no approve button, and the API refuses too.
    await expect(page.getByRole("button", { name: ko.actions.approve, exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: ko.actions.commit, exact: true })).toHaveCount(0);
    expect((await page.request.post(`/api/v1/flows/${flowId}/approve`)).status()).toBe(403);
    expect((await page.request.post(`/api/v1/flows/${flowId}/commit`)).status()).toBe(403);

    await signInViaApi(page, demoUser("manager"));
    await open(page, `/flows/${flowId}`);
    await page.getByRole("button", { name: ko.actions.approve, exact: true }).click();
    await expect(statusBadge(page)).toHaveText(ko.statuses.approved);
    await page.getByRole("button", { name: ko.actions.commit, exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: ko.actions.commit, exact: true }).click();
    await expect(statusBadge(page)).toHaveText(ko.statuses.committed);
    await expect(page.getByText(fmt(ko.timeline.approved, { name: "Park Manager" }))).toBeVisible();
    await expect(page.getByText(fmt(ko.timeline.committed, { name: "Park Manager" }))).toBeVisible();
    const number = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();

    expect(await onHand(manager, a.id)).toBe(1248);
    expect(await onHand(manager, b.id)).toBe(37);
    const [latest] = await ledger(manager, a.id);
    expect(latest.flow_number).toBe(number);
    expect(Number(latest.balance_after)).toBe(1248);
    expect(Number(latest.delta)).toBe(-2);

    // The stock page and the item's ledger in the UI. They are built alongside these screens: until
    // a page exists (404) the API checks above stand in for it, noted on the test; any other answer
    // must be the page showing the new balance.
    const stocks = await page.goto(`/stocks?item_id=${a.id}`);
    if (stocks?.status() === 404) test.info().annotations.push({ type: "skipped-ui-check", description: "/stocks does not exist yet" });
    else {
      expect(stocks?.status()).toBe(200);
      await expect(page.getByRole("row").filter({ hasText: a.sku }).first()).toContainText("1,248");
    }
    const itemPage = await page.goto(`/items/${a.id}`);
    if (itemPage?.status() === 404) test.info().annotations.push({ type: "skipped-ui-check", description: "/items/[id] does not exist yet" });
    else {
      expect(itemPage?.status()).toBe(200);
      await expect(page.getByRole("row").filter({ hasText: number }).first()).toContainText("1,248");
    }
  });

  test("committing more than the stock shows insufficient_stock and changes nothing", async ({ page, korean, manager }) => {
    const c = await createItem(manager, "C");
    await flowVia(korean, manager, "inbounds", [{ item_id: c.id, qty: 5 }], "committed");
    const flow = await flowVia(korean, manager, "outbounds", [{ item_id: c.id, qty: 7 }], "approved");
    const before = await ledger(manager, c.id);

    await signInViaApi(page, demoUser("manager"));
    await open(page, `/flows/${flow.id}`);
    await page.getByRole("button", { name: ko.actions.commit, exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: ko.actions.commit, exact: true }).click();

    await expect(page.getByTestId("flow-action-error")).toHaveText(
      fmt(ko.errors.insufficientStock, { sku: c.sku, location: "KR-SEL", available: "5", requested: "7" }),
    );
    await expect(statusBadge(page)).toHaveText(ko.statuses.approved);
    await page.reload();
    await expect(statusBadge(page)).toHaveText(ko.statuses.approved);
    expect(await onHand(manager, c.id)).toBe(5);
    expect(await ledger(manager, c.id)).toEqual(before);
  });

  test("a draft's lines are edited through the form", async ({ page, korean, manager }) => {
    const d = await createItem(manager, "D");
    const e = await createItem(manager, "E");
    const flow = await flowVia(korean, manager, "inbounds", [{ item_id: d.id, qty: 2 }], "draft");

    await signInViaApi(page, demoUser("korean"));
    await open(page, `/flows/${flow.id}`);
    await page.getByRole("link", { name: ko.actions.edit, exact: true }).click();
    await expect(page).toHaveURL(`/flows/${flow.id}/edit`);
    await page.getByLabel(fmt(ko.form.qtyFor, { sku: d.sku })).fill("6");
    const search = page.getByRole("combobox", { name: ko.form.itemSearch });
    await search.fill(e.sku);
    await search.press("Enter");
    await page.getByLabel(fmt(ko.form.qtyFor, { sku: e.sku })).fill("4");
    await page.getByRole("button", { name: ko.form.save }).click();

    await expect(page).toHaveURL(`/flows/${flow.id}`);
    await expect(page.getByTestId(`flow-line-${d.sku}`)).toContainText("6");
    await expect(page.getByTestId(`flow-line-${e.sku}`)).toContainText("4");
    const saved = await ok<{ lines: { sku: string; qty: number | string }[] }>(await korean.get(`/api/v1/flows/${flow.id}`));
    expect(saved.lines.map((l) => [l.sku, Number(l.qty)])).toEqual([
      [d.sku, 6],
      [e.sku, 4],
    ]);
  });

  test("a double click on save creates one flow", async ({ page, manager }) => {
    const f = await createItem(manager, "F");
    const partner = `E2E partner ${unique().tag}`;

    await signInViaApi(page, demoUser("korean"));
    await open(page, "/flows/new?kind=inbound");
    await page.getByLabel(labelled(ko.form.locationInbound)).selectOption(KR_SEL);
    await page.getByLabel(ko.form.partner, { exact: true }).fill(partner);
    const search = page.getByRole("combobox", { name: ko.form.itemSearch });
    await search.fill(f.barcode);
    await search.press("Enter");
    await expect(page.getByLabel(fmt(ko.form.qtyFor, { sku: f.sku }))).toHaveValue("1");
    await page.getByRole("button", { name: ko.form.create }).dblclick();
    await expect(page).toHaveURL(FLOW_URL);

    const list = await manager.get(`/api/v1/flows?q=${encodeURIComponent(partner)}`);
    expect((await list.json()).count).toBe(1);
  });

  test("a committed flow is reversed by a new draft that links back to it", async ({ page, korean, manager }) => {
    const g = await createItem(manager, "G");
    const original = await flowVia(korean, manager, "inbounds", [{ item_id: g.id, qty: 9 }], "committed");

    await signInViaApi(page, demoUser("korean"));
    await open(page, `/flows/${original.id}`);
    await page.getByRole("button", { name: ko.actions.reverse, exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: ko.actions.reverse, exact: true }).click();

    await expect(page).not.toHaveURL(`/flows/${original.id}`);
    await expect(page).toHaveURL(FLOW_URL);
    await expect(statusBadge(page)).toHaveText(ko.statuses.draft);
    await expect(page.getByText(ko.kinds.outbound, { exact: true }).first()).toBeVisible();
    await page.getByRole("link", { name: original.number }).click();
    await expect(page).toHaveURL(`/flows/${original.id}`);
    await expect(page.getByText(ko.timeline.reversedBy)).toBeVisible();
    await expect(page.getByRole("button", { name: ko.actions.reverse, exact: true })).toHaveCount(0);
  });

  test("the list filters by search, kind and status in the URL", async ({ page, korean, manager }) => {
    const h = await createItem(manager, "H");
    const partner = `E2E filter ${unique().tag}`;
    const flow = await flowVia(korean, manager, "outbounds", [{ item_id: h.id, qty: 1 }], "submitted", { partner });

    await signInViaApi(page, demoUser("korean"));
    await open(page, "/flows");
    // The list streams in after the shell (loading.tsx): wait until the filter form itself is
    // hydrated, or hydration could replace the input after it was filled.
    await page.waitForFunction(() => {
      const form = document.querySelector('form[role="search"]');
      return !!form && Object.keys(form).some((k) => k.startsWith("__reactFiber"));
    });
    const search = page.getByLabel(ko.filters.q, { exact: true });
    await search.fill(partner);
    await expect(search).toHaveValue(partner);
    await page.getByRole("button", { name: ko.filters.apply }).click();
    await expect(page).toHaveURL(/q=E2E/);
    await expect(page.getByTestId(`flow-row-${flow.number}`)).toContainText(partner);
    await expect(page.getByRole("row")).toHaveCount(2);

    // Another kind's tab keeps the search and finds nothing.
    await page.getByRole("link", { name: ko.kinds.inbound, exact: true }).click();
    await expect(page).toHaveURL(/kind=inbound/);
    await expect(page).toHaveURL(/q=E2E/);
    await expect(page.getByText(ko.list.emptyFiltered)).toBeVisible();

    await open(page, `/flows?kind=outbound&status=submitted&q=${encodeURIComponent(partner)}`);
    await expect(page.getByTestId(`flow-row-${flow.number}`)).toBeVisible();
    await open(page, `/flows?kind=outbound&status=committed&q=${encodeURIComponent(partner)}`);
    await expect(page.getByTestId(`flow-row-${flow.number}`)).toHaveCount(0);
  });
});

test.describe("chinese_staff on a 768 px tablet", () => {
  test.use({ viewport: { width: 768, height: 1024 } });

  test("sees the Chinese UI, creates a draft, has no delete action and gets 403 deleting by API", async ({ page, manager }) => {
    const item = await createItem(manager, "ZH");

    await signInViaApi(page, demoUser("chinese"));
    await open(page, "/flows");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh.title);
    for (const kind of ["inbound", "outbound", "transfer", "adjustment"] as const) {
      await expect(page.getByRole("link", { name: zh.kinds[kind], exact: true })).toBeVisible();
    }
    await expect(page.getByRole("button", { name: /删除/ })).toHaveCount(0);

    await page.getByRole("link", { name: zh.list.new }).click();
    await expect(page).toHaveURL("/flows/new");
    await page.getByLabel(labelled(zh.form.kind)).selectOption("inbound");
    await page.getByLabel(labelled(zh.form.locationInbound)).selectOption(CN_YIW);
    const search = page.getByRole("combobox", { name: zh.form.itemSearch });
    await search.pressSequentially(item.sku, { delay: 5 });
    await search.press("Enter");
    await page.getByLabel(fmt(zh.form.qtyFor, { sku: item.sku })).fill("12");
    // Usable at tablet width: the form fits without scrolling sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await page.getByRole("button", { name: zh.form.create }).click();

    await expect(page).toHaveURL(FLOW_URL);
    await expect(statusBadge(page)).toHaveText(zh.statuses.draft);
    await expect(page.getByTestId(`flow-line-${item.sku}`)).toContainText(item.name_zh);
    await expect(page.getByRole("button", { name: zh.actions.submit, exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: /删除/ })).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);

    const res = await page.request.delete(`/api/v1/items/${item.id}`);
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });
});

test("the flow form loads its checks when first used: with the link down it says so, and works once the link is back", async ({ page }) => {
  // The API's schema (zod) is not in /flows/new's first load: the form fetches it on focus or on
  // send. Offline, the send must say the server could not be reached, not send unchecked input.
  await signInViaApi(page, demoUser("korean"));
  await open(page, "/flows/new");
  const create = page.getByRole("button", { name: ko.form.create });
  await page.context().setOffline(true);
  await create.click();
  await expect(page.locator("#flow-form-error")).toHaveText(errorsKo.network);
  await expect(page.getByText(ko.validation.required)).toHaveCount(0);

  await page.context().setOffline(false);
  await create.click();
  await expect(page.getByText(ko.validation.required).first()).toBeVisible();
  await expect(page).toHaveURL("/flows/new");
});

test("a customer opening the flow pages is sent to /portal", async ({ page, korean, manager }) => {
  const item = await createItem(manager, "CU");
  const flow = await flowVia(korean, manager, "inbounds", [{ item_id: item.id, qty: 1 }], "draft");
  await signInViaApi(page, demoUser("acme"));
  for (const path of ["/flows", "/flows/new", `/flows/${flow.id}`]) {
    await page.goto(path);
    await expect(page).toHaveURL("/portal");
  }
  expect((await page.request.get(`/api/v1/flows/${flow.id}`)).status()).toBe(403);
});

test("axe finds no serious or critical problems on /flows, /flows/new and /flows/[id]", async ({ page, korean, manager }) => {
  test.setTimeout(120_000);
  const item = await createItem(manager, "AX");
  await flowVia(korean, manager, "inbounds", [{ item_id: item.id, qty: 10 }], "committed");
  const flow = await flowVia(korean, manager, "outbounds", [{ item_id: item.id, qty: 2 }], "approved", { partner: "Axe check" });

  await signInViaApi(page, demoUser("manager"));
  await open(page, "/flows");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ko.title);
  await expectAccessible(page, "/flows");

  await open(page, "/flows/new");
  const search = page.getByRole("combobox", { name: ko.form.itemSearch });
  await search.fill(item.sku);
  await search.press("Enter");
  await expect(page.getByLabel(fmt(ko.form.qtyFor, { sku: item.sku }))).toBeVisible();
  // With the validation messages showing as well.
  await page.getByRole("button", { name: ko.form.create }).click();
  await expect(page.getByText(ko.validation.required).first()).toBeVisible();
  await expectAccessible(page, "/flows/new");

  await open(page, `/flows/${flow.id}`);
  await expect(statusBadge(page)).toHaveText(ko.statuses.approved);
  await expectAccessible(page, "/flows/[id]");
  await page.getByRole("button", { name: ko.actions.cancel, exact: true }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectAccessible(page, "/flows/[id] with the cancel dialog");
});
