import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";

// The seeded demo accounts as the browser shows them: the header names the user by display
// name and the role by its label (components/app-header.tsx).

export { DEMO_PASSWORD };

export type BrowserUser = {
  key: DemoUser;
  email: string;
  displayName: string;
  roleLabel: string;
  landing: "/dashboard" | "/portal";
};

const DISPLAY: Record<DemoUser, { displayName: string; roleLabel: string }> = {
  admin: { displayName: "Duly Admin", roleLabel: "Administrator" },
  manager: { displayName: "Park Manager", roleLabel: "Manager" },
  korean: { displayName: "Choi Korean Team", roleLabel: "Korean team" },
  chinese: { displayName: "Wang Chinese Staff", roleLabel: "Chinese staff" },
  acme: { displayName: "ACME Buyer", roleLabel: "Customer" },
  bluesky: { displayName: "Blue Sky Buyer", roleLabel: "Customer" },
};

export const DEMO_USERS: BrowserUser[] = (Object.keys(USERS) as DemoUser[]).map((key) => ({
  key,
  email: USERS[key].email,
  ...DISPLAY[key],
  landing: USERS[key].role === "customer" ? "/portal" : "/dashboard",
}));

export function demoUser(key: DemoUser): BrowserUser {
  const user = DEMO_USERS.find((u) => u.key === key);
  if (!user) throw new Error(`no demo user ${key}`);
  return user;
}

/** Sign in through the API (DESIGN §5); the session cookie lands in the page's browser context. */
export async function signInViaApi(page: Page, user: BrowserUser): Promise<void> {
  const res = await page.request.post("/api/v1/auth/login", { data: { email: user.email, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name)).toContain("duly_session");
}

/** The page shows the given user signed in on their landing page. */
export async function expectSignedIn(page: Page, user: BrowserUser): Promise<void> {
  await expect(page).toHaveURL(user.landing);
  await expect(page.getByTestId("signed-in-user")).toHaveText(user.displayName);
  await expect(page.getByTestId("signed-in-role")).toHaveText(user.roleLabel);
  await expect(page.getByRole("main")).toContainText(user.email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}
