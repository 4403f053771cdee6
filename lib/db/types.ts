import type { z } from "zod";
import type { DatabaseMode } from "@/lib/env";

/** The JWT claims a request runs with, as Supabase issues them. */
export type JwtClaims = {
  sub: string;
  role: "authenticated";
  email?: string;
  aud?: string;
  exp?: number;
  iat?: number;
  session_id?: string;
  /** A personal access token's id and scope: the request runs while that token is live. */
  pat_id?: string;
  pat_scope?: "read" | "read_write";
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  /** How the session was opened (Supabase Auth): `[{method: "password" | "recovery" | …, timestamp}]`. */
  amr?: { method: string; timestamp?: number }[];
};

/** Who a database call runs as: PostgREST's three roles. */
export type Caller =
  | { role: "anon" }
  | { role: "service_role" }
  | { role: "authenticated"; userId: string; claims: JwtClaims; accessToken?: string };

export const anon: Caller = { role: "anon" };
export const service: Caller = { role: "service_role" };

export type RpcArgs = Record<string, unknown>;

export type CopyFormat = "csv" | "text";

/** A transport runs one database function in one transaction as one caller. */
export interface Transport {
  readonly mode: DatabaseMode;
  rpc(fn: string, args: RpcArgs, caller: Caller): Promise<unknown>;
  /**
   * `COPY (query) TO STDOUT` as the caller (their role and claims, so row-level security and
   * grants apply), streamed: only transports with a connection of their own (Postgres). The
   * first chunk has arrived when it resolves, so a refusal is still an error here. `format`:
   * COPY's csv, or its text format (tab-separated, backslash escapes, `\N` for null), which is
   * the cheaper of the two to read back line by line.
   */
  copyOut?(query: string, caller: Caller, timeoutMs: number, format?: CopyFormat): Promise<NodeJS.ReadableStream & AsyncIterable<Buffer>>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A database function with typed arguments and result. */
export type DbFunction<A extends z.ZodType, R extends z.ZodType> = {
  readonly name: string;
  readonly args: A;
  readonly result: R;
};

// Branded for the same reason as AppError: `instanceof` must hold across duplicated bundles.
const DB_ERROR = Symbol.for("duly.DbError");

/** An error raised by the database, in PostgREST's shape. */
export class DbError extends Error {
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;
  readonly [DB_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DB_ERROR] === true;
  }

  constructor(code: string, message: string, details: string | null = null, hint: string | null = null) {
    super(message);
    this.name = "DbError";
    this.code = code;
    this.details = details;
    this.hint = hint;
  }
}
