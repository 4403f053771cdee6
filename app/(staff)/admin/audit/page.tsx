import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { ExportMenu } from "@/components/export/export-menu";
import { parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { auditDescriber } from "@/lib/audit/words";
import { requireActor } from "@/lib/auth/page";
import { listAudit, listAuditTables } from "@/lib/data/audit";
import { listUsers } from "@/lib/data/users";
import { auditListQuery } from "@/lib/schemas/users";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("audit.title") };
}

const KEYS = ["actor_id", "table", "action", "from", "to", "security", "page", "limit"] as const;

// /admin/audit — admins only: who did what to which record when, in words; filtered, paged in the URL, each change expandable
export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("audit:read");
  const t = await getTranslations("admin");
  const { query, params } = parseSearchParams(auditListQuery, await searchParams, KEYS);
  // The actor filter offers the first 100 users by email: the staff of a trading company.
  const [result, tables, users, describe] = await Promise.all([
    listAudit(actor.caller, query),
    listAuditTables(actor.caller),
    listUsers(actor.caller, { page: 1, limit: 100 }),
    auditDescriber(actor.locale),
  ]);

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")} actions={<ExportMenu api="/api/v1/audit" query={query} />} />
      <AuditFilters values={params} actors={users.data} tables={tables} />
      {result.data.length === 0 ? (
        <EmptyState message={t("audit.empty")} />
      ) : (
        <>
          <AuditTable rows={result.data.map(describe)} />
          <Pagination
            basePath="/admin/audit"
            params={params}
            result={result}
          />
        </>
      )}
    </>
  );
}
