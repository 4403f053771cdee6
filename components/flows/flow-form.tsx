"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { buttonClass } from "@/components/ui/button";
import { FLOW_KINDS, KIND_PATHS, type FlowKind } from "@/lib/schemas/values";
import { api, networkFailure, newRequestKey } from "@/components/toolkit/api";
import { Field, RequiredMark, controlClass, errorProps } from "./form-field";
import type { CustomerOption, FlowFormValues, LocationOption, PickedItem } from "./form-types";
import { ItemPicker } from "./item-picker";
import { LineEditor, type LineStock } from "./line-editor";
import { takenQty, useWarehouseStock } from "./use-warehouse-stock";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { useLazy } from "@/components/toolkit/use-lazy";
import { validationKey, type ValidationKey } from "./validation-text";

type Props = {
  mode: "create" | "edit";
  /** The draft being edited (edit mode). */
  flowId?: string;
  initial: FlowFormValues;
  locations: LocationOption[];
  customers: CustomerOption[];
};

type Issue = { path: string; message: string; code?: string };
type CreateSchema = (typeof import("@/lib/schemas/flows"))["flowCreateSchema"];

function parseQty(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** The API body for the values: both ends for transfers, one `location_id` for the other kinds. */
function toBody(v: FlowFormValues) {
  const header = {
    customer_id: v.customerId || null,
    partner: v.partner.trim() || null,
    reference: v.reference.trim() || null,
    note: v.note.trim() || null,
  };
  const lines = v.lines.map((l) => ({ item_id: l.item.id, qty: parseQty(l.qty) }));
  if (v.kind === "transfer") return { from_location_id: v.fromId, to_location_id: v.toId, lines, ...header };
  return { location_id: v.locationId, lines, ...header };
}

/** Field key of an issue path: "location_id", or "qty:<item id>" for a line's quantity. */
function fieldOf(path: string, v: FlowFormValues): string {
  const m = /^lines\.(\d+)\.(\w+)$/.exec(path);
  if (m) {
    const line = v.lines[Number(m[1])];
    return line ? `qty:${line.item.id}` : "lines";
  }
  return path === "" ? "form" : path;
}

function issuesByField(issues: Issue[], v: FlowFormValues): Record<string, ValidationKey> {
  const out: Record<string, ValidationKey> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path, v);
    out[field] ??= validationKey(issue);
  }
  return out;
}

/** The body checked with the API's schema: one validation key per field, none when it is valid. */
function checkBody(schema: CreateSchema, v: FlowFormValues, body: ReturnType<typeof toBody>): Record<string, ValidationKey> {
  const parsed = schema(v.kind).safeParse(body);
  if (parsed.success) return {};
  return issuesByField(
    parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })),
    v,
  );
}

const isTransferKind = (kind: FlowKind) => kind === "transfer";

const LOCATION_LABEL: Record<Exclude<FlowKind, "transfer">, "locationInbound" | "locationOutbound" | "locationAdjustment"> = {
  inbound: "locationInbound",
  outbound: "locationOutbound",
  adjustment: "locationAdjustment",
};

/**
 * Creates a draft flow or edits one. Validates live with the API's own zod schema (loaded on the
 * form's first focus or send), shows the API's field errors next to the fields, and sends an
 * Idempotency-Key so a double click or a retry after a lost answer creates one flow.
 */
