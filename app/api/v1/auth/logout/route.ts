import { authPort, credentialsFrom } from "@/lib/auth";
import { appendCookies } from "@/lib/auth/cookies";
import { handler, json } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// POST /api/v1/auth/logout — end the session (a plain HTML form is sent back to /login)
export const POST = handler({ auth: "none" }, async ({ req }) => {
  const cookies = await authPort().signOut(credentialsFrom(req.headers, req.url));
  const fromForm = (req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  const res = fromForm
    ? // Relative: behind a proxy or on a real domain, req.url may name the internal host.
      new Response(null, { status: 303, headers: { Location: "/login" } })
    : json({ data: { signed_out: true } });
  appendCookies(res.headers, cookies);
  return res;
});
