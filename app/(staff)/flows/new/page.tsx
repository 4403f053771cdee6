import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FlowForm } from "@/components/flows/flow-form";
import { EMPTY_FORM } from "@/components/flows/form-types";
import { customerOptions, locationOptions } from "@/components/flows/load-flow";
import { PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { FLOW_KINDS, type FlowKind } from "@/lib/schemas/flows";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("flows");
  return { title: t("new.title") };
}

// /flows/new — a new draft flow (?kind= preselects the kind, e.g. from a tab of /flows)
export default async function NewFlowPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("records:write");
  const t = await getTranslations("flows");
  const kindParam = (await searchParams).kind;
  const kind = (FLOW_KINDS as readonly unknown[]).includes(kindParam) ? (kindParam as FlowKind) : EMPTY_FORM.kind;
  const [locations, customers] = await Promise.all([locationOptions(actor), customerOptions(actor)]);
  return (
    <>
      <PageHeader title={t("new.title")} description={t("new.description")} />
      {/* keyed by kind: "New" from another kind's list starts a fresh form of that kind */}
      <FlowForm key={kind} mode="create" initial={{ ...EMPTY_FORM, kind }} locations={locations} customers={customers} />
    </>
  );
}
