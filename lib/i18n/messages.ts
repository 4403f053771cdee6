import type { Locale } from "./locales";

// Messages live in messages/<locale>/<namespace>.json, one file per area of the app, merged here.
export const NAMESPACES = ["common", "auth", "dashboard", "inventory", "flows", "admin", "portal", "inspections", "errors", "print", "exports", "imports", "tokens", "audit", "password", "email", "time", "fatal", "api", "ops", "translation"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export type Messages = Record<string, unknown>;

/**
 * The namespaces client components read (`useTranslations` in the browser), per part of the app.
 * Only these go to the browser, inlined in each page (the rest is read on the server only): the
 * root layout sends `root`'s, which every page's own client code and the error boundaries read,
 * and the staff, portal and print layouts add their part's (components/shell/area-messages.tsx).
 * A sign-in page thus carries no inventory or admin sentences. tests/unit/client-messages.test.ts
 * follows each part's imports and checks that every namespace its client code reads is sent.
 */
export const CLIENT_AREAS = {
  // The error sentences of every form (components/toolkit/error-text.ts) read flows and inspections.
  root: ["common", "errors", "flows", "inspections"],
  staff: ["admin", "email", "imports", "inventory", "password", "tokens", "translation"],
  portal: ["email", "portal", "tokens", "translation"],
  print: ["portal"],
} as const satisfies Record<string, readonly Namespace[]>;
export type ClientArea = keyof typeof CLIENT_AREAS;

/** Every namespace some client component reads. */
export const CLIENT_NAMESPACES: readonly Namespace[] = [...new Set(Object.values(CLIENT_AREAS).flat())];

/** The namespaces of one part of the app, out of the whole catalogue. */
export function clientMessages(messages: Messages, area: ClientArea): Messages {
  const names: readonly Namespace[] = CLIENT_AREAS[area];
  return Object.fromEntries(names.filter((ns) => ns in messages).map((ns) => [ns, messages[ns]]));
}

export async function loadMessages(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
