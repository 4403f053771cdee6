import { expect, test, type Browser } from "@playwright/test";
import { FAIL_MARK } from "../helpers/fake-openai";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { e2ePort } from "./server-slot";
import { TRANSLATION_BASE_URL } from "./translation-server";

// Machine translation in the browser, on the server started with translation on (its SDK talks
// to the fake OpenAI server in tests/helpers/fake-openai.ts, whose phrase book knows these
// sentences): a customer writes in Korean; a Chinese staff member, whose automatic translation
// is on by default, reads the Chinese translation marked as machine translation and opens the
// original on request; the item form's suggestion fills the Chinese and English names.

test.use({ baseURL: TRANSLATION_BASE_URL });

const KOREAN = "검품 일정을 알려주세요.";
// In the fake's phrase book (tests/helpers/fake-openai.ts).
const CHINESE = "请确认外箱包装。";
const NOTE = "工厂不良率偏高，需要复检。";

/** A new application of ACME's on the server at baseURL, made by its customer; its id. */
async function newApplication(browser: Browser, baseURL: string): Promise<string> {
  const customer = await (await browser.newContext({ baseURL })).newPage();
  await signInViaApi(customer, demoUser("acme"));
  const created = await customer.request.post("/api/v1/inspections", {
    data: { product: "Translation keyboard", factory_name: "Dongguan Keyboard Factory", inspection_type: "pre_shipment", requested_date: "2027-03-02" },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { data: { id: string } }).data.id;
}

test("a customer's Korean message reaches Chinese staff translated, with the original a click away", async ({ browser }) => {
  test.setTimeout(90_000);
  const customer = await (await browser.newContext({ baseURL: TRANSLATION_BASE_URL })).newPage();
  await signInViaApi(customer, demoUser("acme"));
  const created = await customer.request.post("/api/v1/inspections", {
    data: { product: "Translation monitor", factory_name: "Shenzhen Panel Factory", inspection_type: "pre_shipment", requested_date: "2027-03-01" },
  });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { data: { id: string } }).data;

  // The customer writes in Korean, in the portal's thread.
  await customer.goto(`/portal/inspections/${id}`);
  await customer.getByTestId("message-input").fill(KOREAN);
  await customer.getByTestId("message-send").click();
  await expect(customer.getByTestId("message-body").filter({ hasText: KOREAN })).toBeVisible();

  // Chinese staff: automatic translation is on by default; the translation shows, marked.
  const staff = await (await browser.newContext({ baseURL: TRANSLATION_BASE_URL, locale: "zh-CN" })).newPage();
  await signInViaApi(staff, demoUser("chinese"));
  await staff.goto(`/inspections/${id}`);
  await expect(staff.getByTestId("auto-translate")).toBeChecked();
  const message = staff.getByTestId("message").filter({ hasText: "请告诉我验货日程。" });
  await expect(message.getByTestId("translation-text")).toHaveText("请告诉我验货日程。");
  await expect(message.getByTestId("translation")).toContainText("机器翻译");
  await expect(message.getByTestId("message-body")).toHaveCount(0);

  // The original on request.
  await message.getByRole("button", { name: "查看原文" }).click();
  await expect(message.getByTestId("message-body")).toHaveText(KOREAN);
  await expect(message.getByTestId("message-original")).toContainText("原文");
});

test("the item form suggests the Chinese and English names from the Korean one, saved only when the user saves", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  await page.goto("/items/new");
  await page.locator("#item-name_ko").fill("무선 키보드");
  await expect(page.locator("#item-name_zh")).toHaveValue("");
  await page.getByRole("button", { name: "번역 제안" }).click();
  await expect(page.locator("#item-name_zh")).toHaveValue("无线键盘");
  await expect(page.locator("#item-name_en")).toHaveValue("Wireless keyboard");
  await expect(page.getByTestId("suggest-note")).toContainText("기계 번역");
  // Nothing was saved: the form is still the new-item form, and the user can still change the names.
  await expect(page).toHaveURL(/\/items\/new$/);
  await page.locator("#item-name_en").fill("Wireless keyboard (KR layout)");
  await expect(page.locator("#item-name_en")).toHaveValue("Wireless keyboard (KR layout)");
});

