import "@/lib/zod-setup";
import { z } from "zod";

// Shared pieces of the API's zod schemas.

export const idSchema = z.uuid({ message: "Must be an id (UUID)" });
export const idParams = z.object({ id: idSchema });

/** ?page=&limit= (page from 1, limit 1..100, default 10). */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(10),
};

/** "true" / "false" in a query string. */
export const boolQuery = z.enum(["true", "false"]).transform((v) => v === "true");

/** Free-text search: trimmed, bounded, empty means none. */
export const searchQuery = z
  .string()
  .max(100)
  .transform((v) => v.trim())
  .transform((v) => (v === "" ? undefined : v));

export const dateQuery = z.iso.datetime({ offset: true }).or(z.iso.date());

/** Optional free text in a body: bounded; empty string clears it. */
export const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/**
 * The decimals of a number as it is written (JSON and the database see the same shortest form:
 * 1.001 has 3, 1.0005 has 4, 1e-7 has 7). Multiplying by 10^n instead misjudges 1.001 and 1.15.
 */
export function decimalPlaces(v: number): number {
  const [mantissa, exponent] = String(Math.abs(v)).split("e");
  return Math.max(0, (mantissa.split(".")[1] ?? "").length - Number(exponent ?? 0));
}

/** A number a numeric(p, n) column stores without rounding (the SQL functions refuse the rest too). */
export const atMostDecimals = (n: number) => (v: number) => decimalPlaces(v) <= n;

/** Quantities: up to 3 decimals, bounded well inside numeric(14,3). */
export const quantity = z
  .number({ message: "Must be a number" })
  .finite()
  .refine((v) => Math.abs(v) <= 1_000_000_000, "Too large")
  .refine(atMostDecimals(3), "At most 3 decimals");

export const code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, "2–32 letters, digits, - or _");
