import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import common from "../../messages/ko/common.json";
import { PORTAL_NAV, STAFF_NAV } from "../../components/shell/nav-items";
import { can, type Role } from "../../lib/auth/permissions";
import type { DemoUser } from "../helpers/demo";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// Every main page at a laptop's size (1366×768), a tablet's (768×1024) and a phone's (390×844), as
// the demo admin, another staff role (Korean team) and a customer: the page never scrolls
// sideways (wide tables scroll inside their own box), axe finds nothing at all, and the browser
// logs no error and no failed request (a missing icon included). At the phone's size the
// navigation opens from a menu button that reaches every entry the role has.
//
// One load per page, resized in place: the pages hide nothing by breakpoint except the header's
// navigation, which the phone size swaps for the menu button. So axe reads the whole page once,
// at the laptop's size, and the header (the same on every page) at the phone's size once a role,
// with its menu closed and open (the menu tests); the width is checked at all three sizes.

// Every test here only reads, on its worker's own server: they run spread over the workers (the
// file alone is over a third of the browser suite's time).
test.describe.configure({ mode: "parallel" });

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const LAPTOP = { width: 1366, height: 768 };

type Watch = { problems: string[] };

/** Collects console errors, uncaught errors and failed requests from the moment it is called. */
function watch(page: Page): Watch {
  const w: Watch = { problems: [] };
  page.on("console", (m) => {
    if (m.type() === "error") w.problems.push(`console: ${m.text()} ${m.location().url}`);
  });
  page.on("pageerror", (e) => w.problems.push(`error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) w.problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return w;
}

/** First id of an API list (the demo data has at least one of each). */
async function firstId(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status(), path).toBe(200);
  const id = ((await res.json()) as { data: { id: string }[] }).data[0]?.id;
  expect(id, path).toBeTruthy();
  return id;
}

// The main pages; `:id` is the first record of the list the API answers for that user.
const STAFF_PAGES: { url: string; ids?: string; admin?: true }[] = [
  { url: "/dashboard" },
  { url: "/items" },
  { url: "/items/new" },
  { url: "/items/:id", ids: "/api/v1/items?limit=1" },
  { url: "/stocks" },
  { url: "/flows" },
  { url: "/flows/new" },
  { url: "/flows/:id", ids: "/api/v1/flows?limit=1" },
  { url: "/imports" },
  { url: "/inspections" },
  { url: "/inspections/new" },
  { url: "/inspections/:id", ids: "/api/v1/inspections?limit=1" },
  { url: "/customers" },
  { url: "/customers/:id", ids: "/api/v1/customers?limit=1" },
  { url: "/engines" },
  { url: "/engines/:id", ids: "/api/v1/engines?limit=1" },
  { url: "/locations" },
  { url: "/locations/:id", ids: "/api/v1/locations?limit=1" },
  { url: "/admin/users", admin: true },
  { url: "/admin/audit", admin: true },
];
const PORTAL_PAGES: { url: string; ids?: string }[] = [
  { url: "/portal" },
  { url: "/portal/inspections" },
  { url: "/portal/inspections/new" },
  { url: "/portal/inspections/:id", ids: "/api/v1/inspections?limit=1" },
  { url: "/portal/shipments" },
  { url: "/portal/shipments/:id", ids: "/api/v1/portal/shipments?limit=1" },
  { url: "/portal/stock" },
  { url: "/portal/documents" },
];

/** Axe's violations, one line each, prefixed with where they were found. */
function axeFindings(result: { violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[] }, where: string): string[] {
  return result.violations.map((v) => `${where}: axe ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Opens the page, waits for every streamed part, then checks width, axe and the browser's log at each size. */
async function checkPage(page: Page, w: Watch, url: string, axe: boolean): Promise<string[]> {
  const found: string[] = [];
  w.problems.length = 0;
  await page.setViewportSize(LAPTOP);
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(200);
  await expect(page.locator("h1").first()).toBeVisible();
  // Skeletons of streamed widgets gone (a form's own aria-busy is false until it is sent).
  await expect(page.locator(".animate-pulse, [aria-busy='true']")).toHaveCount(0);
  // The icon requests a page makes once loaded (the 404s the browser logs) are done by now.
  await page.waitForLoadState("load");
  for (const [name, size] of [["1366x768", LAPTOP], ["768x1024", TABLET], ["390x844", PHONE]] as const) {
    await page.setViewportSize(size);
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (width.scroll > width.inner) found.push(`${url} at ${name}: the page is ${width.scroll} px wide in a ${width.inner} px window`);
    // Only the header differs by size (the menu button stands for the navigation), and it is the
    // same on every page: axe reads it at the phone's size, closed and open, in the menu tests.
    if (!axe || size !== LAPTOP) continue;
    found.push(...axeFindings(await new AxeBuilder({ page }).analyze(), `${url} at ${name}`));
  }
  found.push(...w.problems.map((p) => `${url}: ${p}`));
  return found;
}

// Axe for the admin (every staff page) and the customer; width and the log for all three.
const SWEEPS: { key: DemoUser; role: Role; pages: { url: string; ids?: string; admin?: true }[]; axe: boolean }[] = [
  { key: "admin", role: "admin", pages: STAFF_PAGES, axe: true },
  { key: "korean", role: "korean_team", pages: STAFF_PAGES, axe: false },
  { key: "acme", role: "customer", pages: PORTAL_PAGES, axe: true },
];

test.describe("main pages at 1366x768, 768x1024 and 390x844", () => {
  for (const sweep of SWEEPS) {
    for (const p of sweep.pages.filter((pg) => !pg.admin || can(sweep.role, "users:manage"))) {
      test(`${p.url} as ${sweep.key}: no sideways scroll${sweep.axe ? ", no axe violations" : ""}, no console errors`, async ({ page }) => {
        // Axe on a whole page takes seconds on a busy two-core machine.
        test.setTimeout(90_000);
        const w = watch(page);
        await signInViaApi(page, demoUser(sweep.key));
        const url = p.ids ? p.url.replace(":id", await firstId(page, p.ids)) : p.url;
        expect(await checkPage(page, w, url, sweep.axe)).toEqual([]);
      });
    }
  }

  test("the sign-in page: no sideways scroll, no axe violations, no console errors", async ({ page }) => {
    const w = watch(page);
    expect(await checkPage(page, w, "/login", true)).toEqual([]);
  });
});

test.describe("the menu at 390x844", () => {
  test.use({ viewport: PHONE });

  const cases: { key: DemoUser; role: Role; landing: string; nav: typeof STAFF_NAV }[] = [
    { key: "admin", role: "admin", landing: "/dashboard", nav: STAFF_NAV },
    { key: "korean", role: "korean_team", landing: "/dashboard", nav: STAFF_NAV },
    { key: "acme", role: "customer", landing: "/portal", nav: PORTAL_NAV },
  ];

  for (const c of cases) {
    test(`${c.key}: a small header, and a menu button that opens every navigation entry`, async ({ page }) => {
      test.setTimeout(60_000);
      await signInViaApi(page, demoUser(c.key));
      await page.goto(c.landing);
      const button = page.getByRole("button", { name: common.menu.open });
      await hydrated(button);
      // Closed: one line of header, no links in sight.
      const header = await page.locator("header").boundingBox();
      expect(header!.height).toBeLessThanOrEqual(64);
      await expect(button).toHaveAttribute("aria-expanded", "false");
      const nav = page.getByRole("navigation", { name: common.area[c.role === "customer" ? "portal" : "staff"] });
      await expect(nav).toBeHidden();
      expect(axeFindings(await new AxeBuilder({ page }).include("header").analyze(), `${c.landing} header, menu closed`)).toEqual([]);

      // Open: focus moves to the current page's link; every entry of the role is there, on screen.
      await button.click();
      const close = page.getByRole("button", { name: common.menu.close });
      await expect(close).toHaveAttribute("aria-expanded", "true");
      const panel = page.locator(`#${await close.getAttribute("aria-controls")}`);
      await expect(panel).toBeVisible();
      await expect(nav.getByRole("link", { name: common.nav[c.nav[0].key as keyof typeof common.nav], exact: true })).toBeFocused();
      const entries = c.nav.filter((n) => can(c.role, n.permission));
      await expect(nav.getByRole("link")).toHaveCount(entries.length);
      for (const entry of entries) {
        const link = nav.locator(`a[href="${entry.href}"]`);
        await expect(link).toBeVisible();
        const box = (await link.boundingBox())!;
        expect(box.x, entry.href).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, entry.href).toBeLessThanOrEqual(PHONE.width);
      }
      // The user menu (sign-out) is in the panel too.
      await expect(panel.getByRole("button", { name: demoUser(c.key).signOut, exact: true })).toBeVisible();
      expect(axeFindings(await new AxeBuilder({ page }).include("header").analyze(), `${c.landing} header, menu open`)).toEqual([]);

      // Escape closes it and gives focus back to the button.
      await page.keyboard.press("Escape");
      await expect(button).toHaveAttribute("aria-expanded", "false");
      await expect(button).toBeFocused();
      await expect(nav).toBeHidden();

      // The last entry (the farthest from the first on any screen) opens its page; the menu closes.
      const last = entries[entries.length - 1];
      await button.click();
      await nav.locator(`a[href="${last.href}"]`).click();
      await expect(page).toHaveURL(last.href);
      await expect(page.getByRole("button", { name: common.menu.open })).toHaveAttribute("aria-expanded", "false");
      await expect(nav).toBeHidden();
    });
  }

  test("at 1366x768 there is no menu button: the navigation and the user menu are in the header", async ({ page }) => {
    await page.setViewportSize(LAPTOP);
    await signInViaApi(page, demoUser("admin"));
    await page.goto("/dashboard");
    await expect(page.getByRole("button", { name: common.menu.open })).toBeHidden();
    const nav = page.getByRole("navigation", { name: common.area.staff });
    for (const entry of STAFF_NAV) await expect(nav.locator(`a[href="${entry.href}"]`)).toBeVisible();
    await expect(page.getByRole("button", { name: demoUser("admin").signOut, exact: true })).toBeVisible();
    // Brand and user menu on one line, the navigation on one line under them.
    const header = await page.locator("header").boundingBox();
    expect(header!.height).toBeLessThanOrEqual(110);
  });
});

test("on a phone, item and stock names keep room to be read: their cells are 9 rem wide, the table scrolls, the page does not", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signInViaApi(page, demoUser("chinese"));
  for (const url of ["/items", "/stocks", "/stocks?low=true"]) {
    await page.goto(url);
    // Visible rows only: while the page streams in, its rows may also sit in a hidden container
    // for a moment, where they measure 0 px.
    const rows = page.locator("tbody tr:visible");
    // Wait for a shown row with a second cell (not the one-cell empty state). "Not one cell" also
    // held while no row was shown yet (zero cells), and the widths were then read from no rows.
    await expect(rows.first().locator("td").nth(1)).toBeVisible();
    // The name is each table's second column; without a minimum it took three characters a line.
    const widths = await rows.evaluateAll((trs) => trs.slice(0, 10).map((tr) => tr.children[1].getBoundingClientRect().width));
    expect(widths.length, url).toBeGreaterThan(0);
    for (const w of widths) expect(w, url).toBeGreaterThanOrEqual(144);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, url).toBeLessThanOrEqual(0);
  }
});

test("the icons: /favicon.ico, an SVG icon, an icon for phones and a web manifest", async ({ page }) => {
  const ico = await page.request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toContain("image/");
  await page.goto("/login");
  const hrefs = await page.locator("link[rel~='icon'], link[rel='apple-touch-icon'], link[rel='manifest']").evaluateAll((links) =>
    links.map((l) => `${l.getAttribute("rel")} ${l.getAttribute("href")}`),
  );
  for (const rel of ["icon", "apple-touch-icon", "manifest"]) expect(hrefs.some((h) => h.startsWith(`${rel} `)), rel).toBe(true);
  for (const h of hrefs) {
    const res = await page.request.get(h.split(" ")[1]);
    expect(res.status(), h).toBe(200);
  }
  const manifest = (await (await page.request.get("/manifest.webmanifest")).json()) as { icons: { src: string }[] };
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status(), icon.src).toBe(200);
});
