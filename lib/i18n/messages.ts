import type { Locale } from "./locales";

// Messages live in messages/<locale>/<namespace>.json, one file per area of the app, merged here.
export const NAMESPACES = ["common", "auth", "dashboard", "inventory", "flows", "admin", "portal", "inspections", "errors", "print", "exports", "imports", "tokens", "audit", "password", "translation"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export type Messages = Record<string, unknown>;

export async function loadMessages(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
