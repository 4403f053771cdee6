import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SimpleTable } from "@/components/inventory/simple-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { Actor } from "@/lib/auth";
import { listTokens } from "@/lib/data/tokens";
import { formatDateTime } from "@/lib/format";
import { TokenCreate } from "./token-create";
import { TokenRevoke } from "./token-revoke";

const STATUS_TONE: Record<string, BadgeTone> = { active: "green", expired: "gray", revoked: "red" };

/**
 * The user's personal access tokens: create one (shown once), see where and when each was last
 * used, revoke. Admins may switch to every user's tokens (?all=true). The same page in the staff
 * app and the customer portal.
 */
export async function TokensPage({ actor, all, basePath }: { actor: Actor; all: boolean; basePath: string }) {
  const t = await getTranslations("tokens");
  const showAll = all && actor.role === "admin";
  const tokens = await listTokens(actor.caller, showAll);
  const when = (v: string) => formatDateTime(v, actor.locale);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/api/docs" className="text-sm text-brand-700 underline underline-offset-2">
            {t("docsLink")}
          </Link>
        }
      />
      <Card title={t("create.title")} className="mb-6">
        <TokenCreate />
      </Card>
      {actor.role === "admin" ? (
        <p className="mb-3 text-sm">
          <Link href={showAll ? basePath : `${basePath}?all=true`} className="text-brand-700 underline underline-offset-2" data-testid="tokens-scope-switch">
            {showAll ? t("list.showMine") : t("list.showAll")}
          </Link>
        </p>
      ) : null}
      {tokens.length === 0 ? (
        <EmptyState message={t("list.empty")} />
      ) : (
        <SimpleTable
          caption={showAll ? t("list.allCaption") : t("list.caption")}
          testId="tokens-table"
          columns={[
            { key: "name", header: t("list.columns.name") },
            ...(showAll ? [{ key: "user", header: t("list.columns.user") }] : []),
            { key: "scope", header: t("list.columns.scope") },
            { key: "status", header: t("list.columns.status") },
            { key: "created", header: t("list.columns.created") },
            { key: "expires", header: t("list.columns.expires") },
            { key: "lastUsed", header: t("list.columns.lastUsed") },
            { key: "actions", header: t("list.columns.actions") },
          ]}
          rows={tokens.map((tok) => ({
            key: tok.id,
            cells: {
              name: (
                <span>
                  {tok.name} <code className="text-xs text-slate-600">{tok.token_prefix}…</code>
                </span>
              ),
              user: tok.user_name || tok.user_email,
              scope: t(`scopes.${tok.scope}`),
              status: <Badge tone={STATUS_TONE[tok.status]}>{t(`status.${tok.status}`)}</Badge>,
              created: when(tok.created_at),
              expires: when(tok.expires_at),
              lastUsed: tok.last_used_at
                ? tok.last_used_address
                  ? t("list.lastUsedFrom", { when: when(tok.last_used_at), address: tok.last_used_address })
                  : when(tok.last_used_at)
                : t("list.never"),
              actions: tok.status === "active" ? <TokenRevoke token={{ id: tok.id, name: tok.name }} /> : null,
            },
          }))}
        />
      )}
    </>
  );
}
