import "@/lib/zod-setup";
import { z } from "zod";
import { boolQuery } from "./common";

// Personal access tokens (docs/api.md, "Tokens").

import { TOKEN_SCOPES } from "./values";

export { TOKEN_EXPIRY_DAYS, TOKEN_SCOPES, type TokenScope } from "./values";

/** What a token looks like: the prefix, then 64 hex digits. */
export const TOKEN_PATTERN = /^duly_pat_[0-9a-f]{64}$/;

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100, "At most 100 characters"),
  scope: z.enum(TOKEN_SCOPES),
  expires_in_days: z.union([z.literal(30), z.literal(90), z.literal(365)], { message: "30, 90 or 365" }),
});
export type TokenCreate = z.infer<typeof tokenCreateSchema>;

/** ?all=true: every user's tokens (admins). */
export const tokenListQuery = z.object({ all: boolQuery.optional() });

export const tokenSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  user_email: z.string(),
  user_name: z.string(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  token_prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
  last_used_at: z.string().nullable(),
  last_used_address: z.string().nullable(),
  revoked_at: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type Token = z.infer<typeof tokenSchema>;

/** The answer to POST /api/v1/tokens: the only time the token itself is shown. */
export const tokenCreatedSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  expires_at: z.string(),
  token_prefix: z.string(),
  token: z.string().regex(TOKEN_PATTERN),
});
