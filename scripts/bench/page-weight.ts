// The page-weight part of `npm run bench:pages` (issue 17): what a first visit costs a phone on a
// slow link. For each role, each page that role can open from the navigation and its create pages
// (and /login, signed out), one visit in a fresh Chromium context (empty cache). /login and each
// role's landing page are visited throttled through the DevTools protocol to Chrome DevTools' "Slow 4G" preset
// (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up) and a 4× slower CPU, as Lighthouse's mobile
// profile does; the other pages unthrottled (their bytes and requests do not depend on it, and a
// throttled visit takes a while on a shared machine), unless BENCH_PAGES_THROTTLE=all. Counted
// from the CDP network events until the network has been quiet for a second (link prefetches
// included: they are bytes a first visit downloads too):
//   - JS bytes: compressed response bodies of script requests (headers not counted),
//   - requests: every request the page made, and the JavaScript ones among them,
//   - the HTML document's compressed bytes (the flight data inlined in it: props, messages),
//   - LCP (largest-contentful-paint) under that throttling, the median of BENCH_PAGES_LCP_RUNS (3)
//     visits ("-" for unthrottled visits).

import type { Browser, CDPSession } from "@playwright/test";
import { setTimeout as sleep } from "node:timers/promises";
import { can, landingPath, type Action, type Role } from "@/lib/auth/permissions";
import { PORTAL_NAV, STAFF_NAV } from "@/components/shell/nav-items";
import { fail, fmt, median, signIn } from "./common";

/** Issue 17's targets, compressed JavaScript of a first visit. */
export const WEIGHT_TARGETS = { dashboardJsKb: 170, otherJsKb: 120 };

/** Chrome DevTools' "Slow 4G" preset (the former "Fast 3G"), in the units CDP expects. */
export const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1e6 * 0.9) / 8, uploadThroughput: (750 * 1e3 * 0.9) / 8 };
export const CPU_SLOWDOWN = 4;
const QUIET_MS = 1000;
const VISIT_TIMEOUT_MS = 60_000;
const THROTTLE_ALL = process.env.BENCH_PAGES_THROTTLE === "all";
/** Throttled visits per page; LCP is their median (bytes and requests are the first visit's). */
const LCP_RUNS = Math.max(1, Number(process.env.BENCH_PAGES_LCP_RUNS ?? 3));

/** A demo user (supabase/seed.sql) per role; password duly-demo-pass. */
export const ROLE_USERS: { role: Role; email: string }[] = [
  { role: "admin", email: "admin@duly.test" },
  { role: "manager", email: "manager@duly.test" },
  { role: "korean_team", email: "korean@duly.test" },
  { role: "chinese_staff", email: "chinese@duly.test" },
  { role: "customer", email: "customer@acme.test" },
];

export type Weight = {
  role: Role | "signed out";
  route: string;
  jsBytes: number;
  jsRequests: number;
  requests: number;
  docBytes: number;
  totalBytes: number;
  lcp: number;
  throttled: boolean;
};

/**
 * The create pages a role opens from its lists, with their forms: first pages too (a bookmark, a
 * link sent in a chat), and the Chinese team's daily pages on phones.
 */
const CREATE_PAGES: Record<"staff" | "portal", { href: string; permission: Action }[]> = {
  staff: [
    { href: "/items/new", permission: "records:write" },
    { href: "/flows/new", permission: "records:write" },
  ],
  portal: [{ href: "/portal/inspections/new", permission: "own-records:write" }],
};

/** The first pages of a role: its landing page first, every page its navigation shows, its create pages. */
export function firstPages(role: Role): string[] {
  const area = role === "customer" ? "portal" : "staff";
  const nav = area === "portal" ? PORTAL_NAV : STAFF_NAV;
  const pages = [...nav, ...CREATE_PAGES[area]].filter((item) => can(role, item.permission)).map((item) => item.href);
  return [...new Set([landingPath(role), ...pages])];
}

function observeLcp(): void {
  const w = window as unknown as { __benchLcp: number };
  w.__benchLcp = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__benchLcp = e.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
}

