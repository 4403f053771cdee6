import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { FlowForm } from "@/components/flows/flow-form";
import type { FlowFormValues, LocationOption } from "@/components/flows/form-types";
import { customerOptions, loadFlow, locationOptions } from "@/components/flows/load-flow";
import { PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import type { Flow } from "@/lib/data/flows";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("records:write"), getTranslations("flows"), params]);
  // A missing record: the not-found page, with its title (this read is the page's own, cached).
  await loadFlow(actor, id);
  return { title: t("edit.title") };
}

function initialValues(flow: Flow): FlowFormValues {
  return {
    kind: flow.kind,
    locationId: (flow.kind === "outbound" ? flow.from_location_id : flow.to_location_id) ?? "",
    fromId: flow.from_location_id ?? "",
    toId: flow.to_location_id ?? "",
    customerId: flow.customer_id ?? "",
    partner: flow.partner ?? "",
    reference: flow.reference ?? "",
    note: flow.note ?? "",
    lines: flow.lines.map((l) => ({
      item: { id: l.item_id, sku: l.sku, name_ko: l.name_ko, name_zh: l.name_zh, name_en: l.name_en, unit: l.unit, customer_id: l.customer_id ?? null },
      qty: String(l.qty),
    })),
  };
}

// /flows/[id]/edit — change a draft's header and lines (PATCH); other states go back to the flow
export default async function EditFlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("records:write");
  const flow = await loadFlow(actor, id);
  if (flow.status !== "draft") redirect(`/flows/${flow.id}`);
  const t = await getTranslations("flows");
  const [active, activeCustomers] = await Promise.all([locationOptions(actor), customerOptions(actor)]);
  // A draft may point at a warehouse deactivated since: keep it selectable so saving keeps it.
  const own = [flow.from_location, flow.to_location].filter((l): l is LocationOption => !!l && !active.some((a) => a.id === l.id));
  // Likewise the draft's customer, if deactivated since.
  const customers = flow.customer && !activeCustomers.some((c) => c.id === flow.customer?.id) ? [...activeCustomers, flow.customer] : activeCustomers;
  return (
    <>
      <PageHeader title={t("edit.heading", { number: flow.number })} description={t("edit.description")} />
      <FlowForm mode="edit" flowId={flow.id} initial={initialValues(flow)} locations={[...active, ...own]} customers={customers} />
    </>
  );
}
