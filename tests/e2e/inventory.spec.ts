import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// The staff inventory screens: items, item detail, stock, business lines, warehouses. Sign-in
// goes through the API; tests that change data make their own items (unique SKUs, never "LCD",
// which the search test counts on). The demo users' UI is Korean, the Chinese staff user's Chinese.

const SEED = { lcdCount: 15, stockedSku: "LCD-ACME-27" };
const LOCATIONS = ["KR-SEL", "CN-YIW"];

const uniqueSku = (prefix: string) => `E2E-${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();

async function itemIdBySku(request: APIRequestContext, sku: string): Promise<string> {
  const res = await request.get(`/api/v1/items?q=${encodeURIComponent(sku)}`);
  expect(res.status()).toBe(200);
  const { data } = (await res.json()) as { data: { id: string; sku: string }[] };
  const item = data.find((i) => i.sku === sku);
  expect(item, sku).toBeTruthy();
  return item!.id;
}

async function createItemViaApi(request: APIRequestContext, sku: string): Promise<string> {
  const res = await request.post("/api/v1/items", { data: { sku, name_ko: `시험 품목 ${sku}`, name_zh: `测试物品 ${sku}`, unit: "EA", reorder_point: 3, unit_cost: 1500 } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

const itemRows = (page: Page) => page.locator('tbody tr[data-testid^="item-row-"]');

test.describe("items list", () => {
  test("search and pagination keep their state in the URL", async ({ page }) => {
    await signInViaApi(page, demoUser("manager"));
    await page.goto("/items");
    await expect(page.getByRole("heading", { level: 1, name: "품목" })).toBeVisible();
    await expect(itemRows(page)).toHaveCount(10);

    await page.getByLabel("검색").fill("LCD");
    await page.getByRole("button", { name: "적용" }).click();
    await expect(page).toHaveURL(/[?&]q=LCD(&|$)/);
    await expect(itemRows(page)).toHaveCount(10);
    await expect(page.getByText(`총 ${SEED.lcdCount}건`)).toBeVisible();

    await page.locator('a[rel="next"]').click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("LCD");
    await expect(itemRows(page)).toHaveCount(SEED.lcdCount - 10);
    for (const sku of await itemRows(page).locator("td:first-child").allTextContents()) expect(sku).toContain("LCD");

    // A reload (or a shared link) shows the same page with the same filters.
    await page.reload();
    await expect(page.getByLabel("검색")).toHaveValue("LCD");
    await expect(itemRows(page)).toHaveCount(SEED.lcdCount - 10);
    await expect(page.getByText("2 / 2 페이지")).toBeVisible();

    await page.locator('a[rel="prev"]').click();
    await expect(page).not.toHaveURL(/page=/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("LCD");
    await expect(itemRows(page)).toHaveCount(10);
  });

  test("sort and filters come from the URL; bad parameters fall back to defaults", async ({ page }) => {
    await signInViaApi(page, demoUser("manager"));
    await page.goto("/items?engine_id=e0000000-0000-4000-8000-000000000002&sort=-sku&limit=5");
    await expect(page.getByLabel("정렬")).toHaveValue("-sku");
    const skus = await itemRows(page).locator("td:first-child").allTextContents();
    expect(skus).toHaveLength(5);
    expect(skus.every((s) => s.startsWith("KEYB-"))).toBe(true);
    expect([...skus].sort().reverse()).toEqual(skus);

    await page.goto("/items?page=zero&limit=5000&sort=bogus&active=maybe&engine_id=not-a-uuid");
    await expect(page.getByRole("heading", { level: 1, name: "품목" })).toBeVisible();
    await expect(itemRows(page)).toHaveCount(10);
    await expect(page.getByLabel("정렬")).toHaveValue("sku");
  });
});

test("item detail shows stock per warehouse, the ledger and its chart", async ({ page }) => {
  await signInViaApi(page, demoUser("manager"));
  const id = await itemIdBySku(page.request, SEED.stockedSku);
  await page.goto("/items");
  await page.getByLabel("검색").fill(SEED.stockedSku);
  await page.getByRole("button", { name: "적용" }).click();
  await page.getByRole("link", { name: SEED.stockedSku }).click();
  await expect(page).toHaveURL(`/items/${id}`);

  const stocks = page.getByTestId("item-stocks");
  for (const code of LOCATIONS) await expect(stocks.getByRole("row").filter({ hasText: code })).toHaveCount(1);
  await expect(stocks.locator("tfoot")).toContainText("합계");

  const ledger = page.getByTestId("item-ledger");
  await expect(ledger.locator("tbody tr").first()).toBeVisible();
  await expect(ledger.locator("tbody tr").filter({ hasText: "입고" }).first()).toBeVisible();
  await expect(page.getByTestId("ledger-chart").locator("path[data-series]").first()).toHaveAttribute("d", /^M/);

  // Malformed and unknown ids are "not found", inside the app's frame.
  await page.goto("/items/not-a-uuid");
  await expect(page.getByRole("heading", { level: 1, name: "품목을 찾을 수 없음" })).toBeVisible();
  await page.goto("/items/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { level: 1, name: "품목을 찾을 수 없음" })).toBeVisible();
});

test("korean_team creates an item, sees validation and conflicts, and edits it", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  const sku = uniqueSku("KT");
  await page.goto("/items");
  await page.getByRole("link", { name: "새 품목" }).click();
  await hydrated(page.getByLabel("SKU"));
  await expect(page).toHaveURL("/items/new");

  // Checked in the browser with the API's own schema, before anything is sent.
  await page.getByLabel("SKU").fill("bad sku!");
  await page.getByRole("button", { name: "등록" }).click();
  await expect(page.locator("#item-sku-error")).toContainText("영문·숫자로 시작하는");
  await expect(page.locator("#item-name_ko-error")).toHaveText("필수 항목입니다.");

  await page.getByLabel("SKU").fill(sku);
  await page.getByLabel("품목명 (한국어)").fill("시험용 받침대");
  await page.getByLabel("품목명 (중국어)").fill("测试支架");
  await page.getByLabel("단위").selectOption("BOX");
  await page.getByLabel("재주문점").fill("5");
  await page.getByLabel("단가 (원)").fill("12500");
  await page.getByRole("button", { name: "등록" }).click();
  await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`품목 등록: ${sku}`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "시험용 받침대" })).toBeVisible();
  await expect(page.getByText("₩12,500").first()).toBeVisible();
  const itemUrl = page.url();

  // The server's answer is shown too: the same SKU again is a conflict.
  await page.goto("/items/new");
  await hydrated(page.getByLabel("SKU"));
  await page.getByLabel("SKU").fill(sku.toLowerCase());
  await page.getByLabel("품목명 (한국어)").fill("중복");
  await page.getByRole("button", { name: "등록" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("이미 이 SKU나 바코드를 사용 중");
  await expect(page).toHaveURL("/items/new");

  await page.goto(itemUrl);
  await hydrated(page.getByLabel("품목명 (영어)"));
  await page.getByLabel("품목명 (영어)").fill("Test stand");
  await page.getByLabel("재주문점").fill("7");
  await page.getByRole("button", { name: "변경 저장" }).click();
  await expect(page.getByText("변경 사항을 저장했습니다.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("품목명 (영어)")).toHaveValue("Test stand");
  await expect(page.getByLabel("재주문점")).toHaveValue("7");
  await expect(page.getByText("Test stand")).toBeVisible();
});

test("korean_team deletes an unused item; an item with stock is refused with a message", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  const sku = uniqueSku("DEL");
  const id = await createItemViaApi(page.request, sku);
  const stockedId = await itemIdBySku(page.request, SEED.stockedSku);

  await page.goto(`/items/${stockedId}`);
  // Straight after navigation: the dialog opens only once React has hydrated the button.
  await hydrated(page.getByTestId("item-delete"));
  await page.getByTestId("item-delete").click();
  await page.getByRole("button", { name: "삭제합니다" }).click();
  await expect(page.getByText(/재고가 .+ 남아 있어 삭제할 수 없습니다/).first()).toBeVisible();
  const stillThere = await page.request.get(`/api/v1/items/${stockedId}`);
  expect(((await stillThere.json()) as { data: { active: boolean } }).data.active).toBe(true);

  await page.goto(`/items/${id}`);
  // Straight after navigation: the dialog opens only once React has hydrated the button.
  await hydrated(page.getByTestId("item-delete"));
  await page.getByTestId("item-delete").click();
  await page.getByRole("button", { name: "삭제합니다" }).click();
  await expect(page).toHaveURL("/items");
  expect((await page.request.get(`/api/v1/items/${id}`)).status()).toBe(404);
});

test("chinese_staff sees the Chinese UI, no delete action, and the API refuses their delete", async ({ page }) => {
  await signInViaApi(page, demoUser("chinese"));
  const sku = uniqueSku("ZH");
  const id = await createItemViaApi(page.request, sku);

  await page.goto("/items?q=LCD-24-FHD");
  await expect(page.getByRole("heading", { level: 1, name: "物品" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "现有库存" })).toBeVisible();
  await expect(page.getByTestId("item-row-LCD-24-FHD")).toContainText("24英寸全高清显示器");

  await page.goto(`/items/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: `测试物品 ${sku}` })).toBeVisible();
  await expect(page.getByRole("heading", { name: "编辑物品" })).toBeVisible();
  await expect(page.getByTestId("item-delete")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "删除" })).toHaveCount(0);

  const res = await page.request.delete(`/api/v1/items/${id}`);
  expect(res.status()).toBe(403);
  expect((await page.request.get(`/api/v1/items/${id}`)).status()).toBe(200);
});

