import "server-only";
import type { Readable } from "node:stream";
import { z } from "zod";
import { databaseMode, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isUnavailable, outageFailure, outageOver } from "./outage";
import { toAppError } from "./to-app-error";
import type { Caller, CopyFormat, DbFunction, Transport } from "./types";

// The database port. Route handlers and server components call database functions here and
// nowhere else; which transport runs them depends on the environment.

const holder = globalThis as unknown as { __dulyDb?: Promise<Transport> };

async function createTransport(): Promise<Transport> {
  const e = env();
  const mode = databaseMode(e);
  const statementTimeoutMs = e.DB_STATEMENT_TIMEOUT_MS;
  if (mode === "supabase") {
    const { SupabaseTransport } = await import("./supabase");
    log.info("database.mode", { mode, url: e.NEXT_PUBLIC_SUPABASE_URL });
    return new SupabaseTransport({
      url: e.NEXT_PUBLIC_SUPABASE_URL!,
      anonKey: e.NEXT_PUBLIC_SUPABASE_ANON_KEY!,
      serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY!,
      // Supabase applies its own statement timeouts per role; this bounds the whole HTTP call.
      requestTimeoutMs: e.DB_CONNECT_TIMEOUT_MS + statementTimeoutMs,
    });
  }
  if (mode === "postgres") {
    const { PostgresTransport, createPool } = await import("./postgres");
    log.info("database.mode", { mode });
    return new PostgresTransport(createPool(e.DATABASE_URL!, { connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS }), { statementTimeoutMs });
  }
  const { openEmbedded } = await import("./embedded");
  return openEmbedded(e.DATA_DIR, e.SEED_DEMO_DATA === "true", statementTimeoutMs);
}

/** The process-wide transport (one PGlite per process: kept on globalThis across reloads). */
export function getTransport(): Promise<Transport> {
  if (!holder.__dulyDb) {
    holder.__dulyDb = createTransport().catch((error) => {
      holder.__dulyDb = undefined;
      throw error;
    });
  }
  return holder.__dulyDb;
}

/**
 * Closes the process-wide transport if one was opened (shutdown): PGlite finishes the queued
 * transactions and writes its files; a Postgres pool ends its connections.
 */
export async function closeTransport(): Promise<void> {
  const pending = holder.__dulyDb;
  // A request that arrives while the server stops gets 503, rather than opening the database again.
  const closed = Promise.reject(new AppError("unavailable", "The server is shutting down"));
  closed.catch(() => undefined);
  holder.__dulyDb = closed;
  const transport = await pending?.catch(() => undefined);
  await transport?.close();
}

/** Whether the process has opened (or is opening) its transport. */
export function transportOpened(): boolean {
  return holder.__dulyDb !== undefined;
}

/** Use this transport instead of the one the environment selects (tests, scripts). */
export function setTransport(transport: Transport | undefined): void {
  holder.__dulyDb = transport ? Promise.resolve(transport) : undefined;
}

/**
 * transport.rpc with its failures as the app answers them: a database that cannot answer is a 503
 * (an outage, logged once), a database error an AppError where it maps to one. Every call of a
 * database function goes through here.
 */
export async function rpc(transport: Transport, fn: string, args: Record<string, unknown>, as: Caller): Promise<unknown> {
  let raw: unknown;
  try {
    raw = await transport.rpc(fn, args, as);
  } catch (error) {
    if (isUnavailable(error)) throw outageFailure(error, fn);
    throw toAppError(error) ?? error;
  }
  outageOver();
  return raw;
}

/**
 * `COPY (query) TO STDOUT` as the caller, streamed, where the transport can (Postgres); null
 * where it cannot (PGlite, Supabase), and the caller reads through functions instead.
 */
export async function copyOut(query: string, as: Caller, timeoutMs: number, format: CopyFormat = "csv"): Promise<Readable | null> {
  const transport = await getTransport();
  if (!transport.copyOut) return null;
  try {
    return (await transport.copyOut(query, as, timeoutMs, format)) as Readable;
  } catch (error) {
    if (isUnavailable(error)) throw outageFailure(error, "copy");
    throw toAppError(error) ?? error;
  }
}

/** Calls a database function with validated arguments and a validated result. */
export async function call<A extends z.ZodType, R extends z.ZodType>(
  fn: DbFunction<A, R>,
  args: z.input<A>,
  as: Caller,
): Promise<z.output<R>> {
  const parsedArgs = fn.args.parse(args) as Record<string, unknown>;
  const transport = await getTransport();
  const raw = await rpc(transport, fn.name, parsedArgs, as);
  const result = fn.result.safeParse(raw);
  if (!result.success) {
    throw new AppError("internal_error", `Unexpected result from ${fn.name}`);
  }
  return result.data;
}

/** An Idempotency-Key and the hash of the request it came with (see rpc_idempotent). */
export type Idempotency = { key: string; hash: string; replayed: boolean };

const idempotentResult = z.object({ replayed: z.boolean(), result: z.unknown() });

/**
 * Calls a write function; with an Idempotency-Key it runs through rpc_idempotent, in the same
 * transaction as the key, so a retry replays the first result instead of writing again.
 */
export async function callWrite<A extends z.ZodType, R extends z.ZodType>(
  fn: DbFunction<A, R>,
  args: z.input<A>,
  as: Caller,
  idempotency?: Idempotency,
): Promise<z.output<R>> {
  if (!idempotency) return call(fn, args, as);
  const wrapped = defineFunction(
    "rpc_idempotent",
    z.object({ p_key: z.string(), p_hash: z.string(), p_fn: z.string(), p_args: z.unknown(), p_actor: z.unknown().optional() }),
    idempotentResult,
  );
  const parsed = fn.args.parse(args) as Record<string, unknown>;
  // The service role acts for the actor it names: that actor's key namespace, and the inner call's p_actor.
  const actor = as.role === "service_role" ? parsed.p_actor : undefined;
  const out = await call(wrapped, { p_key: idempotency.key, p_hash: idempotency.hash, p_fn: fn.name, p_args: parsed, p_actor: actor }, as);
  idempotency.replayed = out.replayed;
  const result = fn.result.safeParse(out.result);
  if (!result.success) throw new AppError("internal_error", `Unexpected result from ${fn.name}`);
  return result.data;
}

export function defineFunction<A extends z.ZodType, R extends z.ZodType>(name: string, args: A, result: R): DbFunction<A, R> {
  return { name, args, result };
}

export type { Caller, Transport } from "./types";
export { anon, service } from "./types";
