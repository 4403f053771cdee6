import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { ROLES } from "@/lib/auth/permissions";

const control = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900";

/** Search and filters of /admin/users: a plain GET form, so the filters live in the URL. */
export async function UserFilters({ values }: { values: Record<string, string> }) {
  const t = await getTranslations("admin.users.filters");
  const common = await getTranslations("common");
  return (
    <form method="get" action="/admin/users" role="search" aria-label={t("label")} className="mb-4 flex flex-wrap items-end gap-3">
      <div className="min-w-48 flex-1">
        <label htmlFor="users-q" className="block text-sm font-medium text-slate-800">
          {t("search")}
        </label>
        <input id="users-q" name="q" type="search" defaultValue={values.q ?? ""} placeholder={t("searchPlaceholder")} maxLength={100} className={control} />
      </div>
      <div>
        <label htmlFor="users-role" className="block text-sm font-medium text-slate-800">
          {t("role")}
        </label>
        <select id="users-role" name="role" defaultValue={values.role ?? ""} className={control}>
          <option value="">{t("anyRole")}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {common(`roles.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="users-active" className="block text-sm font-medium text-slate-800">
          {t("status")}
        </label>
        <select id="users-active" name="active" defaultValue={values.active ?? ""} className={control}>
          <option value="">{t("anyStatus")}</option>
          <option value="true">{common("states.active")}</option>
          <option value="false">{common("states.inactive")}</option>
        </select>
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("primary")}>
          {t("apply")}
        </button>
        {Object.keys(values).some((k) => k !== "page") ? (
          <Link href="/admin/users" className={buttonClass("ghost")}>
            {t("clear")}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