test("a customer opening /items is sent to /portal", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/items");
  await expect(page).toHaveURL("/portal");
  expect((await page.request.get("/api/v1/items")).status()).toBe(403);
});

test.describe("stock, business lines and warehouses", () => {
  test("the low-stock view lists items below their reorder point with the shortage", async ({ page }) => {
    await signInViaApi(page, demoUser("manager"));
    await page.goto("/stocks");
    await expect(page.getByRole("heading", { level: 1, name: "재고" })).toBeVisible();
    await expect(page.locator('tbody tr[data-testid^="stock-row-"]')).toHaveCount(10);

    await page.getByRole("link", { name: "재주문점 미만" }).click();
    await expect(page).toHaveURL(/[?&]low=true/);
    await expect(page.getByRole("columnheader", { name: "부족 수량" })).toBeVisible();
    await expect(page.getByTestId("stock-row-" + (await itemIdBySku(page.request, "KEYB-PALM")))).toBeVisible();

    await page.getByLabel("창고").selectOption({ label: "CN-YIW · 义乌仓库 (Yiwu)" });
    await page.getByRole("button", { name: "적용" }).click();
    await expect(page).toHaveURL(/low=true/);
    await expect(page).toHaveURL(/location_id=10000000-0000-4000-8000-000000000002/);
  });

  test("a business line and a warehouse are created and edited", async ({ page }) => {
    await signInViaApi(page, demoUser("korean"));
    const code = `E${Date.now().toString(36).toUpperCase()}`.slice(0, 12);

    await page.goto("/engines");
    const engineForm = page.getByRole("form", { name: "새 사업 라인" });
    await hydrated(engineForm.getByLabel("코드"));
    await engineForm.getByLabel("코드").fill(code);
    await engineForm.getByLabel("이름 (한국어)").fill("시험 부문");
    await engineForm.getByRole("button", { name: "등록" }).click();
    await expect(page.getByTestId(`engine-row-${code}`)).toBeVisible();
    // The link navigates on the client: until the detail page replaces the list, the list's own
    // form is the one on screen, so wait for the detail page's heading before typing.
    await page.getByRole("link", { name: code }).click();
    await expect(page.getByRole("heading", { level: 1, name: "시험 부문" })).toBeVisible();
    await hydrated(page.getByLabel("설명"));
    await page.getByLabel("설명").fill("E2E 설명");
    await page.getByRole("button", { name: "변경 저장" }).click();
    await expect(page.getByText("변경 사항을 저장했습니다.")).toBeVisible();

    await page.goto("/locations");
    const locationForm = page.getByRole("form", { name: "새 창고" });
    await hydrated(locationForm.getByLabel("코드"));
    await locationForm.getByLabel("코드").fill(code);
    await locationForm.getByLabel("창고명").fill("시험 창고");
    await locationForm.getByLabel("국가").selectOption("CN");
    await locationForm.getByRole("button", { name: "등록" }).click();
    await expect(page.getByTestId(`location-row-${code}`)).toContainText("중국");
    await page.getByRole("link", { name: code }).click();
    await expect(page.getByRole("heading", { level: 1, name: "시험 창고" })).toBeVisible();
    await hydrated(page.getByLabel("창고명"));
    await page.getByLabel("창고명").fill("시험 창고 2");
    await page.getByRole("button", { name: "변경 저장" }).click();
    await expect(page.getByText("변경 사항을 저장했습니다.")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "시험 창고 2" })).toBeVisible();

    // Deactivating a warehouse that holds stock is refused, and the form says why.
    await page.goto("/locations/10000000-0000-4000-8000-000000000001");
    await hydrated(page.getByLabel("사용", { exact: true }));
    await page.getByLabel("사용", { exact: true }).uncheck();
    await page.getByRole("button", { name: "변경 저장" }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("재고가 남아 있는 창고는");
  });
});

