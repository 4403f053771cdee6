import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import ExcelJS from "exceljs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import ko from "../../messages/ko/imports.json";
import zh from "../../messages/zh/imports.json";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Imports in the browser: an item sheet with two bad rows, its error report fixed in a
// spreadsheet and uploaded again, applied, the items then listed; and a stocktake from the count
// sheet to a committed adjustment through the usual approval.

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function workbookBytes(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Sheet1").addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rowsOf(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row, n) => (rows[n - 1] = (row.values as unknown[]).slice(1)));
  return rows;
}

async function downloadFrom(page: Page, name: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  return readFile((await download.path())!);
}

async function uploadSheet(page: Page, bytes: Buffer, name: string, words: typeof ko) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: XLSX, buffer: bytes });
  await page.getByRole("button", { name: words.page.upload }).click();
}

async function apiAs(request: { newContext(o: { baseURL?: string }): Promise<APIRequestContext> }, baseURL: string | undefined, user: keyof typeof USERS) {
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post("/api/v1/auth/login", { data: { email: USERS[user].email, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return ctx;
}

test("an item sheet with two bad rows: error report, fixed, applied, the items listed", async ({ page }) => {
  const tag = Date.now().toString(36).toUpperCase();
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/imports");
  await expect(page.getByRole("heading", { level: 1, name: ko.title })).toBeVisible();
  await hydrated(page.getByRole("button", { name: ko.page.upload }));

  const sheet = await workbookBytes([
    ["품번", "품명(한글)", "단위", "사업부문 코드", "단가(원)"],
    [`E2E-IMP-1-${tag}`, "가져오기 시험 1", "EA", "LCD", "1,500"],
    [`E2E-IMP-2-${tag}`, "가져오기 시험 2", "PCS", "LCD", "2000"],
    [`E2E-IMP-3-${tag}`, "가져오기 시험 3", "EA", "NOPE", "３０００"],
  ]);
  await uploadSheet(page, sheet, "items.xlsx", ko);
  await expect(page.getByTestId("import-counts")).toContainText(`${ko.rowStatus.error} 2`);
  await expect(page.getByTestId("import-rows")).toContainText("알 수 없는 단위입니다 (PCS)");
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await expect(page.getByRole("button", { name: ko.page.apply })).toBeDisabled();

  const report = await rowsOf(await downloadFrom(page, ko.page.errorReport));
  expect(report[0]).toEqual(["품번", "품명(한글)", "단위", "사업부문 코드", "단가(원)", "오류"]);
  expect(String(report[2][5])).toContain("단위");
  expect(String(report[3][5])).toContain("NOPE");

  // Fixed in the spreadsheet, the error column left in: it is not mapped to anything.
  report[2][2] = "EA";
  report[3][3] = "KEYB";
  await uploadSheet(page, await workbookBytes(report), "items-fixed.xlsx", ko);
  await expect(page.getByTestId("import-counts")).toContainText(`${ko.rowStatus.new} 3`);
  await expect(page.getByTestId("import-counts")).toContainText(`${ko.rowStatus.error} 0`);
  await page.getByRole("button", { name: ko.page.apply }).click();
  await expect(page.getByTestId("import-result")).toHaveText("3건 생성, 0건 수정");

  await page.goto(`/items?q=E2E-IMP-3-${tag}`);
  await expect(page.getByText(`E2E-IMP-3-${tag}`)).toBeVisible();
  const res = await page.request.get(`/api/v1/items?q=${tag}&sort=sku`);
  const items = ((await res.json()) as { data: { sku: string; unit_cost: number; engine_code: string }[] }).data;
  expect(items.map((i) => [i.sku, i.unit_cost, i.engine_code])).toEqual([
    [`E2E-IMP-1-${tag}`, 1500, "LCD"],
    [`E2E-IMP-2-${tag}`, 2000, "LCD"],
    [`E2E-IMP-3-${tag}`, 3000, "KEYB"],
  ]);
});

test("stocktake end to end: count sheet, counted quantities, draft adjustment, approval, stock", async ({ page, playwright, baseURL }) => {
  await signInViaApi(page, demoUser("chinese"));
  await page.goto("/imports");
  await hydrated(page.getByRole("button", { name: zh.page.upload }));
  await page.getByLabel(zh.page.kind).selectOption("stocktake");
  await page.getByLabel(zh.page.warehouse).selectOption({ label: "KR-SEL · 서울 물류센터 (Seoul)" });

  const countSheet = await rowsOf(await downloadFrom(page, zh.page.countSheet));
  expect(countSheet[0]).toEqual(["SKU", "品名", "单位", "账面数量", "实盘数量"]);
  const row = countSheet.findIndex((r) => r[0] === "KEYB-CBL-C");
  const expected = Number(countSheet[row][3]);
  const filled = countSheet.map((r, i) => (i === row ? [...r.slice(0, 4), expected - 5] : r));
  await uploadSheet(page, await workbookBytes(filled), "count.xlsx", zh);
  await expect(page.getByTestId("import-counts")).toContainText(`${zh.rowStatus.changed} 1`);
  await page.getByRole("tab", { name: new RegExp(zh.rowStatus.changed) }).click();
  await expect(page.getByTestId("import-rows")).toContainText(`${expected} → ${expected - 5}`);
  await page.getByRole("button", { name: zh.page.apply }).click();
  await page.getByRole("link", { name: /打开草稿 ADJ-/ }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  const flowId = page.url().split("/").pop()!;

  const chinese = await apiAs(playwright.request, baseURL, "chinese");
  const manager = await apiAs(playwright.request, baseURL, "manager");
  expect((await chinese.post(`/api/v1/flows/${flowId}/submit`)).status()).toBe(200);
  expect((await manager.post(`/api/v1/flows/${flowId}/approve`)).status()).toBe(200);
  expect((await manager.post(`/api/v1/flows/${flowId}/commit`)).status()).toBe(200);
  const stock = (await (await manager.get("/api/v1/items?q=KEYB-CBL-C")).json()) as { data: { id: string }[] };
  const item = (await (await manager.get(`/api/v1/items/${stock.data[0].id}`)).json()) as { data: { stocks: { location_code: string; on_hand: number }[] } };
  expect(Number(item.data.stocks.find((s) => s.location_code === "KR-SEL")?.on_hand)).toBe(expected - 5);
  await chinese.dispose();
  await manager.dispose();
});
