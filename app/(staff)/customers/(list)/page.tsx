import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { pageNumber } from "@/components/inspections/page-number";
import { SimpleTable } from "@/components/inventory/simple-table";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { listCustomers } from "@/lib/data/customers";
import { searchQuery } from "@/lib/schemas/common";
import { SearchForm } from "@/components/ui/search-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspections.customers");
  return { title: t("title") };
}

// /customers — staff: customer companies with their user count and open inspections, searchable
export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("customers:read");
  const t = await getTranslations("inspections.customers");
  const tc = await getTranslations("common");
  const sp = await searchParams;
  const parsedQ = searchQuery.safeParse(typeof sp.q === "string" ? sp.q : "");
  const q = parsedQ.success ? parsedQ.data : undefined;
  const result = await listCustomers(actor.caller, { q, page: pageNumber(sp.page), limit: pageSizeOf(sp.limit) });
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<ExportMenu api="/api/v1/customers" query={{ q }} />} />
      <SearchForm id="customers-q" label={t("searchLabel")} q={q} />
      {result.data.length === 0 ? (
        <EmptyState message={q ? t("emptyFiltered") : t("empty")} />
      ) : (
        <SimpleTable
          caption={t("caption")}
          testId="customer-table"
          columns={[
            { key: "code", header: t("columns.code") },
            { key: "name", header: t("columns.name") },
            { key: "contact", header: t("columns.contact") },
            { key: "email", header: t("columns.email") },
            { key: "users", header: t("columns.users"), align: "right" },
            { key: "open", header: t("columns.open"), align: "right" },
            { key: "status", header: t("columns.status") },
          ]}
          rows={result.data.map((c) => ({
            key: c.id,
            cells: {
              code: <span className="font-mono">{c.code}</span>,
              name: (
                <Link href={`/customers/${c.id}`} className="text-brand-700 underline-offset-2 hover:underline" data-testid="customer-link">
                  {c.name}
                </Link>
              ),
              contact: c.contact_name ?? "—",
              email: c.email ?? "—",
              users: c.user_count,
              open: c.open_inspections,
              status: c.active ? <Badge tone="green">{tc("states.active")}</Badge> : <Badge>{tc("states.inactive")}</Badge>,
            },
          }))}
        />
      )}
      <Pagination basePath="/customers" params={{ q }} result={result} />
    </>
  );
}