for (const { path, form: name } of [
  { path: "/engines", form: "새 사업 라인" },
  { path: "/items/new", form: "새 품목" },
]) {
  test(`${path}: the create form loads its checks when first used: with the link down it says so, and works once the link is back`, async ({ page }) => {
    // The API's schemas (zod) are not in the page's first load: the form fetches them on focus or
    // on send (components/toolkit/use-lazy.ts). Offline, that fetch fails: the form must say the
    // server could not be reached, not hang or send unchecked input, and try again on the next send.
    await signInViaApi(page, demoUser("korean"));
    await page.goto(path);
    const form = page.getByRole("form", { name });
    await hydrated(form.getByRole("button", { name: "등록" }));
    await page.context().setOffline(true);
    await form.getByRole("button", { name: "등록" }).click();
    await expect(form.getByRole("alert")).toHaveText("서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.");
    await expect(form.getByText("필수 항목입니다.")).toHaveCount(0);

    await page.context().setOffline(false);
    await form.getByRole("button", { name: "등록" }).click();
    await expect(form.getByRole("alert")).toHaveText("입력값을 확인하세요.");
    await expect(form.getByText("필수 항목입니다.").first()).toBeVisible();
  });
}

test.describe("accessibility at 768 px", () => {
  test.use({ viewport: { width: 768, height: 1024 } });

  // The states the page sweep of layout.spec.ts (every main page, three sizes) does not reach: an
  // empty search, a missing item, the low-stock view, and an item with its ledger chart drawn.
  // ":stocked" stands for the detail page of an item with stock and ledger history.
  const pages = ["/items?q=zzzz-no-match", "/items/:stocked", "/items/00000000-0000-4000-8000-000000000000", "/stocks?low=true"];
  for (const template of pages) {
    test(`${template}: no serious or critical axe violations, no sideways page scroll`, async ({ page }) => {
      await signInViaApi(page, demoUser("korean"));
      const stocked = template.includes(":stocked");
      const path = stocked ? template.replace(":stocked", await itemIdBySku(page.request, SEED.stockedSku)) : template;
      await page.goto(path);
      await expect(page.locator("main h1")).toBeVisible();
      if (stocked) await expect(page.getByTestId("ledger-chart").locator("path[data-series]").first()).toHaveAttribute("d", /^M/);

      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
    });
  }
});
