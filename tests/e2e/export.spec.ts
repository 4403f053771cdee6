import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { demoUser, signInViaApi } from "./demo-users";

// The Export menu: filter a list, export it, open the downloaded file. The staff file is the
// filtered list (every row, not one page) as a real spreadsheet; a customer's CSV holds only
// their own goods.

const SEED = { lcdCount: 15 };

async function downloadFrom(page: Page, testId: "export-xlsx" | "export-csv") {
  await page.getByTestId("export-menu").locator("summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test("staff: the filtered item list as an Excel file, all matching rows, Korean headers, numbers as numbers", async ({ page }) => {
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/items");
  await page.getByLabel("검색").fill("LCD");
  await page.getByRole("button", { name: "적용" }).click();
  await expect(page).toHaveURL(/[?&]q=LCD(&|$)/);
  await expect(page.getByText(`총 ${SEED.lcdCount}건`)).toBeVisible();

  const file = await downloadFrom(page, "export-xlsx");
  expect(file.name).toMatch(/^items-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file.bytes as unknown as ExcelJS.Buffer);
  const ws = book.worksheets[0];
  expect(ws.getRow(1).getCell(1).value).toBe("SKU");
  expect(ws.getRow(1).getCell(2).value).toBe("품목명 (한국어)");
  // The page shows 10; the file has all 15, each one an LCD item.
  expect(ws.actualRowCount - 1).toBe(SEED.lcdCount);
  const costColumn = (ws.getRow(1).values as unknown[]).indexOf("단가 (원)");
  for (let r = 2; r <= ws.actualRowCount; r++) {
    const row = ws.getRow(r);
    expect(row.getCell(1).value).toMatch(/^LCD-/);
    expect(typeof row.getCell(costColumn).value).toBe("number");
  }
});

test("customer: their stock as CSV with a byte order mark, only their own goods", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/portal/stock");
  const file = await downloadFrom(page, "export-csv");
  expect(file.name).toMatch(/^stock-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(file.bytes.subarray(3).toString("utf8")) as string[][];
  expect(header[0]).toBe("SKU");
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row[0]).toContain("ACME");
  expect(file.bytes.toString("utf8")).not.toMatch(/BSKY|Blue Sky|단가/);
});
