import { expect, test } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";

// Every time on the pages is Korea's (the company's business day) and names its zone in the
// reader's language: "KST" for Korean staff, "韩国时间" for Chinese staff in Yiwu, an hour behind.

const TIME = /\d{2}:\d{2}/;

test("times on the flow list name Korea's zone: KST in Korean, 韩国时间 in Chinese", async ({ page }) => {
  test.setTimeout(60_000);
  for (const [user, zone, other] of [
    ["manager", / KST$/, "韩国时间"],
    ["chinese", /（韩国时间）$/, "KST"],
  ] as const) {
    await page.context().clearCookies();
    await signInViaApi(page, demoUser(user));
    await page.goto("/flows");
    const times = page.locator("table time");
    await expect(times.first()).toBeVisible();
    const texts = await times.allTextContents();
    expect(texts.length, user).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text, user).toMatch(TIME);
      expect(text, user).toMatch(zone);
      expect(text, user).not.toContain(other);
    }
  }
});

test("the audit log's times name the zone too", async ({ page }) => {
  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/audit");
  await expect(page.getByText(/\d{2}:\d{2} KST/).first()).toBeVisible();
});
