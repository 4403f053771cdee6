import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AttachmentList } from "@/components/inspections/attachment-list";
import { InspectionFacts } from "@/components/inspections/inspection-facts";
import { InspectionHeader } from "@/components/inspections/inspection-header";
import { InspectionTimeline } from "@/components/inspections/inspection-timeline";
import { inspectorOptions } from "@/components/inspections/inspectors";
import { InternalNotes } from "@/components/inspections/internal-notes";
import { inspectionMetadata, loadInspection, loadInspectionRecords } from "@/components/inspections/load";
import { MessageThread } from "@/components/inspections/message-thread";
import { translationEnabled, translationUi } from "@/components/translation/load";
import { TranslateAction } from "@/components/translation/translate-action";
import { StaffInspectionActions } from "@/components/inspections/staff-actions";
import { UploadForm } from "@/components/inspections/upload-form";
import { Card } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";

export const generateMetadata = inspectionMetadata("records:read");

// /inspections/[id] — staff: the application, its workflow, report and photos, internal notes, messages
export default async function InspectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("records:read");
  const inspection = await loadInspection(actor, id);
  const t = await getTranslations("inspections");
  const writer = can(actor.role, "records:write");
  const [{ files, messages }, inspectors] = await Promise.all([
    loadInspectionRecords(actor, id),
    writer ? inspectorOptions(actor, inspection, t("actions.me", { name: actor.displayName || actor.email })) : Promise.resolve([]),
  ]);
  const open = inspection.status !== "completed" && inspection.status !== "cancelled";
  const translation = await translationUi(actor);
  return (
    <>
      <InspectionHeader inspection={inspection} backHref="/inspections">
        <Link href={`/customers/${inspection.customer.id}`} className="text-sm text-brand-700 underline-offset-2 hover:underline">
          {inspection.customer.name}
        </Link>
      </InspectionHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {writer ? (
            <Card title={t("detail.actions")}>
              <StaffInspectionActions
                inspection={{
                  id: inspection.id,
                  status: inspection.status,
                  scheduled_date: inspection.scheduled_date,
                  inspector_id: inspection.inspector_id,
                  result: inspection.result,
                }}
                inspectors={inspectors}
              />
            </Card>
          ) : null}
          <Card title={t("detail.attachments")}>
            <div className="space-y-4">
              <AttachmentList files={files} locale={actor.locale} empty={t("detail.noFiles")} />
              {writer && open ? <UploadForm target={{ inspection_id: inspection.id }} kinds={["report", "photo", "document"]} allowInternal /> : null}
            </div>
          </Card>
          <Card title={t("detail.messages")}>
            <MessageThread inspectionId={inspection.id} initial={messages} staffView translation={translation} />
          </Card>
          <Card title={t("detail.details")}>
            <InspectionFacts inspection={inspection} locale={actor.locale} staff />
            {translation && inspection.notes ? <TranslateAction type="inspection_note" id={inspection.id} field="notes" /> : null}
            {translation && inspection.cancel_reason ? <TranslateAction type="inspection_note" id={inspection.id} field="cancel_reason" /> : null}
          </Card>
        </div>
        <div className="space-y-6">
          <Card title={t("detail.timeline")}>
            <InspectionTimeline inspection={inspection} locale={actor.locale} />
          </Card>
          <Card title={t("detail.internalNotes")}>
            {writer ? (
              <InternalNotes inspectionId={inspection.id} initial={inspection.internal_notes ?? null} />
            ) : (
              <p className="whitespace-pre-line text-sm text-slate-900">{inspection.internal_notes || t("detail.none")}</p>
            )}
            {translationEnabled() && inspection.internal_notes ? <TranslateAction type="inspection_note" id={inspection.id} field="internal_notes" /> : null}
          </Card>
        </div>
      </div>
    </>
  );
}
