-- Personal access tokens (issue 16): a script or another system acts as one user with
-- `Authorization: Bearer duly_pat_<64 hex>`. Only the token's SHA-256 is stored; the token itself
-- is shown once, by pat_create.
--
-- Access intent
--   personal_access_tokens: a user reads their own tokens, an admin everyone's (RLS; the hash
--   column is not granted to anyone but the service role). Written only by the functions below.
--   personal_access_token_addresses: the addresses each token was used from, so that a use from a
--   new one is audited once; service role only.
--   pat_create / pat_list / pat_revoke: the authenticated surface. Tokens are managed from a
--   signed-in session only: a request made with a token may list but not create or revoke.
--   pat_authenticate: service role only. The app hashes the presented token and asks who it is;
--   the answer's user is then the caller of every function of the request, with claims naming
--   the token (pat_id), and private.session_is_live() holds such a caller to a live token, just
--   as it holds a browser's caller to a live session. So revocation, expiry and deactivation end
--   a token's access at once, in every function and every policy.

-- ---------------------------------------------------------------------------------------------
-- personal_access_tokens
-- ---------------------------------------------------------------------------------------------

create table public.personal_access_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  name text not null,
  scope text not null,
  token_hash text not null unique,
  -- The first characters of the token, to tell tokens apart in lists (duly_pat_1a2b).
  token_prefix text not null,
  expires_at timestamptz not null,
  last_used_at timestamptz,
  last_used_address text,
  revoked_at timestamptz,
  revoked_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint personal_access_tokens_scope_valid check (scope in ('read', 'read_write')),
  constraint personal_access_tokens_name_length check (char_length(name) between 1 and 100),
  constraint personal_access_tokens_address_length check (coalesce(char_length(last_used_address), 0) <= 64)
);
create index personal_access_tokens_user_idx on public.personal_access_tokens (user_id, created_at desc);

alter table public.personal_access_tokens enable row level security;
revoke all on public.personal_access_tokens from anon, authenticated;
grant select (id, user_id, name, scope, token_prefix, expires_at, last_used_at, last_used_address, revoked_at, revoked_by, created_at, updated_at)
  on public.personal_access_tokens to authenticated;
grant select, insert, update, delete on public.personal_access_tokens to service_role;

create policy "Users read their own tokens, admins every token"
  on public.personal_access_tokens for select to authenticated
  using (user_id = (select private.actor(null)) or (select private.app_role()) = 'admin');

create table public.personal_access_token_addresses (
  token_id uuid not null references public.personal_access_tokens (id) on delete cascade,
  address text not null,
  first_seen_at timestamptz not null default now(),
  primary key (token_id, address),
  constraint personal_access_token_addresses_length check (char_length(address) <= 64)
);
alter table public.personal_access_token_addresses enable row level security;
revoke all on public.personal_access_token_addresses from anon, authenticated;
grant select, insert, delete on public.personal_access_token_addresses to service_role;

-- ---------------------------------------------------------------------------------------------
-- The identity check: a caller whose claims name a token is live while that token is
-- ---------------------------------------------------------------------------------------------

create or replace function private.session_is_live()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_claims jsonb := auth.jwt();
  v_pat text := v_claims ->> 'pat_id';
  v_sid text := v_claims ->> 'session_id';
  v_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
begin
  if v_pat is not null then
    if v_pat !~* v_uuid then
      return false;
    end if;
    -- Unrevoked, unexpired, and its user still active (a deactivation ends no token row, so it is
    -- checked here; a role or company change needs nothing: the token acts with the current ones).
    return exists (
      select 1
      from public.personal_access_tokens t
      join public.profiles p on p.id = t.user_id and p.active
      where t.id = v_pat::uuid and t.user_id = auth.uid() and t.revoked_at is null and t.expires_at > now()
    );
  end if;
  -- A token without a session_id, or with one that is not a uuid, names no session.
  if v_sid is null or v_sid !~* v_uuid then
    return false;
  end if;
  return exists (
    select 1 from auth.sessions s
    where s.id = v_sid::uuid and s.user_id = auth.uid() and (s.not_after is null or s.not_after > now())
  );
