import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TokensPage } from "@/components/account/tokens-page";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tokens");
  return { title: t("title") };
}

// /account/tokens — the user's personal access tokens (admins: ?all=true for everyone's)
export default async function StaffTokensPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("staff:access");
  return <TokensPage actor={actor} all={(await searchParams).all === "true"} basePath="/account/tokens" />;
}
