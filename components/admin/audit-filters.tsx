import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { AUDIT_EVENTS } from "@/lib/schemas/users";

const control = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900";
const label = "block text-sm font-medium text-slate-800";

type Props = {
  values: Record<string, string>;
  actors: { id: string; email: string; display_name: string }[];
  tables: string[];
};

/** Filters of /admin/audit: a plain GET form, so filters and page live in the URL. */
export async function AuditFilters({ values, actors, tables }: Props) {
  const t = await getTranslations("admin.audit");
  const events = await getTranslations("audit.events");
  const tableLabel = (name: string) => (t.has(`tables.${name}`) ? t(`tables.${name}`) : name);
  return (
    <form method="get" action="/admin/audit" role="search" aria-label={t("filters.label")} className="mb-4 grid grid-cols-2 items-end gap-3 md:grid-cols-3 lg:grid-cols-6">
      <div className="col-span-2 md:col-span-1">
        <label htmlFor="audit-actor" className={label}>
          {t("filters.actor")}
        </label>
        <select id="audit-actor" name="actor_id" defaultValue={values.actor_id ?? ""} className={control}>
          <option value="">{t("filters.anyActor")}</option>
          {actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.display_name ? `${a.display_name} (${a.email})` : a.email}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-table" className={label}>
          {t("filters.table")}
        </label>
        <select id="audit-table" name="table" defaultValue={values.table ?? ""} className={control}>
          <option value="">{t("filters.anyTable")}</option>
          {tables.map((name) => (
            <option key={name} value={name}>
              {tableLabel(name)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-action" className={label}>
          {t("filters.action")}
        </label>
        <select id="audit-action" name="action" defaultValue={values.action ?? ""} className={control}>
          <option value="">{t("filters.anyAction")}</option>
          {AUDIT_EVENTS.map((e) => (
            <option key={e} value={e}>
              {events(e)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-from" className={label}>
          {t("filters.from")}
        </label>
        <input id="audit-from" name="from" type="date" defaultValue={values.from ?? ""} className={control} />
      </div>
      <div>
        <label htmlFor="audit-to" className={label}>
          {t("filters.to")}
        </label>
        <input id="audit-to" name="to" type="date" defaultValue={values.to ?? ""} className={control} />
      </div>
      <div className="col-span-2 flex flex-wrap items-center gap-3 md:col-span-3 lg:col-span-6">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="security" value="true" defaultChecked={values.security === "true"} className="h-4 w-4" />
          {t("filters.securityOnly")}
        </label>
        <button type="submit" className={buttonClass("primary")}>
          {t("filters.apply")}
        </button>
        {Object.keys(values).some((k) => k !== "page") ? (
          <Link href="/admin/audit" className={buttonClass("ghost")}>
            {t("filters.clear")}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