end;
$$;
revoke all on function private.session_is_live() from public, anon;
grant execute on function private.session_is_live() to authenticated, service_role;

-- A token as lists show it (never its hash).
create or replace function private.pat_json(t public.personal_access_tokens)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', t.id,
    'user_id', t.user_id,
    'user_email', p.email,
    'user_name', p.display_name,
    'name', t.name,
    'scope', t.scope,
    'token_prefix', t.token_prefix,
    'created_at', t.created_at,
    'expires_at', t.expires_at,
    'last_used_at', t.last_used_at,
    'last_used_address', t.last_used_address,
    'revoked_at', t.revoked_at,
    'status', case when t.revoked_at is not null then 'revoked' when t.expires_at <= now() then 'expired' else 'active' end
  )
  from public.profiles p where p.id = t.user_id
$$;
revoke all on function private.pat_json(public.personal_access_tokens) from public, anon, authenticated;

-- Managing tokens needs a signed-in session: a token cannot mint or revoke tokens.
create or replace function private.require_session_not_token()
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.actor(null);
begin
  if v_uid is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if auth.jwt() ? 'pat_id' then
    perform private.fail('forbidden', 'Tokens are managed from a signed-in session, not with a token');
  end if;
  return v_uid;
end;
$$;
revoke all on function private.require_session_not_token() from public, anon;
grant execute on function private.require_session_not_token() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The authenticated surface
-- ---------------------------------------------------------------------------------------------

-- A new token for the caller: {id, name, scope, expires_at, token}. The token is made here from
-- 32 random bytes and returned this once; only its hash is kept.
create or replace function public.pat_create(p_name text, p_scope text, p_expires_in_days int)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_session_not_token();
  v_name text := trim(coalesce(p_name, ''));
  v_token text := 'duly_pat_' || encode(extensions.gen_random_bytes(32), 'hex');
  v_row public.personal_access_tokens;
begin
  if (select p.active from public.profiles p where p.id = v_uid) is not true then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  if char_length(v_name) not between 1 and 100 then
    perform private.fail('validation_failed', 'Some fields are missing or invalid', '[{"path":"name","message":"1 to 100 characters"}]');
  end if;
  if p_scope is null or p_scope not in ('read', 'read_write') then
    perform private.fail('validation_failed', 'Some fields are missing or invalid', '[{"path":"scope","message":"read or read_write"}]');
  end if;
  if p_expires_in_days is null or p_expires_in_days not in (30, 90, 365) then
    perform private.fail('validation_failed', 'Some fields are missing or invalid', '[{"path":"expires_in_days","message":"30, 90 or 365"}]');
  end if;
  -- A bound on what one account can hold: live tokens only.
  if (select count(*) from public.personal_access_tokens t
      where t.user_id = v_uid and t.revoked_at is null and t.expires_at > now()) >= 50 then
    perform private.fail('conflict', 'At most 50 active tokens per user; revoke one first');
  end if;
  insert into public.personal_access_tokens (user_id, name, scope, token_hash, token_prefix, expires_at)
  values (v_uid, v_name, p_scope, encode(extensions.digest(v_token, 'sha256'), 'hex'), left(v_token, 13),
          now() + make_interval(days => p_expires_in_days))
  returning * into v_row;
  perform private.record_security_event('personal_access_tokens', v_row.id::text,
    jsonb_build_object('event', 'created', 'name', v_row.name, 'scope', v_row.scope, 'expires_at', v_row.expires_at, 'user_id', v_uid), v_uid);
  return jsonb_build_object('id', v_row.id, 'name', v_row.name, 'scope', v_row.scope, 'expires_at', v_row.expires_at,
                            'token_prefix', v_row.token_prefix, 'token', v_token);
end;
$$;
revoke all on function public.pat_create(text, text, int) from public, anon, service_role;
grant execute on function public.pat_create(text, text, int) to authenticated;

