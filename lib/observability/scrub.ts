import type { Breadcrumb, Event, getClient } from "@sentry/nextjs";

type Client = NonNullable<ReturnType<typeof getClient>>;

// What leaves for Sentry passes through here, on the server, the edge and in the browser
// (beforeSend, beforeSendTransaction, beforeBreadcrumb). Personal data and credentials go:
// emails, IP addresses, cookies, authorization headers, tokens in URLs and text. The user is
// reduced to their id. Whatever a developer adds to an event later is scrubbed as well, because
// the whole event is walked rather than a list of known fields.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;
// Full form, or compressed with "::". Times such as 12:30:45 have neither, so they stay.
const IPV6 = /(?<![0-9A-Za-z:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?)(?![0-9A-Za-z:])/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
// Query, fragment, form or plain-text `name=value` pairs whose name says it is a secret.
const SECRET_PARAM =
  /((?:^|[?&#;,\s"'])[\w.-]*(?:token|code|key|secret|password|passwd|pwd|signature|sig|auth|session|otp|nonce|jwt|credential|email)[\w.-]*=)[^&#;,\s"']*/gi;

/** Keys whose value is dropped whatever it looks like (cookie values and opaque tokens look like nothing). */
const SECRET_KEY = /cookie|authorization|password|passwd|secret|token|api[-_]?key|session[-_]?id|^email$|ip[-_]?address|forwarded|real[-_]?ip|client[-_]?ip|^x-vercel-ip/i;

const REDACTED = "[redacted]";

export function scrubString(value: string): string {
  return value
    .replace(JWT, "[jwt]")
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(EMAIL, "[email]")
    .replace(IPV4, "[ip]")
    .replace(IPV6, "[ip]");
}

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 24 || seen.has(value)) return REDACTED;
  // `seen` holds the objects on the current path only: a cycle is cut, a shared object is copied.
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v) => scrubValue(v, depth + 1, seen));
  } else {
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_KEY.test(key)) continue;
      copy[scrubString(key)] = scrubValue(v, depth + 1, seen);
    }
    out = copy;
  }
  seen.delete(value);
  return out;
}

/** A deep copy of any value with personal data and secrets removed. */
export function scrub<T>(value: T): T {
  return scrubValue(value, 0, new WeakSet()) as T;
}

/** beforeSend and beforeSendTransaction: the event without personal data; the user as an id. */
export function scrubEvent<E extends Event>(event: E): E {
  const userId = event.user?.id;
  const request = event.request;
  // sdkProcessingMetadata is the SDK's own bookkeeping (scopes, never sent): left as it is.
  const clean = scrub<E>({ ...event, user: undefined, request: undefined, sdkProcessingMetadata: undefined });
  if (event.sdkProcessingMetadata !== undefined) clean.sdkProcessingMetadata = event.sdkProcessingMetadata;
  else delete clean.sdkProcessingMetadata;
  if (userId !== undefined && userId !== null && userId !== "") clean.user = { id: String(userId) };
  else delete clean.user;
  if (request) {
    // Bodies are business data (and login bodies hold passwords); cookies and the caller's
    // address are personal. Method, URL and the harmless headers are enough to debug with.
    const rest = { ...request };
    delete rest.cookies;
    delete rest.data;
    delete rest.env;
    clean.request = scrub(rest);
  } else {
    delete clean.request;
  }
  return clean;
}

/** beforeBreadcrumb: the breadcrumb without personal data. */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  return scrub(breadcrumb);
}

// Vercel Analytics and Speed Insights: ./url-without-query.ts (kept apart, the browser loads it on every page).
export { urlWithoutQuery } from "./url-without-query";

/**
 * The trace's sampling context travels outside the event (the envelope header, and the baggage
 * header of outgoing requests), is made before beforeSendTransaction runs, and holds the
 * transaction name: scrubbed where it is made.
 */
export const scrubTraceContextIntegration = () => ({
  name: "ScrubTraceContext",
  setup(client: Client) {
    client.on("createDsc", (dsc) => {
      if (dsc.transaction) dsc.transaction = scrubString(dsc.transaction);
    });
  },
});
