import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS, demoUser, expectSignedIn } from "./demo-users";

// The login form itself: every demo role signs in through the UI and lands on its own page.

// The form's own message; Next.js also renders an (empty) role=alert route announcer.
const formAlert = (page: Page) => page.locator("form").getByRole("alert");

test.describe("login form", () => {
  for (const user of DEMO_USERS) {
    test(`${user.email} signs in and lands on ${user.landing}`, async ({ page }) => {
      await page.goto("/login");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();

      await expectSignedIn(page, user);
      const session = (await page.context().cookies()).find((c) => c.name === "duly_session");
      expect(session?.httpOnly).toBe(true);
    });
  }

  test("a wrong password shows an error and stays on /login", async ({ page }) => {
    const user = demoUser("admin");
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(formAlert(page)).toHaveText("The email or password is incorrect.");
    await expect(page).toHaveURL("/login");
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("duly_session");

    // And the page still works: the right password now signs in.
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectSignedIn(page, user);
  });

  test("an unknown email gets the same message as a wrong password", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("nobody@duly.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(formAlert(page)).toHaveText("The email or password is incorrect.");
    await expect(page).toHaveURL("/login");
  });
});
