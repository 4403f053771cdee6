import AxeBuilder from "@axe-core/playwright";
import ExcelJS from "exceljs";
import { expect, test, type Page } from "@playwright/test";
import en from "../../messages/en/imports.json";
import ko from "../../messages/ko/imports.json";
import zh from "../../messages/zh/imports.json";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// The import page on a phone (390 x 844) in Korean and in Chinese: nothing in English, the page
// never wider than the screen, the row report readable in its own box that scrolls sideways and
// that keyboard users can reach (axe: scrollable-region-focusable), and no serious axe findings.

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

test.use({ viewport: { width: 390, height: 844 } });

async function workbookBytes(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Sheet1").addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function noPageOverflow(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, "the page is no wider than the screen").toBeLessThanOrEqual(width);
}

/** English words of the page that differ from the language's own: none may show. */
function englishLeftovers(text: string, words: typeof ko): string[] {
  const english = [...Object.entries(en.page), ...Object.entries(en.rowStatus), ...Object.entries(en.kinds)]
    .filter(([key, value]) => !value.includes("{") && value !== ((words.page as Record<string, string>)[key] ?? (words.rowStatus as Record<string, string>)[key] ?? (words.kinds as Record<string, string>)[key]))
    .map(([, value]) => value);
  return english.filter((w) => text.includes(w));
}

async function axeSerious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const cases = [
  {
    lang: "ko",
    user: "korean" as const,
    words: ko,
    // An item sheet with a bad unit: one error row among good ones.
    rows: (tag: string) => [
      ["품번", "품명(한글)", "中文名", "English name", "단위", "사업부문 코드", "단가(원)", "바코드"],
      [`E2E-PH-1-${tag}`, "휴대폰 화면 시험 첫째 품목 이름이 긴 경우", "手机屏幕测试第一个物品", "Phone screen test item one", "EA", "LCD", "1,500", "880000000001"],
      [`E2E-PH-2-${tag}`, "휴대폰 화면 시험 둘째", "手机屏幕测试第二个", "Phone screen test item two", "PCS", "LCD", "2000", "880000000002"],
    ],
    error: "알 수 없는 단위입니다 (PCS)",
    prepare: async () => undefined,
  },
  {
    lang: "zh",
    user: "chinese" as const,
    words: zh,
    // A packing list with an unknown item: inbound is the first kind a Chinese staff member may import.
    rows: (tag: string) => [
      ["货号", "数量", "备注"],
      ["KEYB-FELT", 2, "正常行"],
      [`NO-SUCH-${tag}`, 3, "不存在的物品"],
    ],
    error: "物品不存在",
    prepare: async (page: Page) => {
      await page.getByLabel(zh.page.kind).selectOption("inbound");
    },
  },
];

for (const c of cases) {
  test(`the import page in ${c.lang} at 390 x 844: no English, no page overflow, the row report reachable and readable`, async ({ page }) => {
    test.setTimeout(120_000); // an upload, a check and an axe scan on a shared machine
    const tag = Date.now().toString(36).toUpperCase();
    await signInViaApi(page, demoUser(c.user));
    await page.goto("/imports");
    await expect(page.getByRole("heading", { level: 1, name: c.words.title })).toBeVisible();
    await hydrated(page.getByRole("button", { name: c.words.page.upload }));
    await c.prepare(page);
    // The file button and the empty choice are in the user's language, not the browser's.
    await expect(page.getByText(c.words.page.chooseFile, { exact: true })).toBeVisible();
    await expect(page.getByTestId("import-file-name")).toHaveText(c.words.page.noFile);
    await noPageOverflow(page);

    await page.locator('input[type="file"]').setInputFiles({ name: `phone-${c.lang}.xlsx`, mimeType: XLSX, buffer: await workbookBytes(c.rows(tag)) });
    await expect(page.getByTestId("import-file-name")).toHaveText(`phone-${c.lang}.xlsx`);
    await page.getByRole("button", { name: c.words.page.upload }).click();
    await expect(page.getByTestId("import-counts")).toContainText(`${c.words.rowStatus.error} 1`);

    // The row report: its own region, named in the user's language, focusable, scrolling sideways
    // inside the page rather than widening it; the error is shown in words.
    const region = page.getByRole("region", { name: c.words.page.rowsRegion });
    await expect(region).toBeVisible();
    await expect(region).toHaveAttribute("tabindex", "0");
    await expect(page.getByTestId("import-rows")).toContainText(c.error);
    const right = await region.evaluate((el) => el.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(390);
    await region.focus();
    await expect(region).toBeFocused();
    await noPageOverflow(page);

    const text = await page.locator("main").innerText();
    expect(englishLeftovers(text, c.words)).toEqual([]);
    expect(await axeSerious(page)).toEqual([]);
  });
}
