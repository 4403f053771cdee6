import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";

// The staff dashboard in the browser: every widget renders, in the user's language, accessibly.

test("the dashboard shows KPIs and every widget for staff", async ({ page }) => {
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "대시보드" })).toBeVisible();
  for (const id of ["kpi-active-skus", "kpi-stock-value", "kpi-low-stock", "kpi-pending", "kpi-awaiting-commit"]) {
    await expect(page.getByTestId(id)).toHaveText(/\S/);
  }
  await expect(page.getByTestId("kpi-stock-value")).toContainText("₩");
  for (const title of ["최근 30일 입고·출고", "재고 부족 품목", "사업 라인별 재고", "창고별 재고", "많이 움직인 품목 (30일)", "최근 활동"]) {
    await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "KEYB-FELT" })).toBeVisible();
  // No widget failed (Next.js's route announcer is also role=alert, so look for the message).
  await expect(page.getByText("이 위젯을 불러오지 못했습니다.")).toHaveCount(0);
});

test("each KPI figure stays on one line, from a small phone to a wide screen", async ({ page }) => {
  // The stock value (₩93,199,000 in the demo data) broke after its last digit at every width
  // but the tablet's: the figure's size now follows the card's width and the figure's length.
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/dashboard");
  await expect(page.getByTestId("kpi-stock-value")).toContainText("₩");
  for (const width of [360, 390, 768, 1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    const figures = await page.locator("[data-testid^='kpi-']").evaluateAll((els) =>
      els.map((e) => {
        const style = getComputedStyle(e);
        return { id: e.getAttribute("data-testid"), lines: Math.round(e.getBoundingClientRect().height / parseFloat(style.lineHeight)), px: parseFloat(style.fontSize) };
      }),
    );
    expect(figures, `at ${width} px`).toHaveLength(6);
    for (const f of figures) {
      expect(f.lines, `${f.id} at ${width} px`).toBe(1);
      expect(f.px, `${f.id} at ${width} px`).toBeGreaterThanOrEqual(16);
      expect(f.px, `${f.id} at ${width} px`).toBeLessThanOrEqual(24);
    }
  }
});

test("a newcomer's dashboard shows a business with a past: the 30-day trend has many days of bars, top movers a full list", async ({ page }) => {
  // The demo history (supabase/seed.sql) spreads its flows over 90 days; seeded all on one day,
  // the trend was a single bar and top movers a few items.
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/dashboard");
  const chart = page.getByTestId("trend-chart");
  await expect(chart.locator("rect title").first()).toBeAttached();
  // Each bar's title is "<day> · <series>: <units>"; a day counts when its bar has a height.
  const days = await chart.locator("rect").evaluateAll((rects) => {
    const out: Record<string, Set<string>> = {};
    for (const r of rects) {
      const title = r.querySelector("title")?.textContent ?? "";
      const m = /^(\d{4}-\d{2}-\d{2}) · (.+):/.exec(title);
      if (!m || !(Number(r.getAttribute("height")) > 0)) continue;
      (out[m[2]] ??= new Set()).add(m[1]);
    }
    return Object.fromEntries(Object.entries(out).map(([series, set]) => [series, set.size]));
  });
  expect(days["입고"] ?? 0).toBeGreaterThanOrEqual(4);
  expect(days["출고"] ?? 0).toBeGreaterThanOrEqual(6);
  const movers = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "많이 움직인 품목 (30일)" }) });
  await expect(movers.getByRole("listitem")).toHaveCount(10);
});

test("chinese staff see the dashboard in Chinese", async ({ page }) => {
  await signInViaApi(page, demoUser("chinese"));
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "仪表板" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "库存不足物品" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh");
});

test("a customer opening /dashboard is sent to /portal", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/dashboard");
  await expect(page).toHaveURL("/portal");
  expect((await page.request.get("/api/v1/dashboard")).status()).toBe(403);
});

test("the dashboard has no serious or critical accessibility violations", async ({ page }) => {
  await signInViaApi(page, demoUser("manager"));
  await page.goto("/dashboard");
  await expect(page.getByTestId("kpi-active-skus")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "최근 활동" })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("the language switch changes the UI and is kept in the profile", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/dashboard");
  await page.getByTestId("locale-switch").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  const me = await page.request.get("/api/v1/auth/me");
  expect((await me.json()).data.user.locale).toBe("en");
  // Back to Korean so other tests see the seeded language.
  await page.getByTestId("locale-switch").selectOption("ko");
  await expect(page.getByRole("heading", { level: 1, name: "대시보드" })).toBeVisible();
});
