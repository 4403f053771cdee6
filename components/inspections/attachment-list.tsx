import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import type { Attachment } from "@/lib/schemas/attachments";
import { formatDateTime } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Files with a download link each (the download route checks access again, per file). */
export async function AttachmentList({ files, locale, empty }: { files: Attachment[]; locale: Locale; empty: string }) {
  const t = await getTranslations("inspections");
  if (files.length === 0) return <p className="text-sm text-slate-700">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="attachment-list">
      {files.map((f) => (
        <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
          <span className="flex min-w-0 flex-wrap items-center gap-2">
            <a
              href={`/api/v1/attachments/${f.id}/download`}
              className="break-all text-brand-700 underline underline-offset-2"
              aria-label={t("detail.download", { name: f.file_name })}
              data-testid="attachment-download"
              download
            >
              {f.file_name}
            </a>
            <Badge tone={f.kind === "report" ? "green" : "gray"}>{t(`upload.kinds.${f.kind}`)}</Badge>
            {f.internal ? <Badge tone="amber">{t("detail.internal")}</Badge> : null}
          </span>
          <span className="text-xs text-slate-700">
            {fileSize(f.size_bytes)} · <time dateTime={f.created_at}>{formatDateTime(f.created_at, locale)}</time>
            {f.uploaded_by_name ? ` · ${f.uploaded_by_name}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
