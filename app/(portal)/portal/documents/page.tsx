import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { fileSize } from "@/components/inspections/attachment-list";
import { pageNumber } from "@/components/inspections/page-number";
import { UploadForm } from "@/components/inspections/upload-form";
import { SimpleTable } from "@/components/inventory/simple-table";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { listAttachments } from "@/lib/data/attachments";
import { formatDateTime } from "@/lib/format";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("portal.documents");
  return { title: t("title") };
}

// /portal/documents — every file of the customer's company they may see (reports, photos,
// documents; never staff-only ones), and an upload for their own documents
export default async function PortalDocumentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("portal.documents");
  const ti = await getTranslations("inspections");
  const sp = await searchParams;
  const page = pageNumber(sp.page);
  const result = await listAttachments(actor, { customer_id: actor.customerId ?? undefined, page, limit: pageSizeOf(sp.limit) });
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<ExportMenu api="/api/v1/attachments" query={{ customer_id: actor.customerId }} />} />
      {actor.customerId ? (
        <Card title={t("upload")} className="mb-6">
          <UploadForm target={{ customer_id: actor.customerId }} kinds={["document"]} title={t("upload")} />
        </Card>
      ) : null}
      {result.data.length === 0 ? (
        <EmptyState message={t("empty")} />
      ) : (
        <SimpleTable
          caption={t("caption")}
          testId="portal-documents-table"
          columns={[
            { key: "name", header: t("columns.name") },
            { key: "kind", header: t("columns.kind") },
            { key: "inspection", header: t("columns.inspection") },
            { key: "size", header: t("columns.size"), align: "right" },
            { key: "uploaded", header: t("columns.uploaded") },
            { key: "by", header: t("columns.by") },
          ]}
          rows={result.data.map((f) => ({
            key: f.id,
            cells: {
              name: (
                <a href={`/api/v1/attachments/${f.id}/download`} className="text-brand-700 underline underline-offset-2" download data-testid="attachment-download">
                  {f.file_name}
                </a>
              ),
              kind: <Badge tone={f.kind === "report" ? "green" : "gray"}>{ti(`upload.kinds.${f.kind}`)}</Badge>,
              inspection: f.inspection_id ? (
                <Link href={`/portal/inspections/${f.inspection_id}`} className="text-brand-700 underline-offset-2 hover:underline">
                  {ti("detail.details")}
                </Link>
              ) : (
                "—"
              ),
              size: fileSize(f.size_bytes),
              uploaded: <time dateTime={f.created_at}>{formatDateTime(f.created_at, actor.locale)}</time>,
              by: f.uploaded_by_name ?? "—",
            },
          }))}
        />
      )}
      <Pagination basePath="/portal/documents" params={{}} result={result} />
    </>
  );
}
