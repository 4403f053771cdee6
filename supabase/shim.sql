-- Supabase shim for plain Postgres and PGlite.
--
-- Provides what a Supabase project provides before our migrations run, so that the migrations in
-- supabase/migrations apply unchanged and RLS, grants and auth.uid() behave as on Supabase:
-- the API roles, the auth schema (users, identities, uid(), jwt(), role(), email()), the
-- extensions schema with pgcrypto, the migration history schema, and Supabase's default
-- privileges, which expose every new public table, function and sequence to anon and
-- authenticated. A table without RLS or a function without a revoke is therefore as open here as
-- it would be on Supabase, and the tests catch it.
--
-- Idempotent: it runs on every start and on databases where these roles already exist.
-- Never run it on Supabase itself.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- The connecting user switches into the API roles with `set local role`, as PostgREST's
-- authenticator does.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
exception when others then
  -- Already a member, or a superuser (PGlite): membership is implied.
  null;
end
$$;

create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to anon, authenticated, service_role;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- The columns our code and seed use, named and typed as in Supabase's auth.users.
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key default gen_random_uuid(),
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb default '{}'::jsonb,
  raw_user_meta_data jsonb default '{}'::jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text,
  confirmation_token varchar(255) default '',
  recovery_token varchar(255) default '',
  email_change_token_new varchar(255) default '',
  email_change varchar(255) default '',
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_key on auth.users (lower(email)) where deleted_at is null;

create table if not exists auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  id uuid primary key default gen_random_uuid(),
  unique (provider_id, provider)
);

-- Sessions, named and typed as in Supabase's auth.sessions: a token's session_id claim names a
-- row here, and a token whose row is gone (signed out, deactivated, role or password changed) or
-- past not_after is refused by the per-request identity call (public.me). Only the server's own
-- functions below and security definer functions read or write it, as on Supabase.
do $$
begin
  if not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'auth' and t.typname = 'aal_level') then
    create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
  end if;
end
$$;

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  factor_id uuid,
  aal auth.aal_level,
  not_after timestamptz,
  refreshed_at timestamp,
  user_agent text,
  ip inet,
  tag text
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);
alter table auth.sessions enable row level security;
revoke all on auth.sessions from public, anon, authenticated, service_role;

-- Claims come from `request.jwt.claims`, set per transaction by the transport (as PostgREST does).
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email() to anon, authenticated, service_role;

