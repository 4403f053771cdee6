import { expect, test } from "@playwright/test";
import ko from "../../messages/ko/common.json";
import { DEMO_PASSWORD, demoUser, expectSignedIn, signInViaApi } from "./demo-users";

// Sessions and where each kind of visitor is sent. Sign-in goes through the API here: these
// tests are not about the login form.

test.describe("signed out", () => {
  for (const path of ["/", "/dashboard", "/portal"]) {
    test(`${path} redirects to /login`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL("/login");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    });
  }
});

test.describe("signed in", () => {
  test("the session survives a page reload", async ({ page }) => {
    const user = demoUser("manager");
    await signInViaApi(page, user);
    await page.goto("/dashboard");
    await expectSignedIn(page, user);

    await page.reload();
    await expectSignedIn(page, user);
  });

  test("a staff user's session survives a new tab", async ({ page, context }) => {
    const user = demoUser("korean");
    await signInViaApi(page, user);
    const other = await context.newPage();
    await other.goto("/");
    await expectSignedIn(other, user);
  });

  test("/ and /login send a signed-in customer to /portal", async ({ page }) => {
    const user = demoUser("acme");
    await signInViaApi(page, user);
    await page.goto("/");
    await expectSignedIn(page, user);
    await page.goto("/login");
    await expectSignedIn(page, user);
  });

  test("a customer opening /dashboard is sent to /portal", async ({ page }) => {
    const user = demoUser("bluesky");
    await signInViaApi(page, user);
    await page.goto("/dashboard");
    await expectSignedIn(page, user);
  });

  test("a staff user opening /portal is sent to /dashboard", async ({ page }) => {
    const user = demoUser("chinese");
    await signInViaApi(page, user);
    await page.goto("/portal");
    await expectSignedIn(page, user);
  });
});

test.describe("sign out", () => {
  for (const key of ["admin", "acme"] as const) {
    test(`${key}: Sign out returns to /login and the landing page is closed again`, async ({ page }) => {
      const user = demoUser(key);
      await signInViaApi(page, user);
      await page.goto(user.landing);
      await expectSignedIn(page, user);

      await page.getByRole("button", { name: user.signOut, exact: true }).click();
      await expect(page).toHaveURL("/login");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      expect((await page.context().cookies()).map((c) => c.name)).not.toContain("duly_session");

      await page.goto(user.landing);
      await expect(page).toHaveURL("/login");
      const me = await page.request.get("/api/v1/auth/me");
      expect(me.status()).toBe(401);
    });
  }
});

// Under `next start` a route handler's req.url always names localhost, whatever Host the browser
// used; sign-out must not send a browser on 127.0.0.1 (or a real domain) there.
test("sign out keeps the host the browser used", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin.replace("localhost", "127.0.0.1");
  const user = demoUser("manager");
  const res = await page.request.post(`${origin}/api/v1/auth/login`, { data: { email: user.email, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  await page.goto(`${origin}/dashboard`);
  await page.getByRole("button", { name: user.signOut, exact: true }).click();
  await expect(page).toHaveURL(`${origin}/login`);
});

// Sessions are server-side facts: "sign out of all devices" in one browser ends the session that
// another browser (another device) holds, which is sent to /login on its next navigation.
test("sign out of all devices ends the other browser's session too", async ({ browser, baseURL }) => {
  const user = demoUser("korean");
  const contexts = [await browser.newContext({ baseURL, locale: "en-US" }), await browser.newContext({ baseURL, locale: "en-US" })];
  try {
    const [here, there] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const page of [here, there]) {
      await signInViaApi(page, user);
      await page.goto(user.landing);
      await expectSignedIn(page, user);
    }

    await here.getByRole("button", { name: ko.user.signOutEverywhere, exact: true }).click();
    await expect(here).toHaveURL("/login");

    // The other browser still holds its cookie, but the session behind it is gone.
    expect((await there.context().cookies()).map((c) => c.name)).toContain("duly_session");
    await there.goto(user.landing);
    await expect(there).toHaveURL("/login");
    expect((await there.request.get("/api/v1/auth/me")).status()).toBe(401);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
