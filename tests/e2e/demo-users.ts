import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";

// The seeded demo accounts as the browser shows them: the header names the user by display
// name and the role by its label in the user's own language (components/shell/user-menu.tsx;
// the demo users' profiles say Korean, the Chinese staff user's Chinese).

export { DEMO_PASSWORD };

export type BrowserUser = {
  key: DemoUser;
  email: string;
  displayName: string;
  roleLabel: string;
  signOut: string;
  landing: "/dashboard" | "/portal";
};

const KO_SIGN_OUT = "로그아웃";
const DISPLAY: Record<DemoUser, { displayName: string; roleLabel: string; signOut: string }> = {
  admin: { displayName: "Duly Admin", roleLabel: "관리자", signOut: KO_SIGN_OUT },
  manager: { displayName: "Park Manager", roleLabel: "매니저", signOut: KO_SIGN_OUT },
  korean: { displayName: "Choi Korean Team", roleLabel: "한국팀", signOut: KO_SIGN_OUT },
  chinese: { displayName: "Wang Chinese Staff", roleLabel: "中国员工", signOut: "退出登录" },
  acme: { displayName: "ACME Buyer", roleLabel: "고객", signOut: KO_SIGN_OUT },
  bluesky: { displayName: "Blue Sky Buyer", roleLabel: "고객", signOut: KO_SIGN_OUT },
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
  await expect(page.getByRole("button", { name: user.signOut, exact: true })).toBeVisible();
}
