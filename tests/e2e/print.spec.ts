import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import flowsEn from "../../messages/en/flows.json";
import en from "../../messages/en/print.json";
import ko from "../../messages/ko/print.json";
import portalKo from "../../messages/ko/portal.json";
import zh from "../../messages/zh/print.json";
import { demoUser, signInViaApi } from "./demo-users";

// The printable documents in the browser, on the demo data: staff open the delivery note of
// ACME's spring outbound from the flow page, see it without the app's navigation in Korean and
// Chinese, print it (print media hides the toolbar) and make an A4 PDF of it; ACME prints the
// same shipment's note from the portal, without costs, and gets the not-found page for Blue
// Sky's. Words come from the message files, so rewording a text does not break a test.

const ACME_PO = "PO-ACME-2026-0412";
const BLUE_SKY_REF = "BS-7781";

/** A message with its {placeholders} filled in. */
const fmt = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);

async function userPage(browser: Browser, key: "korean" | "acme"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInViaApi(page, demoUser(key));
  return page;
}

/** The staff API's outbound with this reference (id and number). */
async function outbound(page: Page, reference: string): Promise<{ id: string; number: string }> {
  const res = await page.request.get(`/api/v1/outbounds?q=${encodeURIComponent(reference)}`);
  expect(res.status()).toBe(200);
  const rows = (await res.json()).data as { id: string; number: string; reference: string }[];
  const row = rows.find((r) => r.reference === reference);
  expect(row, reference).toBeTruthy();
  return row!;
}

/** Every English word of the print catalogue (and the flow statuses) absent from a document. */
function englishWords(): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => (typeof v === "string" ? out.push(v) : v && typeof v === "object" ? Object.values(v).forEach(walk) : undefined);
  walk({ ...en, company: {} });
  walk(flowsEn.statuses);
  return out.filter((w) => !w.includes("{") && w !== "SKU");
}

async function noSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function expectDocument(page: Page, words: typeof ko, number: string) {
  const doc = page.getByTestId("print-document");
  await expect(page.getByTestId("print-title")).toHaveText(words.titles.outbound);
  await expect(page.getByTestId("print-number")).toHaveText(number);
  await expect(page.getByTestId("print-company")).toContainText(words.company.name);
  const barcode = page.getByTestId("print-barcode");
  await expect(barcode).toBeVisible();
  expect(await barcode.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
  await expect(barcode).toHaveAttribute("data-value", number);
  expect((await barcode.locator("path").getAttribute("d"))?.length ?? 0).toBeGreaterThan(100);
  await expect(page.getByTestId("print-line-LCD-ACME-27")).toContainText("10");
  await expect(page.getByTestId("print-line-KEYB-ACME-KR")).toContainText("20");
  await expect(page.getByTestId("print-totals")).toContainText(words.totals.quantity);
  await expect(page.getByTestId("print-totals")).toContainText("30 EA");
  for (const key of ["issuedBy", "checkedBy", "receivedBy"] as const) {
    await expect(page.getByTestId(`print-signature-${key}`)).toContainText(words.signatures[key]);
  }
  // No app shell: no navigation, no signed-in user menu.
  await expect(page.locator("nav")).toHaveCount(0);
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
  return doc;
}

test("staff print a delivery note: Korean and Chinese, print media, A4 PDF", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await userPage(browser, "korean");
  const flow = await outbound(page, ACME_PO);

  // From the flow page's link, in the user's own language (Korean).
  await page.goto(`/flows/${flow.id}`);
  await page.getByTestId("print-link").click();
  await expect(page).toHaveURL(`/flows/${flow.id}/print`);
  await expect(page.getByTestId("print-link")).toHaveCount(0);
  const doc = await expectDocument(page, ko, flow.number);
  await expect(page).toHaveTitle(new RegExp(`${ko.titles.outbound} ${flow.number}`));
  // Staff see values: 10 × ₩199,000 + 20 × ₩45,000.
  await expect(page.getByTestId("print-value-total")).toHaveText("₩2,890,000");
  await expect(doc.locator("th", { hasText: ko.columns.unitCost })).toHaveCount(1);
  await expect(doc).toContainText("ACME 전용 27인치 모니터");
  for (const word of englishWords()) expect(await doc.innerText(), word).not.toContain(word);
  await noSeriousViolations(page);

  // Print media: the toolbar is gone, the document stays.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("print-toolbar")).toBeHidden();
  await expect(doc).toBeVisible();
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByTestId("print-toolbar")).toBeVisible();

  // Chinese, from the toolbar.
  await page.getByTestId("print-lang-zh").click();
  await expect(page).toHaveURL(`/flows/${flow.id}/print?lang=zh`);
  await expectDocument(page, zh, flow.number);
  await expect(page.getByTestId("print-document")).toHaveAttribute("lang", "zh");
  await expect(page.getByTestId("print-document")).toContainText("ACME定制27英寸显示器");
  await expect(page.getByTestId("print-lang-zh")).toHaveAttribute("aria-current", "true");
  await expect(page).toHaveTitle(new RegExp(`${zh.titles.outbound} ${flow.number}`));
  const zhText = await page.getByTestId("print-document").innerText();
  for (const word of englishWords()) expect(zhText, word).not.toContain(word);
  for (const word of Object.values(ko.signatures)) expect(zhText, word).not.toContain(word);

  // And English, for completeness of the switch.
  await page.getByTestId("print-lang-en").click();
  await expect(page.getByTestId("print-title")).toHaveText(en.titles.outbound);
  await expect(page.getByTestId("print-document")).toContainText('ACME private-label 27" monitor');
});

test("a customer prints their own shipment's delivery note, without costs, and not another company's", async ({ browser }) => {
  const staff = await userPage(browser, "korean");
  const acmeFlow = await outbound(staff, ACME_PO);
  const blueSkyFlow = await outbound(staff, BLUE_SKY_REF);

  const page = await userPage(browser, "acme");
  await page.goto(`/portal/shipments/${acmeFlow.id}`);
  await expect(page.getByTestId("print-link")).toHaveText(fmt(ko.link, { title: ko.titles.outbound }));
  await page.getByTestId("print-link").click();
  await expect(page).toHaveURL(`/portal/shipments/${acmeFlow.id}/print`);
  const doc = await expectDocument(page, ko, acmeFlow.number);
  await expect(page.getByTestId("print-status")).toHaveText(portalKo.shipments.statuses.committed);
  await expect(page.getByTestId("print-value-total")).toHaveCount(0);
  await expect(doc.locator("th", { hasText: ko.columns.unitCost })).toHaveCount(0);
  const text = await doc.innerText();
  for (const hidden of ["199,000", "45,000", "2,890,000", "₩", "Spring order"]) expect(text, hidden).not.toContain(hidden);

  await page.getByTestId("print-lang-zh").click();
  await expectDocument(page, zh, acmeFlow.number);

  // Blue Sky's shipment: the not-found page, with status 404, and nothing of the shipment.
  const res = await page.goto(`/portal/shipments/${blueSkyFlow.id}/print`);
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByTestId("print-document")).toHaveCount(0);
  await expect(page.getByText(blueSkyFlow.number)).toHaveCount(0);
  // Nor through the staff route: a customer is sent to the portal.
  await page.goto(`/flows/${acmeFlow.id}/print`);
  await expect(page).toHaveURL("/portal");
});