test("fill missing names: selected items are previewed with machine translations and saved only on Save", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  const sku = `TR-${Date.now().toString(36).toUpperCase()}`;
  const created = await page.request.post("/api/v1/items", { data: { sku, name_ko: "무선 키보드", unit: "EA" } });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { data: { id: string } }).data;

  await page.goto(`/items/names?q=${sku}`);
  const zh = page.getByRole("textbox", { name: `${sku} 중국어 이름` });
  await expect(zh).toHaveCount(0);
  await page.getByRole("button", { name: "미리 보기" }).click();
  await expect(zh).toHaveValue("无线键盘");
  await expect(page.getByRole("textbox", { name: `${sku} 영어 이름` })).toHaveValue("Wireless keyboard");
  // Previewed, not saved.
  const before = ((await (await page.request.get(`/api/v1/items/${id}`)).json()) as { data: { name_zh: string | null } }).data;
  expect(before.name_zh).toBeNull();

  await zh.fill("无线键盘（韩文布局）");
  await page.getByRole("button", { name: "선택 항목 저장" }).click();
  await expect.poll(async () => ((await (await page.request.get(`/api/v1/items/${id}`)).json()) as { data: { name_zh: string | null; name_en: string | null } }).data).toMatchObject({
    name_zh: "无线键盘（韩文布局）",
    name_en: "Wireless keyboard",
  });
});

test("the admin keeps the glossary: a term added, changed and removed; other staff are sent to their dashboard", async ({ page }) => {
  test.setTimeout(60_000);
  const term = `E2E${Date.now().toString(36)}`;
  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/translations");
  const add = page.getByTestId("glossary-add");
  await hydrated(add.getByLabel("한국어"));
  await add.getByLabel("한국어").fill(`${term} 받침대`);
  await add.getByLabel("중국어").fill(`${term} 支架`);
  await add.getByRole("button", { name: "용어 추가" }).click();
  const row = page.getByTestId("glossary").locator("tr", { hasText: `${term} 받침대` });
  await expect(row).toContainText(`${term} 支架`);
  // The new-term form is empty again.
  await expect(add.getByLabel("한국어")).toHaveValue("");

  await row.getByRole("button", { name: "수정" }).click();
  const editing = page.getByTestId("glossary").locator("tr", { has: page.getByRole("button", { name: "저장" }) });
  await expect(editing.getByLabel("한국어")).toHaveValue(`${term} 받침대`);
  await editing.getByLabel("영어").fill(`${term} stand`);
  await editing.getByRole("button", { name: "저장" }).click();
  await expect(page.getByTestId("glossary").locator("tr", { hasText: `${term} stand` })).toBeVisible();

  // Both languages cleared: the API refuses a term with fewer than two forms, and the row says why.
  await page.getByTestId("glossary").locator("tr", { hasText: `${term} stand` }).getByRole("button", { name: "수정" }).click();
  await editing.getByLabel("중국어").fill("");
  await editing.getByLabel("영어").fill("");
  await editing.getByRole("button", { name: "저장" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "입력값을 확인하세요." })).toBeVisible();
  await editing.getByRole("button", { name: "취소" }).click();

  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("glossary").locator("tr", { hasText: `${term} stand` }).getByRole("button", { name: "삭제" }).click();
  await expect(page.getByTestId("glossary").locator("tr", { hasText: term })).toHaveCount(0);

  const other = await (await page.context().browser()!.newContext({ baseURL: TRANSLATION_BASE_URL })).newPage();
  await signInViaApi(other, demoUser("manager"));
  await other.goto("/admin/translations");
  await expect(other).toHaveURL(/\/dashboard$/);
});

test("Korean staff without automatic translation: Translate on a message and on the internal notes only when asked; a failing provider says so and the thread goes on", async ({ browser }) => {
  test.setTimeout(90_000);
  const id = await newApplication(browser, TRANSLATION_BASE_URL);
  const chinese = await (await browser.newContext({ baseURL: TRANSLATION_BASE_URL })).newPage();
  await signInViaApi(chinese, demoUser("chinese"));
  for (const body of [CHINESE, `供应商故障测试 ${FAIL_MARK}`]) {
    expect((await chinese.request.post(`/api/v1/inspections/${id}/messages`, { data: { body } })).status()).toBe(201);
  }

  const page = await (await browser.newContext({ baseURL: TRANSLATION_BASE_URL })).newPage();
  await signInViaApi(page, demoUser("korean"));
  expect((await page.request.patch(`/api/v1/inspections/${id}`, { data: { internal_notes: NOTE } })).status()).toBe(200);
  await page.goto(`/inspections/${id}`);
  await expect(page.getByTestId("auto-translate")).not.toBeChecked();

  // A message: the original alone until Translate, then the translation under it, marked.
  const message = page.getByTestId("message").filter({ hasText: CHINESE });
  await expect(message.getByTestId("message-body")).toHaveText(CHINESE);
  await expect(message.getByTestId("translation")).toHaveCount(0);
  await hydrated(message.getByTestId("message-translate"));
  await message.getByTestId("message-translate").click();
  await expect(message.getByTestId("translation-text")).toHaveText("외박스 포장을 확인해 주세요.");
  await expect(message.getByTestId("translation")).toContainText("기계 번역");
  await expect(message.getByTestId("message-body")).toHaveText(CHINESE);

  // The internal notes: nothing translated until the staff member asks.
  const notes = page.getByTestId("translate-inspection_note-internal_notes");
  await expect(notes.getByTestId("translation")).toHaveCount(0);
  await notes.getByRole("button", { name: "번역", exact: true }).click();
  await expect(notes.getByTestId("translation-text")).toHaveText("공장 불량률이 높아 재검품이 필요합니다.");
  await expect(notes.getByTestId("translation")).toContainText("기계 번역");

  // The provider fails for this one: "translation unavailable", the original stays, and a reply still goes out.
  const failing = page.getByTestId("message").filter({ hasText: FAIL_MARK });
  await failing.getByTestId("message-translate").click();
  await expect(failing.getByTestId("translation-failed")).toHaveText("번역을 사용할 수 없음");
  await expect(failing.getByTestId("message-body")).toContainText(FAIL_MARK);
  await page.getByTestId("message-input").fill("확인했습니다. 감사합니다.");
  await page.getByTestId("message-send").click();
  await expect(page.getByTestId("message-body").filter({ hasText: "확인했습니다. 감사합니다." })).toBeVisible();
});