-- The caller's tokens, newest first; with p_all (admins only) everyone's.
create or replace function public.pat_list(p_all boolean default false)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.actor(null);
  v_role text := private.actor_role(null);
begin
  -- actor_role is null for a deactivated user: they list nothing.
  if v_uid is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if coalesce(p_all, false) and v_role is distinct from 'admin' then
    perform private.fail('forbidden', 'Only admins see every token');
  end if;
  return coalesce((
    select jsonb_agg(private.pat_json(t) order by t.created_at desc, t.id)
    from public.personal_access_tokens t
    where coalesce(p_all, false) or t.user_id = v_uid
  ), '[]'::jsonb);
end;
$$;
revoke all on function public.pat_list(boolean) from public, anon, service_role;
grant execute on function public.pat_list(boolean) to authenticated;

-- Revokes one of the caller's tokens (an admin: anyone's). Another's token is not found for a
-- non-admin. Revoking a revoked token answers it as it is.
create or replace function public.pat_revoke(p_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_session_not_token();
  v_row public.personal_access_tokens;
begin
  select * into v_row from public.personal_access_tokens t
  where t.id = p_id and (t.user_id = v_uid or private.actor_role(null) = 'admin')
  for update;
  if not found then
    perform private.fail('not_found', 'Not found');
  end if;
  if v_row.revoked_at is null then
    update public.personal_access_tokens
    set revoked_at = now(), revoked_by = v_uid, updated_at = now()
    where id = p_id
    returning * into v_row;
    perform private.record_security_event('personal_access_tokens', v_row.id::text,
      jsonb_build_object('event', 'revoked', 'name', v_row.name, 'user_id', v_row.user_id, 'revoked_by', v_uid), v_uid);
  end if;
  return private.pat_json(v_row);
end;
$$;
revoke all on function public.pat_revoke(uuid) from public, anon, service_role;
grant execute on function public.pat_revoke(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Service role: who a presented token is
-- ---------------------------------------------------------------------------------------------

-- The token's user and scope for a SHA-256 the app computed, or null (unknown, revoked, expired,
-- user inactive). Records the last use (at most once a minute per address) and audits the
-- first use from each address.
create or replace function public.pat_authenticate(p_token_hash text, p_address text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_row public.personal_access_tokens;
  v_email text;
  v_address text := left(nullif(trim(coalesce(p_address, '')), ''), 64);
  v_new int;
begin
  perform set_config('synchronous_commit', 'off', true);
  select t.* into v_row
  from public.personal_access_tokens t
  join public.profiles p on p.id = t.user_id and p.active
  where t.token_hash = p_token_hash and t.revoked_at is null and t.expires_at > now();
  if not found then
    return null;
  end if;
  select p.email into v_email from public.profiles p where p.id = v_row.user_id;
  if v_row.last_used_at is null or v_row.last_used_at < now() - interval '1 minute'
     or v_row.last_used_address is distinct from coalesce(v_address, v_row.last_used_address) then
    update public.personal_access_tokens
    set last_used_at = now(), last_used_address = coalesce(v_address, last_used_address)
    where id = v_row.id;
  end if;
  if v_address is not null then
    insert into public.personal_access_token_addresses (token_id, address) values (v_row.id, v_address)
    on conflict do nothing;
    get diagnostics v_new = row_count;
    if v_new > 0 then
      perform private.record_security_event('personal_access_tokens', v_row.id::text,
        jsonb_build_object('event', 'used_from_new_address', 'name', v_row.name, 'address', v_address, 'user_id', v_row.user_id), v_row.user_id);
    end if;
  end if;
  return jsonb_build_object('token_id', v_row.id, 'user_id', v_row.user_id, 'email', v_email, 'scope', v_row.scope, 'expires_at', v_row.expires_at);
end;
$$;
revoke all on function public.pat_authenticate(text, text) from public, anon, authenticated;
grant execute on function public.pat_authenticate(text, text) to service_role;
