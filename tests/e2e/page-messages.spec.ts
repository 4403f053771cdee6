import { expect, test, type Page } from "@playwright/test";
import { loadCatalogue } from "../helpers/catalogue";
import { demoUser, signInViaApi } from "./demo-users";

// Each page is sent the messages of its own part of the app and no others (lib/i18n/messages.ts,
// CLIENT_AREAS): the sign-in page carries no inventory or admin sentences, the portal none of the
// staff's, and a staff page gets its part's messages on top of the root layout's (merged in the
// browser, components/shell/more-messages.tsx). Read from the page's React payload, where the
// client components' messages are inlined.

const NAMESPACES = ["common", "errors", "flows", "inspections", "inventory", "admin", "imports", "portal"];
const catalogue = loadCatalogue("ko");
const all = new Map(NAMESPACES.map((ns) => [ns, [...catalogue].filter(([key]) => key.startsWith(`${ns}.`)).map(([, text]) => text)]));

/** The longest Korean sentence of a namespace that no other namespace has (plain text, no markup). */
function marker(ns: string): string {
  const others = new Set(NAMESPACES.filter((n) => n !== ns).flatMap((n) => all.get(n) ?? []));
  const found = (all.get(ns) ?? []).filter((s) => !others.has(s) && !/["\\{}<>'\n]/.test(s)).sort((a, b) => b.length - a.length)[0];
  if (!found) throw new Error(`no marker sentence in ${ns}`);
  return found;
}

/** The React payload inlined in a page's HTML: the scripts that push it, not the rendered markup. */
async function payload(page: Page, url: string): Promise<string> {
  const res = await page.request.get(url, { headers: { "accept-language": "ko" } });
  expect(res.status(), url).toBe(200);
  const html = await res.text();
  const scripts = [...html.matchAll(/<script[^>]*>(self\.__next_f\.push[\s\S]*?)<\/script>/g)].map((m) => m[1]);
  expect(scripts.length, url).toBeGreaterThan(0);
  return scripts.join("");
}

function expectParts(text: string, sent: string[], notSent: string[]): void {
  for (const ns of sent) expect(text.includes(marker(ns)), `${ns} sent`).toBe(true);
  for (const ns of notSent) expect(text.includes(marker(ns)), `${ns} not sent`).toBe(false);
}

test("the sign-in page is sent the forms' error messages, not the inventory's or the admin's", async ({ page }) => {
  expectParts(await payload(page, "/login"), ["common", "errors", "flows"], ["inventory", "admin", "imports", "portal"]);
});

test("the portal is sent its own messages on top of the root's, not the staff's", async ({ page }) => {
  await signInViaApi(page, demoUser("acme"));
  expectParts(await payload(page, "/portal"), ["common", "errors", "portal"], ["inventory", "admin", "imports"]);
});

test("a staff page is sent the staff's messages, and the portal's are not among them", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  expectParts(await payload(page, "/items"), ["common", "errors", "inventory", "admin", "imports"], ["portal"]);
});