export function FlowForm({ mode, flowId, initial, locations, customers }: Props) {
  const t = useTranslations("flows");
  const errorText = useErrorText();
  const router = useRouter();
  const form = useForm<FlowFormValues>(initial);
  const { values, setValues, errors: serverErrors, setErrors: setServerErrors, formError, busy: pending } = form;
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  // The key of a request whose answer never arrived: resending the same body reuses it, so the
  // server replays the first answer instead of creating a second flow.
  const unanswered = useRef<{ body: string; key: string } | null>(null);

  // The API's schema (and zod with it) loads when the form is first focused or sent, not with the
  // page (docs/performance.md, page weight); until then nothing is flagged, and a send waits for it.
  const [createSchema, setCreateSchema] = useState<CreateSchema | null>(null);
  const loadSchema = useLazy(() => import("@/lib/schemas/flows").then((m) => m.flowCreateSchema));
  const ensureSchema = async () => {
    const schema = await loadSchema();
    if (schema) setCreateSchema(() => schema);
    return schema;
  };

  const body = toBody(values);
  const clientErrors = createSchema ? checkBody(createSchema, values, body) : {};

  // An outbound of goods a customer owns names that customer (the database checks it on submit).
  const owners = [...new Set(values.lines.map((l) => l.item.customer_id).filter((c): c is string => !!c))];
  const customerRule: string | undefined =
    values.kind !== "outbound" || owners.length === 0
      ? undefined
      : values.customerId === ""
        ? t("form.customerRequired")
        : owners.some((o) => o !== values.customerId)
          ? t("form.customerMismatch")
          : undefined;

  const errorFor = (field: string): string | undefined => {
    if (serverErrors[field]) return serverErrors[field];
    if (field === "customer_id" && customerRule) return customerRule;
    const key = clientErrors[field];
    return key && (submitted || touched.has(field)) ? t(`validation.${key}`) : undefined;
  };

  function update(patch: Partial<FlowFormValues>, fields: string[]) {
    setValues((v) => ({ ...v, ...patch }));
    setServerErrors((e) => {
      const next = { ...e };
      for (const f of fields) delete next[f];
      return next;
    });
  }
  const touch = (field: string) => setTouched((s) => (s.has(field) ? s : new Set(s).add(field)));

  function addItem(item: PickedItem) {
    setValues((v) => {
      const at = v.lines.findIndex((l) => l.item.id === item.id);
      // The first customer-owned item of an outbound with no customer yet names its owner.
      const customerId = v.kind === "outbound" && v.customerId === "" && item.customer_id ? item.customer_id : v.customerId;
      if (at === -1) return { ...v, customerId, lines: [...v.lines, { item, qty: "1" }] };
      // Scanning an item that is already listed counts one more of it.
      const lines = v.lines.map((l, i) => (i === at ? { ...l, qty: String((Number.isFinite(parseQty(l.qty)) ? parseQty(l.qty) : 0) + 1) } : l));
      return { ...v, lines };
    });
    setServerErrors((e) => {
      const next = { ...e };
      delete next.lines;
      return next;
    });
  }

  function focusFirstError(fields: string[]) {
    const order = ["kind", "location_id", "from_location_id", "to_location_id", "customer_id", "partner", "reference", "note"];
    const first = order.find((f) => fields.includes(f));
    if (first) {
      document.getElementById(`flow-${first}`)?.focus();
      return;
    }
    const lineIndex = values.lines.findIndex((l) => fields.includes(`qty:${l.item.id}`));
    if (lineIndex >= 0) document.getElementById(`flow-line-${lineIndex}-qty`)?.focus();
  }

  // Built at submit time: the action reads the unanswered-request ref, which render must not.
  const onSubmit = (e: FormEvent<HTMLFormElement>) =>
    form.submit(async () => {
      setSubmitted(true);
      const schema = createSchema ?? (await ensureSchema());
      if (!schema) {
        form.setFormError(errorText(networkFailure().error));
        return;
      }
      const found = checkBody(schema, values, body);
      if (Object.keys(found).length > 0 || customerRule) {
        focusFirstError([...Object.keys(found), ...(customerRule ? ["customer_id"] : [])]);
        return;
      }
      const json = JSON.stringify(body);
      const key = unanswered.current?.body === json ? unanswered.current.key : newRequestKey();
      unanswered.current = { body: json, key };
      const url = mode === "create" ? `/api/v1/${KIND_PATHS[values.kind]}` : `/api/v1/${KIND_PATHS[values.kind]}/${flowId}`;
      const res = await api<{ id: string; number: string }>(mode === "create" ? "POST" : "PATCH", url, { body, idempotencyKey: key });
      if (res.ok) {
        unanswered.current = null;
        toast.success(t(mode === "create" ? "toast.created" : "toast.saved", { number: res.data.number }));
        router.push(`/flows/${res.data.id}`);
        return;
      }
      if (res.error.code !== "network") unanswered.current = null;
      const details = Array.isArray(res.error.details) ? (res.error.details as Issue[]) : [];
      if (res.error.code === "validation_failed" && details.length > 0) {
        const byField = issuesByField(details, values);
        setServerErrors(Object.fromEntries(Object.entries(byField).map(([f, k]) => [f, t(`validation.${k}`)])));
        focusFirstError(Object.keys(byField));
      }
      const text = errorText(res.error);
      form.setFormError(text);
      toast.error(text);
    })(e);

  // Stock of each line's item in the warehouse it leaves from (or arrives at, for inbounds).
  const stockByItem = useWarehouseStock(values.lines.map((l) => l.item.id));
  const stockWarehouse = isTransferKind(values.kind) ? values.fromId : values.locationId;
  const lineStock: Record<number, LineStock> = Object.fromEntries(
    values.lines.map((l, i) => {
      if (!stockWarehouse) return [i, { available: null, short: 0 }];
      const perWarehouse = stockByItem[l.item.id];
      const available = perWarehouse === undefined ? undefined : (perWarehouse[stockWarehouse] ?? 0);
      const short = available === undefined ? 0 : Math.max(0, takenQty(values.kind, parseQty(l.qty)) - available);
      return [i, { available, short }];
    }),
  );
  const shortLines = Object.values(lineStock).filter((h) => h.short > 0).length;
  const warehouseCode = locations.find((l) => l.id === stockWarehouse)?.code ?? null;

  const lineErrors = Object.fromEntries(values.lines.map((l, i) => [i, errorFor(`qty:${l.item.id}`)]));
  const linesError = errorFor("lines");
  const isTransfer = values.kind === "transfer";
  const locationSelect = (field: "location_id" | "from_location_id" | "to_location_id", label: string, value: string, set: (id: string) => void) => {
    const id = `flow-${field}`;
    const error = errorFor(field);
    return (
      <Field id={id} label={label} error={error} required>
        <select
          {...errorProps(id, error)}
          required
          value={value}
          onChange={(e) => {
            set(e.target.value);
            touch(field);
          }}
          onBlur={() => touch(field)}
          className={controlClass(error)}
        >
          <option value="">{t("form.chooseLocation")}</option>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.code} · {l.name}
            </option>
          ))}
        </select>
      </Field>
    );
  };
  const textField = (field: "partner" | "reference", max: number) => {
    const id = `flow-${field}`;
    const error = errorFor(field);
    return (
      <Field id={id} label={t(`form.${field}`)} error={error}>
        <input
          {...errorProps(id, error)}
          type="text"
          maxLength={max}
          value={values[field]}
          onChange={(e) => update({ [field]: e.target.value }, [field])}
          onBlur={() => touch(field)}
          className={controlClass(error)}
        />
      </Field>
    );
  };

  return (
    <form {...form.formProps} onFocus={() => void ensureSchema()} onSubmit={onSubmit} noValidate className="space-y-6" aria-describedby={formError ? "flow-form-error" : undefined}>
      {formError ? (
        <p id="flow-form-error" role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {formError}
        </p>
      ) : null}
      <fieldset className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-2">
        <legend className="px-1 text-base font-semibold text-slate-900">{t("form.header")}</legend>
        <Field id="flow-kind" label={t("form.kind")} hint={mode === "edit" ? t("form.kindFixed") : undefined} required>
          <select
            id="flow-kind"
            required
            value={values.kind}
            disabled={mode === "edit"}
            onChange={(e) => update({ kind: e.target.value as FlowKind }, ["kind", "lines"])}
            className={controlClass()}
          >
            {FLOW_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {isTransfer ? (
          <>
            {locationSelect("from_location_id", t("form.locationFrom"), values.fromId, (id) => update({ fromId: id }, ["from_location_id"]))}
            {locationSelect("to_location_id", t("form.locationTo"), values.toId, (id) => update({ toId: id }, ["to_location_id"]))}
          </>
        ) : (
          locationSelect("location_id", t(`form.${LOCATION_LABEL[values.kind as Exclude<FlowKind, "transfer">]}`), values.locationId, (id) =>
            update({ locationId: id }, ["location_id"]),
          )
        )}
        {customers.length > 0 ? (
          <Field
            id="flow-customer_id"
            label={t("form.customer")}
            required={owners.length > 0 && values.kind === "outbound"}
            hint={values.kind === "outbound" ? t("form.customerHint") : undefined}
            error={errorFor("customer_id")}
          >
            <select
              {...errorProps("flow-customer_id", errorFor("customer_id"))}
              required={owners.length > 0 && values.kind === "outbound"}
              value={values.customerId}
              onChange={(e) => update({ customerId: e.target.value }, ["customer_id"])}
              className={controlClass(errorFor("customer_id"))}
            >
              <option value="">{t("form.noCustomer")}</option>
              {customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.code} · {c.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {textField("partner", 200)}
        {textField("reference", 200)}
        <Field id="flow-note" label={t("form.note")} error={errorFor("note")} className="md:col-span-2">
          <textarea
            {...errorProps("flow-note", errorFor("note"))}
            rows={3}
            maxLength={2000}
            value={values.note}
            onChange={(e) => update({ note: e.target.value }, ["note"])}
            onBlur={() => touch("note")}
            className={controlClass(errorFor("note"))}
          />
        </Field>
      </fieldset>

      <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <legend className="px-1 text-base font-semibold text-slate-900">
          {t("form.lines")}
          <RequiredMark />
        </legend>
        {values.kind === "adjustment" ? <p className="text-sm text-slate-700">{t("form.adjustmentHint")}</p> : null}
        <ItemPicker onPick={addItem} invalid={!!linesError} />
        <LineEditor
          lines={values.lines}
          stock={lineStock}
          warehouseCode={warehouseCode}
          errors={lineErrors}
          allowNegative={values.kind === "adjustment"}
          onQty={(i, qty) => {
            const itemId = values.lines[i]?.item.id;
            update({ lines: values.lines.map((l, j) => (j === i ? { ...l, qty } : l)) }, [`qty:${itemId}`]);
          }}
          onBlurQty={(i) => touch(`qty:${values.lines[i]?.item.id}`)}
          onRemove={(i) => update({ lines: values.lines.filter((_, j) => j !== i) }, ["lines"])}
        />
        {linesError ? <p className="text-sm text-red-800">{linesError}</p> : null}
        {shortLines > 0 ? (
          <p role="status" data-testid="form-shortfall" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
            {t("stock.formWarning", { count: shortLines })}
          </p>
        ) : null}
      </fieldset>

      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={pending} className={buttonClass("primary")} data-testid="flow-save">
          {pending ? t("form.saving") : mode === "create" ? t("form.create") : t("form.save")}
        </button>
        <Link href={mode === "create" ? "/flows" : `/flows/${flowId}`} className={buttonClass("secondary")}>
          {t("form.cancel")}
        </Link>
      </div>
    </form>
  );
}
