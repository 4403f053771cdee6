import { createClient, type RealtimeClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Caller, RpcArgs, Transport } from "./types";
import { DbError } from "./types";

// Supabase: PostgREST does the transaction, role and claims; we send the right key.
// The service-role key never leaves the server: this module is only imported by server code.

export type SupabaseTransportConfig = {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  fetch?: typeof fetch;
  /** Stop waiting for PostgREST after this long (a hung database or network answers 503, not never). */
  requestTimeoutMs?: number;
  /** Realtime socket timing (tests shorten the 25 s heartbeat; production keeps the defaults). */
  realtime?: { heartbeatIntervalMs?: number };
};

/** The configured fetch, cut off after requestTimeoutMs (with the caller's own signal kept). */
function timedFetch(cfg: SupabaseTransportConfig): typeof fetch | undefined {
  const base = cfg.fetch;
  const ms = cfg.requestTimeoutMs;
  if (!ms) return base;
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return (base ?? fetch)(input, { ...init, signal });
  };
}

const clientOptions = (cfg: SupabaseTransportConfig, headers?: Record<string, string>) => {
  const f = timedFetch(cfg);
  return {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { ...(headers ? { headers } : {}), ...(f ? { fetch: f } : {}) },
  };
};

export class SupabaseTransport implements Transport {
  readonly mode = "supabase" as const;
  private readonly serviceClient: SupabaseClient;
  private readonly anonClient: SupabaseClient;

  constructor(private readonly cfg: SupabaseTransportConfig) {
    this.serviceClient = createClient(cfg.url, cfg.serviceRoleKey, clientOptions(cfg));
    this.anonClient = createClient(cfg.url, cfg.anonKey, clientOptions(cfg));
  }

  private clientFor(caller: Caller): SupabaseClient {
    if (caller.role === "service_role") return this.serviceClient;
    if (caller.role === "anon") return this.anonClient;
    if (!caller.accessToken) throw new DbError("PGRST301", "A user call needs the user's access token");
    // The user's own JWT: PostgREST verifies it and runs as `authenticated` with its claims.
    return createClient(this.cfg.url, this.cfg.anonKey, clientOptions(this.cfg, { Authorization: `Bearer ${caller.accessToken}` }));
  }

  async rpc(fn: string, args: RpcArgs, caller: Caller): Promise<unknown> {
    const { data, error } = await this.clientFor(caller).rpc(fn, args);
    if (error) {
      // No code: PostgREST never answered (fetch failed or was cut off by the timeout).
      if (!error.code) throw new DbError("08006", "Supabase did not answer", null, null);
      throw new DbError(error.code, error.message, error.details ?? null, error.hint ?? null);
    }
    return data;
  }

  /**
   * A Realtime client of its own, with the service-role key (server only: the message hub's one
   * channel per process; RLS is applied afterwards, when each stream reads as its user).
   */
  realtimeClient(): RealtimeClient {
    return createClient(this.cfg.url, this.cfg.serviceRoleKey, { ...clientOptions(this.cfg), realtime: { ...this.cfg.realtime } }).realtime;
  }

  async ping(): Promise<void> {
    await this.rpc("health_check", {}, { role: "service_role" });
  }

  async close(): Promise<void> {}
}
