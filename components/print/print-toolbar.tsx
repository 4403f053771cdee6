import Link from "next/link";
import { LinkButton } from "@/components/ui/button";
import { LOCALES, type Locale } from "@/lib/i18n/locales";
import { PrintButton } from "./print-button";
import type { PrintT } from "./translator";

/** Screen only (hidden in print): back to the record, the document's language, Print. */
export function PrintToolbar({ t, lang, backHref, selfHref }: { t: PrintT; lang: Locale; backHref: string; selfHref: string }) {
  return (
    <div className="no-print mx-auto mb-4 flex max-w-[210mm] flex-wrap items-center justify-between gap-3" data-testid="print-toolbar">
      <LinkButton href={backHref} variant="ghost">
        {t("print.toolbar.back")}
      </LinkButton>
      <div className="flex items-center gap-3">
        <ul className="flex gap-2 text-sm" aria-label={t("print.toolbar.language")}>
          {LOCALES.map((l) => (
            <li key={l}>
              <Link
                href={`${selfHref}?lang=${l}`}
                lang={l}
                hrefLang={l}
                aria-current={l === lang ? "true" : undefined}
                className={l === lang ? "font-semibold text-slate-900" : "text-brand-700 underline-offset-2 hover:underline"}
                data-testid={`print-lang-${l}`}
              >
                {t(`common.languages.${l}`)}
              </Link>
            </li>
          ))}
        </ul>
        <PrintButton label={t("print.toolbar.print")} />
      </div>
    </div>
  );
}
