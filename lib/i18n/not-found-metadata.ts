import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

// The <title> of a not-found page, in the reader's language. Next.js takes the metadata of the
// deepest not-found.tsx on the way to where notFound() was thrown (the root one for an address
// the app does not have); a not-found.tsx without it leaves the root layout's default, the bare
// app name. So every not-found.tsx exports this (tests/e2e/not-found.spec.ts).

type TitleKey = "common:pages.notFoundTitle" | "inventory:item.notFoundTitle" | "inventory:engines.notFoundTitle" | "inventory:locations.notFoundTitle";

export function notFoundMetadata(key: TitleKey = "common:pages.notFoundTitle"): () => Promise<Metadata> {
  const [namespace, path] = key.split(":") as ["common" | "inventory", string];
  return async () => {
    const t = await getTranslations(namespace);
    return { title: t(path as never), robots: { index: false } };
  };
}
