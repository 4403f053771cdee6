import type { Locale } from "./locales";

// Messages live in messages/<locale>/<namespace>.json, one file per area of the app, merged here.
export const NAMESPACES = ["common", "auth", "dashboard", "inventory", "flows", "admin", "portal", "inspections", "errors", "print", "exports", "imports", "tokens", "audit", "password", "email", "time", "fatal", "api", "ops", "translation"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export type Messages = Record<string, unknown>;

/**
 * The namespaces a client component may read (`useTranslations` in the browser): only these go
 * to the browser, inlined in every page (the rest is read on the server only). A test checks that
 * every useTranslations call in components/ and app/ names one of them.
 */
export const CLIENT_NAMESPACES = ["common", "errors", "admin", "email", "flows", "imports", "inspections", "inventory", "password", "portal", "tokens", "translation"] as const satisfies readonly Namespace[];

export function clientMessages(messages: Messages): Messages {
  return Object.fromEntries(CLIENT_NAMESPACES.filter((ns) => ns in messages).map((ns) => [ns, messages[ns]]));
}

export async function loadMessages(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