test("a flow's note: staff translate it on request, marked as machine translation", async ({ page }) => {
  await signInViaApi(page, demoUser("korean"));
  const items = (await (await page.request.get("/api/v1/items?limit=1")).json()) as { data: { id: string }[] };
  const note = "请轻拿轻放，小心破损。";
  const created = await page.request.post("/api/v1/inbounds", {
    data: { location_id: "10000000-0000-4000-8000-000000000001", lines: [{ item_id: items.data[0].id, qty: 1 }], note },
  });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { data: { id: string } }).data;
  await page.goto(`/flows/${id}`);
  const action = page.getByTestId("translate-flow_note-note");
  await expect(action.getByTestId("translation")).toHaveCount(0);
  await hydrated(action.getByRole("button", { name: "번역", exact: true }));
  await action.getByRole("button", { name: "번역", exact: true }).click();
  await expect(action.getByTestId("translation-text")).toHaveText("파손 주의, 조심히 다뤄 주세요.");
  await expect(action.getByTestId("translation")).toContainText("기계 번역");
  // The original stays above it.
  await expect(page.locator("dd", { has: action })).toContainText(note);
});

test("the admin's usage page lists this month's characters, per day and per user", async ({ browser, page }) => {
  const korean = await (await browser.newContext({ baseURL: TRANSLATION_BASE_URL })).newPage();
  await signInViaApi(korean, demoUser("korean"));
  const made = await korean.request.post("/api/v1/translations", { data: { target: "zh", text: `사용량 화면 시험 ${Date.now()}` } });
  expect(made.status()).toBe(200);

  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/translations");
  await expect(page.getByTestId("usage-month")).not.toHaveText("이번 달: 0자");
  await expect(page.getByRole("region", { name: "일별", exact: true }).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "사용자·일별" }).locator("tr", { hasText: "Choi Korean Team" }).first()).toBeVisible();
});

test("without a key (the main server) no page shows a translation control and the API answers not_enabled", async ({ browser }) => {
  test.setTimeout(60_000);
  const main = `http://localhost:${e2ePort()}`;
  const id = await newApplication(browser, main);
  const page = await (await browser.newContext({ baseURL: main })).newPage();
  await signInViaApi(page, demoUser("admin"));
  // A message in another language and internal notes: what the translation server offers to translate.
  expect((await page.request.post(`/api/v1/inspections/${id}/messages`, { data: { body: CHINESE } })).status()).toBe(201);
  expect((await page.request.patch(`/api/v1/inspections/${id}`, { data: { internal_notes: NOTE } })).status()).toBe(200);

  await page.goto(`/inspections/${id}`);
  await expect(page.getByTestId("message-body").filter({ hasText: CHINESE })).toBeVisible();
  await expect(page.getByTestId("auto-translate")).toHaveCount(0);
  await expect(page.getByTestId("message-translate")).toHaveCount(0);
  await expect(page.locator('[data-testid^="translate-"]')).toHaveCount(0);
  await expect(page.locator('a[href="/admin/translations"]')).toHaveCount(0);

  await page.goto("/items/new");
  await expect(page.locator("#item-name_ko")).toBeVisible();
  await expect(page.getByTestId("suggest-translations")).toHaveCount(0);
  expect((await page.goto("/items/names"))?.status()).toBe(404);
  expect((await page.goto("/admin/translations"))?.status()).toBe(404);

  const api = await page.request.post("/api/v1/translations", { data: { target: "zh", text: "무선 키보드" } });
  expect(api.status()).toBe(404);
  expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_enabled");
});
