import { authPort, credentialsFrom } from "@/lib/auth";
import { appendCookies } from "@/lib/auth/cookies";
import { personalToken } from "@/lib/auth/personal-tokens";
import { AppError } from "@/lib/errors";
import { handler, json } from "@/lib/http/handler";
import { logoutSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

/** The body as JSON ({"scope":"global"}) or as the user menu's plain HTML form (scope=global). */
async function logoutBody(req: Request, fromForm: boolean): Promise<unknown> {
  const text = await req.text();
  if (fromForm) return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON");
  }
}

// POST /api/v1/auth/logout — end this session, or with {"scope":"global"} every session of the user (a plain HTML form is sent back to /login)
export const POST = handler({ auth: "none" }, async ({ req }) => {
  const credentials = credentialsFrom(req.headers, req.url);
  // A personal access token is not a session: there is nothing to sign out of, and its secret must
  // not go to Supabase Auth's /logout. It is revoked from a session (DELETE /api/v1/tokens/:id).
  if (personalToken(credentials)) {
    throw new AppError("bad_request", "A personal access token is not a session: revoke it from the API tokens page instead of signing out");
  }
  const fromForm = (req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  const parsed = logoutSchema.safeParse(await logoutBody(req, fromForm));
  if (!parsed.success) {
    throw new AppError("validation_failed", "Some fields are missing or invalid", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const cookies = await authPort().signOut(credentials, parsed.data.scope);
  const res = fromForm
    ? // Relative: behind a proxy or on a real domain, req.url may name the internal host.
      new Response(null, { status: 303, headers: { Location: "/login" } })
    : json({ data: { signed_out: true, scope: parsed.data.scope } });
  appendCookies(res.headers, cookies);
  return res;
});
