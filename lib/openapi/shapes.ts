import { z } from "zod";
import { ERROR_STATUS } from "@/lib/errors";

// The answers every route shares: the envelopes and the error shape, as zod schemas the
// document is generated from (lib/openapi/document.ts).

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .describe("Every error: a code from a closed set (its HTTP status is fixed per code), a message, and details for some codes (field errors for validation_failed).");

/** What an operation answers with on success. */
export type Answer =
  | { kind: "json"; status: number; schema: z.ZodType; description: string }
  | { kind: "file"; status: number; contentTypes: string[]; description: string }
  | { kind: "stream"; status: number; description: string }
  | { kind: "redirect"; status: number; description: string };

/** `{data}`. */
export function data(schema: z.ZodType, status = 200, description = "The record"): Answer {
  return { kind: "json", status, schema: z.object({ data: schema }), description };
}

/**
 * A list page: `{data, page, limit, count}` (?page= from 1, ?limit= 1..100). A list that may
 * estimate a large count (the items, the stock, the flows, the inspections, the files, the audit log) adds `count_exact`; when it is false, `count` is an estimate.
 */
export function page(row: z.ZodType, description = "One page of the list"): Answer {
  return {
    kind: "json",
    status: 200,
    schema: z.object({
      data: z.array(row),
      page: z.number().int(),
      limit: z.number().int(),
      count: z.number().int().describe("Matching rows; an estimate when count_exact is false"),
      count_exact: z
        .boolean()
        .optional()
        .describe("Present on lists that count exactly only when it is cheap (items: always without a filter, up to 1,000 matches with one; stock, flows, inspections, files and audit log: up to 1,000 rows; the low-stock list always); false: count is the database's estimate"),
    }),
    description,
  };
}

/** Any JSON body of the given shape (lists with a cursor, the legacy endpoints). */
export function body(schema: z.ZodType, status = 200, description = "The answer"): Answer {
  return { kind: "json", status, schema, description };
}

export function file(contentTypes: string[], description = "The file"): Answer {
  return { kind: "file", status: 200, contentTypes, description };
}

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV = "text/csv";