-- Embedded sign-in: what Supabase Auth does for email + password, for the embedded auth port.
-- Only the server (service_role) may call it. Returns null on any failure so that the caller
-- cannot tell an unknown email from a wrong password.
create or replace function auth.sign_in_with_password(p_email text, p_password text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user auth.users;
begin
  select * into v_user
  from auth.users u
  where lower(u.email) = lower(p_email) and u.deleted_at is null;

  -- A null password must fail too: `<>` with a null is null, which IF treats as false.
  if not found or v_user.encrypted_password is null or p_password is null
     or v_user.encrypted_password is distinct from extensions.crypt(p_password, v_user.encrypted_password) then
    return null;
  end if;
  if v_user.banned_until is not null and v_user.banned_until > now() then
    return null;
  end if;

  update auth.users set last_sign_in_at = now() where id = v_user.id;
  return jsonb_build_object(
    'id', v_user.id,
    'email', v_user.email,
    'app_metadata', coalesce(v_user.raw_app_meta_data, '{}'::jsonb),
    'user_metadata', coalesce(v_user.raw_user_meta_data, '{}'::jsonb)
  );
end;
$$;
revoke all on function auth.sign_in_with_password(text, text) from public, anon, authenticated;
grant execute on function auth.sign_in_with_password(text, text) to service_role;

-- Embedded sessions: what Supabase Auth does when it issues, refreshes and ends a session.

-- A new session for a user who has just proved their password (the server calls it right after
-- auth.sign_in_with_password). Its id goes into the token as session_id; not_after is the
-- absolute limit past which no refresh extends it. Service role only.
create or replace function auth.create_session(
  p_user_id uuid,
  p_max_age_seconds int,
  p_user_agent text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session auth.sessions;
begin
  -- The user's sessions past their limit go now: the table holds live sessions, not a history.
  delete from auth.sessions s where s.user_id = p_user_id and s.not_after <= now();
  insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after, user_agent)
  values (gen_random_uuid(), p_user_id, now(), now(), 'aal1',
          now() + make_interval(secs => greatest(coalesce(p_max_age_seconds, 0), 1)), left(p_user_agent, 512))
  returning * into v_session;
  return jsonb_build_object('id', v_session.id, 'not_after', extract(epoch from v_session.not_after)::bigint);
end;
$$;
revoke all on function auth.create_session(uuid, int, text) from public, anon, authenticated;
grant execute on function auth.create_session(uuid, int, text) to service_role;

-- Sliding refresh: a live session (row present, not past not_after) is touched and its
-- not_after returned; a revoked or expired one answers null and gets no new token. Service role
-- only: the server has verified the token's signature and passes its session_id and subject.
create or replace function auth.refresh_session(p_session_id uuid, p_user_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_not_after timestamptz;
begin
  update auth.sessions s
  set refreshed_at = now() at time zone 'utc', updated_at = now()
  where s.id = p_session_id and s.user_id = p_user_id and (s.not_after is null or s.not_after > now())
  returning s.not_after into v_not_after;
  if not found then
    return null;
  end if;
  return jsonb_build_object('not_after', extract(epoch from v_not_after)::bigint);
end;
$$;
revoke all on function auth.refresh_session(uuid, uuid) from public, anon, authenticated;
grant execute on function auth.refresh_session(uuid, uuid) to service_role;

-- Sign-out with the user's own token, as GoTrue's POST /logout?scope=: 'local' ends this session,
-- 'others' every other one, 'global' all of them. Only the caller's own sessions, and only from a
-- session that is still live (a revoked token cannot sign its user out elsewhere). Returns how
-- many sessions ended.
create or replace function auth.sign_out(p_scope text default 'local')
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_sid text := auth.jwt() ->> 'session_id';
  v_count int;
begin
  if v_uid is null or v_sid is null
     or v_sid !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     or not exists (select 1 from auth.sessions s where s.id = v_sid::uuid and s.user_id = v_uid) then
    return 0;
  end if;
  if p_scope is null or p_scope not in ('local', 'others', 'global') then
    raise exception using errcode = '22023', message = 'scope must be local, others or global';
  end if;
  delete from auth.sessions s
  where s.user_id = v_uid
    and (p_scope = 'global' or (p_scope = 'local' and s.id = v_sid::uuid) or (p_scope = 'others' and s.id <> v_sid::uuid));
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke all on function auth.sign_out(text) from public, anon;
grant execute on function auth.sign_out(text) to authenticated;

-- A new password ends every session of the user, whoever set it (Supabase Auth manages its own).
create or replace function auth.end_sessions_on_new_password()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from auth.sessions s where s.user_id = new.id;
  return null;
end;
$$;
revoke all on function auth.end_sessions_on_new_password() from public, anon, authenticated;
drop trigger if exists on_auth_user_new_password on auth.users;
create trigger on_auth_user_new_password
  after update of encrypted_password on auth.users
  for each row when (old.encrypted_password is distinct from new.encrypted_password)
  execute function auth.end_sessions_on_new_password();

-- Embedded account creation: what Supabase Auth's admin API (auth.admin.createUser with
-- email_confirm) does for an email user: the auth.users row, whose trigger makes the profile
-- from app_metadata, and its email identity. Only the server (service_role) may call it; on
-- Supabase the server calls the admin API instead. The email is stored lower-case, as GoTrue does.
create or replace function auth.admin_create_user(
  p_email text,
  p_password text,
  p_app_metadata jsonb default '{}'::jsonb,
  p_user_metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid := gen_random_uuid();
  v_email text := lower(trim(p_email));
  v_user auth.users;
begin
  if v_email is null or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' then
    raise exception using errcode = '23514', message = 'invalid email';
  end if;
  -- GoTrue's minimum; the API asks for more.
  if p_password is null or char_length(p_password) < 6 then
    raise exception using errcode = '23514', message = 'password too short';
  end if;
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at
  )
  values (
    '00000000-0000-0000-0000-000000000000', v_id, 'authenticated', 'authenticated', v_email,
    extensions.crypt(p_password, extensions.gen_salt('bf', 10)), now(),
    jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email')) || coalesce(p_app_metadata, '{}'::jsonb),
    coalesce(p_user_metadata, '{}'::jsonb), now(), now()
  )
  returning * into v_user;
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  values (v_id::text, v_id, jsonb_build_object('sub', v_id::text, 'email', v_email, 'email_verified', true), 'email', now(), now());
  return jsonb_build_object(
    'id', v_user.id,
    'email', v_user.email,
    'app_metadata', v_user.raw_app_meta_data,
    'user_metadata', v_user.raw_user_meta_data
  );
end;
$$;
revoke all on function auth.admin_create_user(text, text, jsonb, jsonb) from public, anon, authenticated;
grant execute on function auth.admin_create_user(text, text, jsonb, jsonb) to service_role;

-- Migration history, as the Supabase CLI keeps it.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
create table if not exists supabase_migrations.seed_files (
  path text primary key,
  hash text not null
);

-- Supabase's default privileges on public.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
