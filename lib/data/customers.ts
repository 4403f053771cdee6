import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import type { CustomerCreate, CustomerListQuery, CustomerPatch } from "@/lib/schemas/customers";
import { localeSchema } from "@/lib/schemas/profile";
import { actorArg, pageOf } from "./results";

// Customer companies, for staff: list, one with its users and counts, create, update. The
// database functions refuse anyone who is not active staff; customers never call these.

const customerBase = {
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  business_number: z.string().nullable(),
  contact_name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const customerListRow = z.object({ ...customerBase, user_count: z.number().int(), open_inspections: z.number().int() });
export type CustomerListRow = z.infer<typeof customerListRow>;

export const customerUser = z.object({
  id: z.uuid(),
  email: z.string(),
  display_name: z.string(),
  locale: localeSchema,
  active: z.boolean(),
  created_at: z.string(),
});
export type CustomerUser = z.infer<typeof customerUser>;

export const customerDetail = z.object({
  ...customerBase,
  users: z.array(customerUser),
  stats: z.object({
    inspections: z.number().int(),
    open_inspections: z.number().int(),
    shipments: z.number().int(),
    items: z.number().int(),
  }),
});
export type CustomerDetail = z.infer<typeof customerDetail>;

export const fnCustomersList = defineFunction(
  "customers_list",
  z.object({ p_q: z.string().optional(), p_active: z.boolean().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  pageOf(customerListRow),
);
export const fnCustomerGet = defineFunction("customer_get", z.object({ p_id: z.uuid(), ...actorArg }), customerDetail);
export const fnCustomerCreate = defineFunction("customer_create", z.object({ p_data: z.record(z.string(), z.unknown()), ...actorArg }), customerDetail);
export const fnCustomerUpdate = defineFunction(
  "customer_update",
  z.object({ p_id: z.uuid(), p_patch: z.record(z.string(), z.unknown()), ...actorArg }),
  customerDetail,
);

export function listCustomers(as: Caller, q: CustomerListQuery) {
  return call(fnCustomersList, { p_q: q.q, p_active: q.active, p_page: q.page, p_limit: q.limit }, as);
}

export function getCustomer(as: Caller, id: string) {
  return call(fnCustomerGet, { p_id: id }, as);
}

export function createCustomer(as: Caller, input: CustomerCreate, idem?: Idempotency) {
  return callWrite(fnCustomerCreate, { p_data: input }, as, idem);
}

export function updateCustomer(as: Caller, id: string, patch: CustomerPatch, idem?: Idempotency) {
  return callWrite(fnCustomerUpdate, { p_id: id, p_patch: patch }, as, idem);
}
