-- Passwords: a user changes their own (the server has checked the current one), an admin sets a
-- temporary one (changed at the next sign-in) or hands out a one-time reset link, and a link is
-- redeemed once before it expires. Every change ends the user's sessions in the same transaction
-- (the server signs the changing user in again) and is a security event in the audit log.
--
-- Access intent
--   account_passwords: no access for anon or authenticated (RLS on, no policies). Only the
--   functions below, executed by the server (service_role) with the actor's id, read and write it.
--   Every function here trusts a check the app made (the current password, the auth service's
--   answer), so none is on the authenticated surface (docs/security.md, "The RPC surface").
--   On Supabase the password itself is set through the Auth admin API; p_password is then null
--   and these functions do the rest (flags, sessions, audit). Embedded and plain Postgres set it
--   here (auth.users.encrypted_password, as the shim's sign-in reads it).

create table public.account_passwords (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  -- Set with a temporary password: the app sends the user to change it before anything else.
  must_change boolean not null default false,
  -- A one-time reset link: only the SHA-256 of its token is kept, and when it stops working.
  reset_token_hash text,
  reset_expires_at timestamptz,
  changed_at timestamptz,
  updated_at timestamptz not null default now()
);
create unique index account_passwords_reset_token_key on public.account_passwords (reset_token_hash) where reset_token_hash is not null;
alter table public.account_passwords enable row level security;
revoke all on public.account_passwords from anon, authenticated;
grant select, insert, update, delete on public.account_passwords to service_role;

-- The password rule, checked here too so that no path skips it.
create or replace function private.check_new_password(p_password text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_password is not null and (char_length(p_password) < 8 or char_length(p_password) > 72) then
    perform private.fail_field('new_password', 'Use 8 to 72 characters');
  end if;
end;
$$;
revoke all on function private.check_new_password(text) from public;

-- Sets the password (embedded; null leaves it to the auth service), ends every session of the
-- user and records the event. The shim's trigger also ends sessions on a new password; the
-- delete here is what does it on Supabase, where the Auth admin API leaves sessions alive.
create or replace function private.password_apply(p_user uuid, p_password text, p_event text, p_actor uuid, p_must_change boolean)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.check_new_password(p_password);
  if p_password is not null then
    update auth.users set encrypted_password = extensions.crypt(p_password, extensions.gen_salt('bf', 10)), updated_at = now()
    where id = p_user;
  end if;
  delete from auth.sessions s where s.user_id = p_user;
  insert into public.account_passwords as a (user_id, must_change, changed_at)
  values (p_user, p_must_change, now())
  on conflict (user_id) do update
    set must_change = p_must_change, reset_token_hash = null, reset_expires_at = null, changed_at = now(), updated_at = now();
  perform private.record_security_event('password_events', p_user::text, jsonb_build_object('event', p_event, 'by', p_actor), p_actor);
end;
$$;
revoke all on function private.password_apply(uuid, text, text, uuid, boolean) from public, anon, authenticated;

-- The target of an admin's reset: an active user other than the admin.
create or replace function private.password_reset_target(p_user_id uuid, p_actor uuid)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_admin uuid := private.begin_action(p_actor, 'admin');
  v public.profiles;
begin
  select * into v from public.profiles where id = p_user_id;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;
  if v.id = v_admin then
    perform private.fail('invalid_state', 'Change your own password from the user menu');
  end if;
  if not v.active then
    perform private.fail('invalid_state', 'Reactivate the user before resetting the password');
  end if;
  return v;
end;
$$;
revoke all on function private.password_reset_target(uuid, uuid) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- The caller changes their own password (the server has checked the current one)
-- ---------------------------------------------------------------------------------------------

create or replace function public.password_change(p_password text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
begin
  perform private.password_apply(v_user, p_password, 'password_changed', v_user, false);
  return jsonb_build_object('user_id', v_user);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- An admin sets a temporary password: every session ends, the user must change it at sign-in
-- ---------------------------------------------------------------------------------------------

create or replace function public.password_set_temporary(p_user_id uuid, p_password text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.profiles := private.password_reset_target(p_user_id, p_actor);
begin
  perform private.password_apply(v.id, p_password, 'password_set_by_admin', private.actor(p_actor), true);
  return jsonb_build_object('user_id', v.id, 'email', v.email);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- An admin hands out a one-time reset link (embedded: there is no mail). The token is made by
-- the server and shown once; only its hash is kept. Sessions stay until the link is used.
-- ---------------------------------------------------------------------------------------------

create or replace function public.password_reset_issue(p_user_id uuid, p_token_hash text default null, p_ttl_seconds int default 3600, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.profiles := private.password_reset_target(p_user_id, p_actor);
  v_expires timestamptz := now() + make_interval(secs => least(greatest(coalesce(p_ttl_seconds, 3600), 60), 86400));
begin
  if p_token_hash is not null and p_token_hash !~ '^[0-9a-f]{64}$' then
    perform private.fail('bad_request', 'Not a token hash');
  end if;
  insert into public.account_passwords as a (user_id, reset_token_hash, reset_expires_at)
  values (v.id, p_token_hash, case when p_token_hash is not null then v_expires end)
  on conflict (user_id) do update
    set reset_token_hash = excluded.reset_token_hash, reset_expires_at = excluded.reset_expires_at, updated_at = now();
  perform private.record_security_event('password_events', v.id::text,
    jsonb_build_object('event', 'password_reset_sent', 'by', private.actor(p_actor)), private.actor(p_actor));
  return jsonb_build_object('user_id', v.id, 'email', v.email, 'expires_at', case when p_token_hash is not null then v_expires end);
end;
$$;

-- Redeems a reset link: once, before it expires, for an active user. Anyone holding the link
-- may use it (that is what a link is); the server rate-limits the attempts.
create or replace function public.password_reset_redeem(p_token_hash text, p_password text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v record;
begin
  select a.user_id, p.email, p.active into v
  from public.account_passwords a join public.profiles p on p.id = a.user_id
  where a.reset_token_hash = p_token_hash and a.reset_expires_at > now()
  for update of a;
  if not found or not v.active then
    perform private.fail('not_found', 'This link is not valid or has expired');
  end if;
  if p_password is null then
    perform private.fail_field('new_password', 'Enter a new password');
  end if;
  perform private.password_apply(v.user_id, p_password, 'password_changed', v.user_id, false);
  return jsonb_build_object('user_id', v.user_id, 'email', v.email);
end;
$$;

-- Whether the user must change their password before going on (set with a temporary one).
create or replace function public.password_state(p_user_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('must_change', coalesce((select a.must_change from public.account_passwords a where a.user_id = p_user_id), false))
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: the server only
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.password_change(text, uuid),
  public.password_set_temporary(uuid, text, uuid),
  public.password_reset_issue(uuid, text, int, uuid),
  public.password_reset_redeem(text, text),
  public.password_state(uuid)
from public, anon, authenticated;

grant execute on function
  public.password_change(text, uuid),
  public.password_set_temporary(uuid, text, uuid),
  public.password_reset_issue(uuid, text, int, uuid),
  public.password_reset_redeem(text, text),
  public.password_state(uuid)
to service_role;
