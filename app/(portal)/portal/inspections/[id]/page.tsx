import { getTranslations } from "next-intl/server";
import { AttachmentList } from "@/components/inspections/attachment-list";
import { CancelInspectionButton } from "@/components/inspections/cancel-button";
import { InspectionFacts } from "@/components/inspections/inspection-facts";
import { InspectionHeader } from "@/components/inspections/inspection-header";
import { InspectionTimeline } from "@/components/inspections/inspection-timeline";
import { inspectionMetadata, loadInspection, loadInspectionRecords } from "@/components/inspections/load";
import { MessageThread } from "@/components/inspections/message-thread";
import { translationUi } from "@/components/translation/load";
import { UploadForm } from "@/components/inspections/upload-form";
import { Card } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";

export const generateMetadata = inspectionMetadata("portal:access");

// /portal/inspections/[id] — one of the customer's applications: progress, report, files, messages.
// Another company's id (or any unknown id) renders the not-found page: the database answers
// not_found to this customer's own session.
// No loading.tsx above this page (the list pages keep theirs in a route group): the answer is
// decided before anything streams, so that not-found page also has the HTTP status 404.
export default async function PortalInspectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("portal:access");
  const inspection = await loadInspection(actor, id);
  const t = await getTranslations("inspections");
  const { files, messages } = await loadInspectionRecords(actor, id);
  const reports = files.filter((f) => f.kind === "report");
  const others = files.filter((f) => f.kind !== "report");
  const reportVisible = inspection.status === "report_ready" || inspection.status === "completed";
  return (
    <>
      <InspectionHeader inspection={inspection} backHref="/portal/inspections">
        <span className="text-sm text-slate-700">{inspection.product}</span>
      </InspectionHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title={t("detail.report")}>
            {reportVisible && reports.length > 0 ? (
              <AttachmentList files={reports} locale={actor.locale} empty={t("detail.reportNotYet")} />
            ) : (
              <p className="text-sm text-slate-700" data-testid="report-pending">
                {t("detail.reportNotYet")}
              </p>
            )}
          </Card>
          <Card title={t("detail.messages")}>
            <MessageThread inspectionId={inspection.id} initial={messages} staffView={false} translation={await translationUi(actor)} />
          </Card>
          <Card title={t("detail.details")}>
            <InspectionFacts inspection={inspection} locale={actor.locale} staff={false} />
          </Card>
          <Card title={t("detail.attachments")}>
            <div className="space-y-4">
              {/* With the report shown above, "no files yet" would read as if it were missing. */}
              <AttachmentList files={others} locale={actor.locale} empty={reportVisible && reports.length > 0 ? t("detail.noOtherFiles") : t("detail.noFiles")} />
              {inspection.status !== "cancelled" ? <UploadForm target={{ inspection_id: inspection.id }} kinds={["document"]} /> : null}
            </div>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title={t("detail.timeline")}>
            <InspectionTimeline inspection={inspection} locale={actor.locale} />
          </Card>
          {inspection.status === "submitted" ? (
            <Card title={t("detail.actions")}>
              <CancelInspectionButton inspectionId={inspection.id} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
