import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/components/ui/button";
import type { FlowKind } from "@/lib/schemas/flows";

/** "Print delivery note" (etc.) on a record's page: opens the print view in the reader's language. */
export async function PrintLink({ href, kind }: { href: string; kind: FlowKind }) {
  const t = await getTranslations("print");
  return (
    <LinkButton href={href} className="ml-auto" prefetch={false} data-testid="print-link">
      {t("link", { title: t(`titles.${kind}`) })}
    </LinkButton>
  );
}
