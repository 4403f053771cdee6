import type { CookieToSet } from "./cookies";
import { refreshCookies } from "./refresh";
import type { Credentials } from "./types";

/**
 * A cookie session kept alive (the sliding refresh): the cookies to send back, and the request's
 * credentials as they are after it, so that this very request acts with the refreshed session.
 * The proxy does this for pages, the route wrapper for the API (the proxy does not run for it).
 * A bearer token is the client's own to renew: nothing is done for it.
 */
export async function keptAlive(creds: Credentials): Promise<{ creds: Credentials; cookies: CookieToSet[] }> {
  if (creds.authorization) return { creds, cookies: [] };
  let cookies: CookieToSet[] = [];
  try {
    cookies = await refreshCookies(creds);
  } catch {
    // A refresh failure must not break the request; it goes on with the cookie it came with.
  }
  if (cookies.length === 0) return { creds, cookies };
  const jar = new Map(creds.cookies);
  for (const c of cookies) jar.set(c.name, c.value);
  return { creds: { ...creds, cookies: jar }, cookies };
}
