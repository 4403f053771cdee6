import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/page";
import type { Action } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth";
import type { PrintDoc } from "./document";
import { documentTitle, PrintDocument } from "./print-document";
import { PrintToolbar } from "./print-toolbar";
import { printLanguage, printTranslator } from "./translator";

// The two print routes (staff /flows/[id]/print, customers /portal/shipments/[id]/print) differ
// only in who may open them and how the document is read; this is the rest of both.

export type PrintRouteProps = { params: Promise<{ id: string }>; searchParams: Promise<{ lang?: string | string[] }> };
type Loader = (actor: Actor, id: string) => Promise<PrintDoc>;

async function resolve(permission: Action, load: Loader, props: PrintRouteProps) {
  const [{ id }, { lang: param }] = await Promise.all([props.params, props.searchParams]);
  const actor = await requireActor(permission);
  const lang = printLanguage(param, actor.locale);
  const [doc, t] = await Promise.all([load(actor, id), printTranslator(lang)]);
  return { id, doc, t, lang };
}

export async function printMetadata(permission: Action, load: Loader, props: PrintRouteProps): Promise<Metadata> {
  const { doc, t } = await resolve(permission, load, props);
  return { title: `${documentTitle(t, doc)} ${doc.number}`, robots: { index: false } };
}

export async function PrintView({ permission, load, selfHref, ...props }: PrintRouteProps & { permission: Action; load: Loader; selfHref: (id: string) => string }) {
  const { id, doc, t, lang } = await resolve(permission, load, props);
  return (
    <>
      <PrintToolbar t={t} lang={lang} backHref={doc.backHref} selfHref={selfHref(id)} />
      <PrintDocument doc={doc} t={t} lang={lang} />
    </>
  );
}
