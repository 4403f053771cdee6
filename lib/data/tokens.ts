import { createHash } from "node:crypto";
import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { service } from "@/lib/db/types";
import { TOKEN_SCOPES, tokenCreatedSchema, tokenSchema, type TokenCreate } from "@/lib/schemas/tokens";

// Personal access tokens: created, listed and revoked as the user (pat_create/pat_list/pat_revoke
// check everything themselves); resolved from a presented token by the service role.

const fnCreate = defineFunction(
  "pat_create",
  z.object({ p_name: z.string(), p_scope: z.enum(TOKEN_SCOPES), p_expires_in_days: z.number().int() }),
  tokenCreatedSchema,
);
const fnList = defineFunction("pat_list", z.object({ p_all: z.boolean() }), z.array(tokenSchema));
const fnRevoke = defineFunction("pat_revoke", z.object({ p_id: z.uuid() }), tokenSchema);
const fnAuthenticate = defineFunction(
  "pat_authenticate",
  z.object({ p_token_hash: z.string().regex(/^[0-9a-f]{64}$/), p_address: z.string().max(64).optional() }),
  z.object({ token_id: z.uuid(), user_id: z.uuid(), email: z.string(), scope: z.enum(TOKEN_SCOPES), expires_at: z.string() }).nullable(),
);

// Creating a token is deliberately not idempotent: a replay would have to keep the token itself.
export function createToken(as: Caller, input: TokenCreate) {
  return call(fnCreate, { p_name: input.name, p_scope: input.scope, p_expires_in_days: input.expires_in_days }, as);
}

export function listTokens(as: Caller, all = false) {
  return call(fnList, { p_all: all }, as);
}

export function revokeToken(as: Caller, id: string) {
  return call(fnRevoke, { p_id: id }, as);
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Who a presented token belongs to (null: unknown, revoked, expired, or its user inactive). */
export function resolveToken(token: string, address: string | null) {
  return call(fnAuthenticate, { p_token_hash: tokenHash(token), p_address: address ?? undefined }, service);
}