type Req = { type?: string; url: string; headerBytes: number; done: boolean; bodyBytes: number };

/** Follows one page's requests through CDP and tells when the network has gone quiet. */
function trackNetwork(cdp: CDPSession) {
  const requests = new Map<string, Req>();
  let lastActivity = performance.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!requests.has(e.requestId) || e.redirectResponse) requests.set(e.requestId, { url: e.request.url, type: e.type, headerBytes: 0, done: false, bodyBytes: 0 });
    lastActivity = performance.now();
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.type = e.type;
      r.headerBytes = e.response.encodedDataLength ?? 0;
    }
    lastActivity = performance.now();
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.done = true;
      r.bodyBytes = Math.max(0, e.encodedDataLength - r.headerBytes);
    }
    lastActivity = performance.now();
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.done = true;
    lastActivity = performance.now();
  });
  return {
    requests,
    async quiet(): Promise<void> {
      const started = performance.now();
      while (performance.now() - started < VISIT_TIMEOUT_MS) {
        // The live unread counts are an EventSource that stays open for the page's lifetime.
        const pending = [...requests.values()].some((r) => !r.done && r.type !== "EventSource");
        if (!pending && performance.now() - lastActivity >= QUIET_MS) return;
        await sleep(100);
      }
    },
  };
}

async function visit(browser: Browser, base: string, cookies: string, role: Weight["role"], route: string, throttled: boolean): Promise<Weight> {
  // One unthrottled render first: the visit measures the page, not the server's warm-up.
  if (throttled) await fetch(`${base}${route}`, { headers: { cookie: cookies }, redirect: "manual" }).then((r) => r.arrayBuffer());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    if (cookies) {
      await context.addCookies(
        cookies.split("; ").map((c) => {
          const [name, ...rest] = c.split("=");
          return { name, value: rest.join("="), url: base };
        }),
      );
    }
    const page = await context.newPage();
    await page.addInitScript(observeLcp);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (throttled) {
      await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    }
    const net = trackNetwork(cdp);
    const res = await page.goto(`${base}${route}`, { waitUntil: "load", timeout: VISIT_TIMEOUT_MS });
    if (!res || res.status() !== 200 || new URL(page.url()).pathname !== route) fail(`Chromium (${role}): ${route} answered ${res?.status()} at ${page.url()}`);
    await net.quiet();
    const lcp = await page.evaluate(() => (window as unknown as { __benchLcp: number }).__benchLcp);
    const all = [...net.requests.values()].filter((r) => r.url.startsWith(base));
    const js = all.filter((r) => r.type === "Script");
    const doc = all.find((r) => r.type === "Document");
    return {
      role,
      route,
      jsBytes: js.reduce((n, r) => n + r.bodyBytes, 0),
      jsRequests: js.length,
      requests: all.length,
      docBytes: doc?.bodyBytes ?? 0,
      totalBytes: all.reduce((n, r) => n + r.bodyBytes, 0),
      lcp: throttled ? lcp : NaN,
      throttled,
    };
  } finally {
    await context.close();
  }
}

/** A throttled page is visited LCP_RUNS times (LCP is noisy on a shared machine): the median LCP. */
async function visitMedian(browser: Browser, base: string, cookies: string, role: Weight["role"], route: string, throttled: boolean): Promise<Weight> {
  const first = await visit(browser, base, cookies, role, route, throttled);
  if (!throttled || LCP_RUNS === 1) return first;
  const lcps = [first.lcp];
  for (let i = 1; i < LCP_RUNS; i++) lcps.push((await visit(browser, base, cookies, role, route, true)).lcp);
  return { ...first, lcp: median(lcps) };
}

export function targetKb(route: string): number {
  return route === "/dashboard" ? WEIGHT_TARGETS.dashboardJsKb : WEIGHT_TARGETS.otherJsKb;
}

const kb = (bytes: number) => fmt(bytes / 1000, 1);

