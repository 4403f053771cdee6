import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { UserCreateButton } from "@/components/admin/user-create";
import { UserFilters } from "@/components/admin/user-filters";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { accountAdmin } from "@/lib/auth/user-admin";
import { listCustomerOptions, listUsers } from "@/lib/data/users";
import { userListQuery } from "@/lib/schemas/users";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("users.title") };
}

// /admin/users — admins only: list with search and filters, create, edit access, deactivate
export default async function UsersPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("users:manage");
  const t = await getTranslations("admin");
  const { query, params } = parseSearchParams(userListQuery, await searchParams, ["q", "role", "active", "page", "limit"]);
  const [result, customers] = await Promise.all([listUsers(actor.caller, query), listCustomerOptions(actor.caller)]);

  return (
    <>
      <PageHeader
        title={t("users.title")}
        description={t("users.description")}
        actions={
          <>
            <ExportMenu api="/api/v1/users" query={query} />
            <UserCreateButton customers={customers} supportsInvite={accountAdmin().supportsInvite} />
          </>
        }
      />
      <UserFilters values={params} />
      {result.data.length === 0 ? (
        <EmptyState message={t("users.empty")} />
      ) : (
        <>
          <UsersTable rows={result.data} customers={customers} currentUserId={actor.id} supportsEmail={accountAdmin().passwordsIn === "auth"} />
          <Pagination basePath="/admin/users" params={params} result={result} />
        </>
      )}
    </>
  );
}
