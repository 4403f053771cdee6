"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { withZone } from "@/lib/format";
import { isLocale } from "@/lib/i18n/locales";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { CustomerChoice } from "./user-create";
import { UserEditButton, type EditableUser } from "./user-edit";
import { UserPasswordButton } from "./user-password";
import { UserStatusButton } from "./user-status";

export type UserListRow = EditableUser & { email_confirmed: boolean; last_sign_in_at: string | null };

const ROLE_TONE: Record<string, BadgeTone> = { admin: "purple", manager: "blue", korean_team: "gray", chinese_staff: "gray", customer: "amber" };

/** One page of users with their role, company, status and the actions an admin may take. */
export function UsersTable({
  rows,
  customers,
  currentUserId,
  supportsEmail,
}: {
  rows: UserListRow[];
  customers: CustomerChoice[];
  currentUserId: string;
  /** Supabase Auth mails a recovery link; embedded mode shows a one-time link instead. */
  supportsEmail: boolean;
}) {
  const t = useTranslations("admin.users");
  const common = useTranslations("common");
  const format = useFormatter();
  const tag = useLocale();
  const locale = isLocale(tag) ? tag : "ko";

  const columns: Column<UserListRow>[] = [
    {
      id: "user",
      header: t("columns.user"),
      cell: ({ row: { original: u } }) => (
        <div>
          <span className="font-medium">{u.display_name || u.email}</span>
          {u.id === currentUserId ? (
            <span className="ml-2">
              <Badge tone="blue">{t("you")}</Badge>
            </span>
          ) : null}
          <div className="text-xs text-slate-700">{u.email}</div>
        </div>
      ),
    },
    { id: "role", header: t("columns.role"), cell: ({ row: { original: u } }) => <Badge tone={ROLE_TONE[u.role] ?? "gray"}>{common(`roles.${u.role}`)}</Badge> },
    { id: "customer", header: t("columns.customer"), cell: ({ row: { original: u } }) => u.customer_name ?? <span aria-hidden="true">—</span> },
    {
      id: "status",
      header: t("columns.status"),
      cell: ({ row: { original: u } }) =>
        !u.active ? (
          <Badge tone="red" testId="user-status">{common("states.inactive")}</Badge>
        ) : !u.email_confirmed ? (
          <Badge tone="amber" testId="user-status">{t("invitePending")}</Badge>
        ) : (
          <Badge tone="green" testId="user-status">{common("states.active")}</Badge>
        ),
    },
    {
      id: "lastSignIn",
      header: t("columns.lastSignIn"),
      cell: ({ row: { original: u } }) => (u.last_sign_in_at ? withZone(format.dateTime(new Date(u.last_sign_in_at), "long"), locale) : t("never")),
    },
    {
      id: "actions",
      header: t("columns.actions"),
      cell: ({ row: { original: u } }) => (
        <div className="flex gap-2">
          <UserEditButton user={u} customers={customers} />
          <UserStatusButton user={u} />
          {u.id === currentUserId ? null : <UserPasswordButton user={u} supportsEmail={supportsEmail} />}
        </div>
      ),
    },
  ];

  return <DataTable columns={columns} data={rows} caption={t("caption")} empty={t("empty")} rowTestId={(u) => `user-row-${u.email}`} />;
}
