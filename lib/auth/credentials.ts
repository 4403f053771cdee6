import { parseCookies } from "./cookies";
import type { Credentials } from "./types";

export function credentialsFrom(headers: Headers, url: string): Credentials {
  return {
    cookies: parseCookies(headers.get("cookie")),
    authorization: headers.get("authorization"),
    secure: new URL(url).protocol === "https:" || headers.get("x-forwarded-proto") === "https",
  };
}
