-- A user who must change their password (an admin set a temporary one, or, on Supabase, the
-- session was opened by a password recovery link: its `amr` claim says "recovery") is held to
-- changing it in the database too, not only by the app (lib/http/handler.ts answers 403
-- password_change_required to every route but /me and the password). On Supabase every function `authenticated` may
-- execute is reachable at /rest/v1/rpc/<name> with the user's own token, and the tables at
-- /rest/v1/<table>, skipping the app (DESIGN.md §3): so such a user's own token is refused here.
--
-- What still answers the held user's own token: me() and me_counting() (the app's identity call,
-- which says must_change_password), their own profile row, and auth.sign_out. Changing the
-- password runs as the service role (public.password_change, called by the server after it has
-- checked the current password), which the hold does not apply to: the service role is the app,
-- and the app holds the user itself.
--
-- The hold must cost nothing on the path every call takes (private.begin_action: the session,
-- then the caller's profile row). So the flag is kept on that row, public.profiles, as
-- must_change_password, copied from public.account_passwords.must_change by a trigger in the
-- same transaction as every write of it; begin_action reads it with the role it already reads.
--
-- Access intent
--   profiles.must_change_password: readable with the rest of the profile (the user themselves,
--   staff); written only by the trigger below (authenticated may update display_name and locale
--   only). account_passwords stays closed to authenticated.
--   private.held: whether the caller is held, given their profile's flag; authenticated and
--   service_role (update_my_profile runs as the caller).
--   private.refuse_if_held: executed on the refusal paths of functions that check their caller
--   inline (stable functions cannot call begin_action); authenticated and service_role.
--   private.my_id: the caller's id for the policies on one's own rows; authenticated.

-- ---------------------------------------------------------------------------------------------
-- The flag on the profile row, kept in step with account_passwords
-- ---------------------------------------------------------------------------------------------

alter table public.profiles add column must_change_password boolean not null default false;
comment on column public.profiles.must_change_password is
  'Copy of account_passwords.must_change (trigger account_passwords_hold): read by private.begin_action with the role, so holding a user costs no extra lookup.';

-- The copy is bookkeeping, not a change to the profile: it neither moves updated_at nor writes
-- an audit row (the password change is its own security event, password_events).
drop trigger profiles_touch on public.profiles;
create trigger profiles_touch before update on public.profiles
  for each row when ((to_jsonb(old) - 'must_change_password') is distinct from (to_jsonb(new) - 'must_change_password'))
  execute function private.touch_updated_at();
drop trigger profiles_audit on public.profiles;
create trigger profiles_audit after insert or delete on public.profiles
  for each row execute function private.audit_row();
create trigger profiles_audit_update after update on public.profiles
  for each row when ((to_jsonb(old) - 'must_change_password') is distinct from (to_jsonb(new) - 'must_change_password'))
  execute function private.audit_row();

create or replace function private.account_passwords_hold()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles p set must_change_password = new.must_change
  where p.id = new.user_id and p.must_change_password is distinct from new.must_change;
  return null;
end;
$$;
revoke all on function private.account_passwords_hold() from public, anon, authenticated;

create trigger account_passwords_hold after insert or update of must_change on public.account_passwords
  for each row execute function private.account_passwords_hold();

update public.profiles p set must_change_password = true
from public.account_passwords a
where a.user_id = p.id and a.must_change and not p.must_change_password;

-- Whether the caller is held, given their profile's must_change_password: the flag, or a session
-- opened by a recovery link (Supabase Auth's verified `amr` claim, as lib/auth isRecoverySession
-- reads it), which proves the mailbox, not the password. Only a user's own token: the service
-- role is the app, which holds such a user itself and calls public.password_change for them.
-- (Claims only: no table is read.)
create or replace function private.held(p_must_change boolean)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return auth.role() is distinct from 'service_role'
    and (coalesce(p_must_change, false) or coalesce(auth.jwt() -> 'amr' @> '[{"method": "recovery"}]'::jsonb, false));
end;
$$;
revoke all on function private.held(boolean) from public, anon;
grant execute on function private.held(boolean) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Every checked call: begin_action refuses a held caller with the app's own error
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION private.begin_action(p_actor uuid, VARIADIC p_roles text[])
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text;
  v_must_change boolean;
begin
  -- The role of the resolved actor's active profile: what private.actor_role(p_actor) answers,
  -- without resolving (and checking the session of) the caller a second time. The same row says
  -- whether they must change their password first.
  if v_actor is not null then
    select p.role, p.must_change_password into v_role, v_must_change from public.profiles p where p.id = v_actor and p.active;
  end if;
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if private.held(v_must_change) then
    perform private.fail('password_change_required', 'Change your password first');
  end if;
  if not (v_role = any (p_roles)) then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  perform set_config('duly.actor', v_actor::text, true);
  return v_actor;
end;
$function$;

-- ---------------------------------------------------------------------------------------------
-- The role and company helpers (and so is_staff, may, my_customer_id and the policies that use
-- them): a held caller has none, so policies show them nothing
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION private.actor_role(p_actor uuid)
 RETURNS text
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_role text;
begin
  select p.role into v_role from public.profiles p
  where p.id = private.actor(p_actor) and p.active
    and not private.held(p.must_change_password);
  return v_role;
end;
$function$;

CREATE OR REPLACE FUNCTION private.actor_customer_id(p_actor uuid)
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
begin
  select p.customer_id into v_customer from public.profiles p
  where p.id = private.actor(p_actor) and p.active and p.role = 'customer'
    and not private.held(p.must_change_password);
  return v_customer;
end;
$function$;

-- On the refusal path of a function that checks its caller inline (a stable function may not
-- call begin_action): a held caller is told why (password_change_required), anyone else gets the
-- function's own refusal. Runs only when the caller is already being refused.
create or replace function private.refuse_if_held(p_actor uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.profiles p where p.id = private.actor(p_actor) and p.active and private.held(p.must_change_password)) then
    perform private.fail('password_change_required', 'Change your password first');
  end if;
end;
$$;
revoke all on function private.refuse_if_held(uuid) from public, anon;
grant execute on function private.refuse_if_held(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- The identity call reads the flag from the profile row (no second table)
-- ---------------------------------------------------------------------------------------------

create or replace function public.me(p_actor uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_profile jsonb;
begin
  select private.profile_json(p) || jsonb_build_object('must_change_password', p.must_change_password)
    into v_profile
  from public.profiles p
  where p.id = private.actor(p_actor);
  return v_profile;
end;
$$;

create or replace function public.password_state(p_user_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('must_change', coalesce((select p.must_change_password from public.profiles p where p.id = p_user_id), false))
$$;

-- ---------------------------------------------------------------------------------------------
-- Functions that check their caller without begin_action
-- ---------------------------------------------------------------------------------------------

-- Personal access tokens are made and revoked from a session: not by a held user.
CREATE OR REPLACE FUNCTION private.require_session_not_token()
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_uid uuid := private.actor(null);
begin
  if v_uid is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if auth.jwt() ? 'pat_id' then
    perform private.fail('forbidden', 'Tokens are managed from a signed-in session, not with a token');
  end if;
  perform private.refuse_if_held(null);
  return v_uid;
end;
$function$;

-- Runs as the caller (the table's update policy and column grants apply).
CREATE OR REPLACE FUNCTION public.update_my_profile(p_display_name text DEFAULT NULL::text, p_locale text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_name text := trim(p_display_name);
  v_profile public.profiles;
begin
  -- (private.fail, not fail_field: this function runs as the caller, who may execute only fail.
  -- An unknown locale is refused by the table's own check.)
  if v_name is not null and char_length(v_name) not between 1 and 100 then
    perform private.fail('validation_failed', 'Between 1 and 100 characters',
      jsonb_build_array(jsonb_build_object('path', 'display_name', 'message', 'Between 1 and 100 characters')));
  end if;
  update public.profiles
  set display_name = coalesce(v_name, display_name),
      locale = coalesce(p_locale, locale)
  where id = private.actor(p_actor) and active
    and not private.held(must_change_password)
  returning * into v_profile;
  if not found then
    perform private.refuse_if_held(p_actor);
    perform private.fail('not_found', 'Profile not found');
  end if;
  return private.profile_json(v_profile);
end;
$function$;

-- These check their caller inline (most are stable, and may not call begin_action, which sets a
-- transaction setting): unchanged but for telling a held caller why they are refused.
CREATE OR REPLACE FUNCTION public.email_preferences_get(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
begin
  -- begin_action sets a transaction setting, which a stable function may not; check inline.
  if v_actor is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  return jsonb_build_object('preferences', private.email_preferences_json(v_actor, v_role));
end;
$function$;

CREATE OR REPLACE FUNCTION public.pat_list(p_all boolean DEFAULT false)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_uid uuid := private.actor(null);
  v_role text := private.actor_role(null);
begin
  -- actor_role is null for a deactivated user: they list nothing.
  if v_uid is null or v_role is null then
    perform private.refuse_if_held(null);
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
$function$;

CREATE OR REPLACE FUNCTION public.notifications_list(p_unread boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
begin
  -- begin_action sets a transaction setting, which a stable function may not; check inline.
  if v_actor is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if v_role not in ('admin', 'manager', 'korean_team', 'chinese_staff') then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.notification_json(f.id, v_actor) order by f.created_at desc, f.id)
      from (
        select n.id, n.created_at
        from public.notifications n
        where not coalesce(p_unread, false)
           or not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
        order by n.created_at desc, n.id
        limit p_limit offset v_offset
      ) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.notifications n
      where not coalesce(p_unread, false)
         or not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    ),
    'unread', (
      select count(*) from public.notifications n
      where not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.translation_source(p_type text, p_id uuid, p_field text DEFAULT NULL::text, p_target text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_field text := p_field;
  v_text text;
begin
  if v_actor is null or private.actor_role(p_actor) is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if p_type is null or p_type not in ('message', 'inspection_note', 'flow_note', 'item') then
    perform private.fail_field('source.type', 'Choose message, inspection_note, flow_note or item');
  end if;
  if p_target is not null and p_target not in ('ko', 'zh', 'en') then
    perform private.fail_field('target', 'Choose ko, zh or en');
  end if;
  if v_field is null then
    v_field := case p_type when 'message' then 'body' when 'inspection_note' then 'internal_notes' when 'flow_note' then 'note' end;
  end if;
  if p_type = 'item' and v_field is null then
    select case
      when coalesce(p_target, '') <> 'ko' and nullif(t.name_ko, '') is not null then 'name_ko'
      when coalesce(p_target, '') <> 'en' and nullif(t.name_en, '') is not null then 'name_en'
      when coalesce(p_target, '') <> 'zh' and nullif(t.name_zh, '') is not null then 'name_zh'
      else 'name_ko' end
    into v_field from public.items t where t.id = p_id;
  end if;
  if v_field is null or not private.translation_source_readable(p_type, p_id, v_field, p_actor) then
    perform private.fail('not_found', 'Not found');
  end if;
  v_text := case p_type
    when 'message' then (select m.body from public.messages m where m.id = p_id)
    when 'inspection_note' then (select case v_field when 'notes' then i.notes when 'internal_notes' then i.internal_notes
      else i.cancel_reason end from public.inspection_applications i where i.id = p_id)
    when 'flow_note' then (select f.note from public.flows f where f.id = p_id)
    when 'item' then (select case v_field when 'name_ko' then t.name_ko when 'name_zh' then t.name_zh else t.name_en end
      from public.items t where t.id = p_id)
  end;
  if nullif(trim(coalesce(v_text, '')), '') is null then
    perform private.fail('not_found', 'There is no text to translate');
  end if;
  return jsonb_build_object('type', p_type, 'id', p_id, 'field', v_field, 'text', v_text);
end;
$function$;

CREATE OR REPLACE FUNCTION public.translation_settings_get(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
  v_auto boolean;
begin
  if v_actor is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select p.auto_translate into v_auto from public.translation_preferences p where p.user_id = v_actor;
  return jsonb_build_object('auto_translate', coalesce(v_auto, v_role = 'chinese_staff'));
end;
$function$;

CREATE OR REPLACE FUNCTION public.translation_cached(p_hash text, p_source_lang text, p_target_lang text)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_text text;
begin
  if private.app_role() is null then
    perform private.refuse_if_held(null);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if p_source_lang is null or p_target_lang is null or p_source_lang not in ('ko', 'zh', 'en') or p_target_lang not in ('ko', 'zh', 'en') then
    perform private.fail('validation_failed', 'Choose ko, zh or en',
      jsonb_build_array(jsonb_build_object('path', 'target', 'message', 'Choose ko, zh or en')));
  end if;
  select t.translated into v_text from public.translations t
  where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang
    and t.glossary_version = private.glossary_version();
  return v_text;
end;
$function$;

CREATE OR REPLACE FUNCTION public.admin_set_user_access(p_user_id uuid, p_role text DEFAULT NULL::text, p_customer_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_before public.profiles;
  v_after public.profiles;
  v_role text;
begin
  if private.actor_role(p_actor) is distinct from 'admin' then
    perform private.refuse_if_held(p_actor);
    perform private.fail('forbidden', 'Only administrators change roles and access');
  end if;

  -- Serialise admin changes so that two admins cannot demote each other at once.
  perform pg_advisory_xact_lock(hashtext('duly.admin_set_user_access'));

  select * into v_before from public.profiles where id = p_user_id for update;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;

  v_role := coalesce(p_role, v_before.role);
  if v_before.role = 'admin' and v_before.active
     and (v_role <> 'admin' or p_active is false)
     and (select count(*) from public.profiles where role = 'admin' and active) <= 1 then
    perform private.fail('last_admin', 'The last active administrator cannot be demoted or deactivated');
  end if;

  update public.profiles
  set role = v_role,
      customer_id = case when v_role = 'customer' then coalesce(p_customer_id, v_before.customer_id) else null end,
      active = coalesce(p_active, active)
  where id = p_user_id
  returning * into v_after;

  return private.profile_json(v_after);
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_delete(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_role text := private.actor_role(p_actor);
  v_mine uuid := private.attachment_actor_company(p_actor);
  v_row public.attachments;
  v jsonb;
begin
  if private.actor(p_actor) is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select * into v_row from public.attachments a where a.id = p_id for update;
  -- What the actor cannot read does not exist for them: not_found before forbidden.
  if not found or (v_role = 'customer' and (v_row.customer_id is distinct from v_mine or v_row.internal)) then
    perform private.fail('not_found', 'Attachment not found');
  end if;
  perform private.begin_action_for(p_actor, 'records:delete');
  v := private.attachment_json(p_id);
  delete from public.attachments a where a.id = p_id;
  return v;
end;
$function$;

-- ---------------------------------------------------------------------------------------------
-- Policies on one's own rows: the caller's id only when their session is live, their profile
-- active and not held (the profile itself stays readable: me() and the password page need it)
-- ---------------------------------------------------------------------------------------------

create or replace function private.my_id()
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  select p.id into v_id from public.profiles p
  where p.id = private.actor(null) and p.active and not private.held(p.must_change_password);
  return v_id;
end;
$$;
revoke all on function private.my_id() from public, anon;
grant execute on function private.my_id() to authenticated, service_role;

drop policy "each user reads their own email preferences" on public.email_preferences;
create policy "each user reads their own email preferences" on public.email_preferences for select to authenticated
  using (user_id = (select private.my_id()));

drop policy "users read their own mappings" on public.import_mappings;
create policy "users read their own mappings" on public.import_mappings for select to authenticated
  using (user_id = (select private.my_id()));

drop policy "staff read the rows of their own imports" on public.import_rows;
create policy "staff read the rows of their own imports" on public.import_rows for select to authenticated
  using (import_id in (select i.id from public.imports i where i.created_by = (select private.my_id())));

drop policy "Users read their own tokens, admins every token" on public.personal_access_tokens;
create policy "Users read their own tokens, admins every token" on public.personal_access_tokens for select to authenticated
  using (user_id = (select private.my_id()) or (select private.may('users:manage')));

drop policy "each user reads their own translation preference" on public.translation_preferences;
create policy "each user reads their own translation preference" on public.translation_preferences for select to authenticated
  using (user_id = (select private.my_id()));