/** Visits /login signed out and every first page of every role; prints a line per visit. */
export async function measureWeights(browser: Browser, base: string, agent: import("node:http").Agent): Promise<Weight[]> {
  console.log(
    `\npage weight: first visit, empty cache, ${SLOW_4G.latency} ms latency, ${fmt((SLOW_4G.downloadThroughput * 8) / 1e6, 2)} Mbit/s down, CPU ×${CPU_SLOWDOWN}, 390×844 mobile viewport`,
  );
  console.log(`  ${"role".padEnd(14)}${"page".padEnd(22)}${"JS kB".padStart(8)}${"JS req".padStart(8)}${"req".padStart(6)}${"HTML kB".padStart(9)}${"all kB".padStart(9)}${"LCP ms".padStart(8)}  target`);
  const out: Weight[] = [];
  const line = (w: Weight) => {
    const target = targetKb(w.route);
    console.log(
      `  ${w.role.padEnd(14)}${w.route.padEnd(22)}${kb(w.jsBytes).padStart(8)}${String(w.jsRequests).padStart(8)}${String(w.requests).padStart(6)}` +
        `${kb(w.docBytes).padStart(9)}${kb(w.totalBytes).padStart(9)}${fmt(w.lcp, 0).padStart(8)}  ${w.jsBytes / 1000 <= target ? "PASS" : "MISS"} ≤ ${target} kB`,
    );
  };
  const login = await visitMedian(browser, base, "", "signed out", "/login", true);
  out.push(login);
  line(login);
  for (const { role, email } of ROLE_USERS) {
    const { cookie } = await signIn(base, email, agent);
    for (const [i, route] of firstPages(role).entries()) {
      const w = await visitMedian(browser, base, cookie, role, route, THROTTLE_ALL || i === 0);
      out.push(w);
      line(w);
    }
  }
  return out;
}

/** The PASS/MISS lines: /dashboard against its own target, the heaviest other page against the other. */
export function printWeightTargets(weights: Weight[]): void {
  const mark = (ok: boolean) => (ok ? "PASS" : "MISS");
  const dash = weights.filter((w) => w.route === "/dashboard");
  const worstDash = dash.reduce((a, b) => (b.jsBytes > a.jsBytes ? b : a), dash[0]);
  if (worstDash) {
    console.log(
      `  ${mark(worstDash.jsBytes / 1000 <= WEIGHT_TARGETS.dashboardJsKb)}  /dashboard first-visit JS ≤ ${WEIGHT_TARGETS.dashboardJsKb} kB (heaviest role, ${worstDash.role}): ` +
        `${kb(worstDash.jsBytes)} kB in ${worstDash.jsRequests} script requests (${worstDash.requests} requests in all), LCP ${fmt(worstDash.lcp, 0)} ms on slow 4G`,
    );
  }
  const portal = weights.find((w) => w.route === "/portal");
  if (portal) {
    console.log(
      `  ${mark(portal.jsBytes / 1000 <= WEIGHT_TARGETS.otherJsKb)}  /portal first-visit JS ≤ ${WEIGHT_TARGETS.otherJsKb} kB: ${kb(portal.jsBytes)} kB in ${portal.jsRequests} script requests ` +
        `(${portal.requests} in all), LCP ${fmt(portal.lcp, 0)} ms on slow 4G`,
    );
  }
  const others = weights.filter((w) => w.route !== "/dashboard");
  const worst = others.reduce((a, b) => (b.jsBytes > a.jsBytes ? b : a), others[0]);
  // One entry per page over the target, at its heaviest role.
  const misses = [...new Map(others.filter((w) => w.jsBytes / 1000 > WEIGHT_TARGETS.otherJsKb).sort((a, b) => a.jsBytes - b.jsBytes).map((w) => [w.route, w])).values()];
  console.log(
    `  ${mark(misses.length === 0)}  every other first page ≤ ${WEIGHT_TARGETS.otherJsKb} kB (${others.length} visits): heaviest ${worst.route} (${worst.role}) ${kb(worst.jsBytes)} kB` +
      `${misses.length ? `; over: ${misses.map((w) => `${w.route} (${w.role}) ${kb(w.jsBytes)} kB`).join(", ")}` : ""}`,
  );
}
