-- The RPC surface (issue 12, item 5). On Supabase every function `authenticated` may execute is
-- also reachable at /rest/v1/rpc/<name> with the user's own token, skipping the app. So:
--   * a function that trusts a check the app made executes only as service_role, and the app
--     calls it with the service role and the actor's id (p_actor, honoured only for
--     service_role by private.actor);
--   * every other function on the surface enforces every rule the HTTP API enforces.
-- docs/security.md ("The RPC surface") lists every function and why it is where it is;
-- tests/helpers/rpc-surface.ts is the same list as the tests check it.
--
-- This migration:
--   1. takes three functions off the surface (service_role only);
--   2. rpc_idempotent: the request hash is bounded and, for the service role, the inner call acts
--      for the very actor whose key namespace is used;
--   3. closes the validation gaps between the API's zod schemas and SQL (lengths and bounds
--      the API refused but a direct call could write, an unbounded search string, an empty
--      display name);
--   4. merges the staff and customer select policies of five tables into one policy per table,
--      role and action (Supabase's advisor: "multiple permissive policies"), same access;
--   5. on Supabase, closes Storage's own direct path for writes: a user's token may no longer put
--      or remove objects in the attachments bucket (the server does both with the service role).
-- The file is idempotent (like 20261122000720), so that tests can apply it again after adding a
-- stand-in storage schema.

-- ---------------------------------------------------------------------------------------------
-- 1. service_role only
-- ---------------------------------------------------------------------------------------------
-- attachment_register: records a file the server stored after checking its bytes (type sniffed
--   from the content, size, SHA-256). Called directly it would record a path whose bytes nobody
--   checked (or that holds nothing at all).
-- attachment_upload_complete: the same for a direct upload, after the server read the object
--   back; the size, type and hash it is given are the server's findings, not the user's word.
-- attachment_upload_fail: records that the server refused the stored object and removed it.
revoke all on function
  public.attachment_register(text, text, text, bigint, text, text, uuid, uuid, boolean, uuid),
  public.attachment_upload_complete(uuid, bigint, text, text, uuid),
  public.attachment_upload_fail(uuid, uuid)
from public, anon, authenticated;
grant execute on function
  public.attachment_register(text, text, text, bigint, text, text, uuid, uuid, boolean, uuid),
  public.attachment_upload_complete(uuid, bigint, text, text, uuid),
  public.attachment_upload_fail(uuid, uuid)
to service_role;

-- ---------------------------------------------------------------------------------------------
-- 2. rpc_idempotent stays on the surface
-- ---------------------------------------------------------------------------------------------
-- Why it is safe to call directly: it runs as the caller (security invoker), so the inner
-- function runs with the caller's own rights and role checks (a function the caller may not
-- execute fails with 42501, e.g. the service_role-only ones above); p_fn must be one of the
-- write functions in private.idempotent_functions; the key namespace is the caller's own
-- (actor_id = auth.uid() for a user, whatever p_actor says), so a user can only replay or spoil
-- their own keys. What changes here: the request hash is bounded like the key (it is stored),
-- and when the service role calls it for an actor the inner call gets that same actor as
-- p_actor, so the key and the write can never belong to two different users.
create or replace function public.rpc_idempotent(p_key text, p_hash text, p_fn text, p_args jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_args jsonb := coalesce(p_args, '{}'::jsonb);
  v_prior jsonb;
  v_call text;
  v_result jsonb;
begin
  if v_actor is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if not exists (select 1 from private.idempotent_functions where name = p_fn) then
    perform private.fail('bad_request', 'This operation does not take an Idempotency-Key');
  end if;
  if p_key is null or char_length(p_key) not between 1 and 200 then
    perform private.fail('bad_request', 'Idempotency-Key must be 1 to 200 characters');
  end if;
  if p_hash is null or char_length(p_hash) not between 1 and 128 then
    perform private.fail('bad_request', 'The request hash must be 1 to 128 characters');
  end if;
  if jsonb_typeof(v_args) <> 'object' then
    perform private.fail('bad_request', 'The arguments must be a JSON object');
  end if;
  -- A user's own session ignores p_actor anyway; the service role acts for the key's owner only.
  v_args := v_args - 'p_actor';
  if (select auth.role()) = 'service_role' then
    v_args := v_args || jsonb_build_object('p_actor', v_actor);
  end if;

  v_prior := private.idempotency_claim(v_actor, p_key, p_hash);
  if v_prior is not null then
    return jsonb_build_object('replayed', true, 'result', v_prior -> 'result');
  end if;

  -- Same named-argument call the transports make, with the arguments as untyped literals.
  select format('select public.%I(%s)', p_fn, coalesce(string_agg(format('%I => %L', a.key,
           case jsonb_typeof(a.value) when 'string' then a.value #>> '{}' when 'null' then null else a.value::text end), ', '), ''))
  into v_call
  from jsonb_each(v_args) a;
  execute v_call into v_result;

  perform private.idempotency_store(v_actor, p_key, v_result);
  return jsonb_build_object('replayed', false, 'result', v_result);
end;
$$;
revoke all on function public.rpc_idempotent(text, text, text, jsonb, uuid) from public, anon;
grant execute on function public.rpc_idempotent(text, text, text, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- 3. Validation a direct call could skip
-- ---------------------------------------------------------------------------------------------

-- A user's own name and language: the API trims the name and wants 1 to 100 characters (the
-- table only bounded it above, so a direct call could blank it), and refuses a deactivated user
-- (whose token may still be valid for a while): such a profile is not found here either.
create or replace function public.update_my_profile(p_display_name text default null, p_locale text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
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
  returning * into v_profile;
  if not found then
    perform private.fail('not_found', 'Profile not found');
  end if;
  return private.profile_json(v_profile);
end;
$$;
revoke all on function public.update_my_profile(text, text, uuid) from public, anon;
grant execute on function public.update_my_profile(text, text, uuid) to authenticated, service_role;

-- Free-text search: the API takes at most 100 characters; every list function builds its
-- pattern here, so a direct call cannot make each row's ILIKE scan a megabyte string.
create or replace function private.like_pattern(p_q text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if char_length(p_q) > 100 then
    perform private.fail('bad_request', 'Search for at most 100 characters');
  end if;
  return '%' || replace(replace(replace(trim(p_q), '\', '\\'), '%', '\%'), '_', '\_') || '%';
end;
$$;
revoke all on function private.like_pattern(text) from public;
grant execute on function private.like_pattern(text) to authenticated, service_role;

-- The bounds of the API's zod schemas (lib/schemas) that the tables did not have yet. As table
-- constraints they hold for every writer, whichever function (or a later one) writes the row.
-- NOT VALID: rows written before are not rechecked at deploy (a row that broke a bound could only
-- have come from a direct call); every insert and every update of a row is checked.
alter table public.customers
  drop constraint if exists customers_text_lengths,
  add constraint customers_text_lengths check (
    coalesce(char_length(business_number), 0) <= 40 and coalesce(char_length(contact_name), 0) <= 100
    and coalesce(char_length(email), 0) <= 254 and coalesce(char_length(phone), 0) <= 40
    and coalesce(char_length(address), 0) <= 500) not valid;
alter table public.engines
  drop constraint if exists engines_text_lengths,
  add constraint engines_text_lengths check (
    coalesce(char_length(name_zh), 0) <= 200 and coalesce(char_length(name_en), 0) <= 200
    and coalesce(char_length(description), 0) <= 2000) not valid;
alter table public.items
  drop constraint if exists items_text_lengths,
  drop constraint if exists items_reorder_point_bound,
  add constraint items_text_lengths check (coalesce(char_length(name_zh), 0) <= 200 and coalesce(char_length(name_en), 0) <= 200) not valid,
  add constraint items_reorder_point_bound check (reorder_point <= 1000000000) not valid;
alter table public.inspection_applications
  drop constraint if exists inspection_applications_quantity_bound,
  add constraint inspection_applications_quantity_bound check (quantity is null or quantity <= 1000000000) not valid;
alter table public.flow_lines
  drop constraint if exists flow_lines_qty_bound,
  add constraint flow_lines_qty_bound check (abs(qty) <= 1000000000) not valid;

-- ---------------------------------------------------------------------------------------------
-- 4. One permissive policy per table, role and action
-- ---------------------------------------------------------------------------------------------
-- Each of these tables had a staff policy and a customer policy for select. Postgres evaluates
-- every permissive policy for every row; one policy with both rules (staff first, so a staff
-- member's rows never evaluate the customer's sub-query) gives the same rows.

drop policy if exists "staff read flows" on public.flows;
drop policy if exists "customers read their own shipments" on public.flows;
drop policy if exists "staff read flows; customers read their own shipments" on public.flows;
create policy "staff read flows; customers read their own shipments"
  on public.flows for select to authenticated
  using ((select private.is_staff())
         or (kind = 'outbound' and customer_id = (select private.my_customer_id())));

drop policy if exists "staff read flow lines" on public.flow_lines;
drop policy if exists "customers read the lines of their own shipments" on public.flow_lines;
drop policy if exists "staff read flow lines; customers the lines of their own shipments" on public.flow_lines;
create policy "staff read flow lines; customers the lines of their own shipments"
  on public.flow_lines for select to authenticated
  using ((select private.is_staff())
         or exists (select 1 from public.flows f
                    where f.id = flow_id and f.kind = 'outbound' and f.customer_id = (select private.my_customer_id())));

drop policy if exists "staff read items" on public.items;
drop policy if exists "customers read the goods they own or were shipped" on public.items;
drop policy if exists "staff read items; customers the goods they own or were shipped" on public.items;
create policy "staff read items; customers the goods they own or were shipped"
  on public.items for select to authenticated
  using ((select private.is_staff())
         or customer_id = (select private.my_customer_id())
         or exists (select 1 from public.flow_lines fl join public.flows f on f.id = fl.flow_id
                    where fl.item_id = items.id and f.kind = 'outbound' and f.customer_id = (select private.my_customer_id())));

drop policy if exists "staff read stock" on public.stocks;
drop policy if exists "customers read the stock of their own goods" on public.stocks;
drop policy if exists "staff read stock; customers the stock of their own goods" on public.stocks;
create policy "staff read stock; customers the stock of their own goods"
  on public.stocks for select to authenticated
  using ((select private.is_staff())
         or exists (select 1 from public.items i where i.id = item_id and i.customer_id = (select private.my_customer_id())));

drop policy if exists "staff read locations" on public.locations;
drop policy if exists "customers read warehouse names" on public.locations;
drop policy if exists "staff read locations; customers read warehouse names" on public.locations;
create policy "staff read locations; customers read warehouse names"
  on public.locations for select to authenticated
  using ((select private.is_staff()) or (select private.my_customer_id()) is not null);

-- ---------------------------------------------------------------------------------------------
-- 5. Storage (Supabase only): the bytes go through the server
-- ---------------------------------------------------------------------------------------------
-- Storage's REST API is the same kind of side door as /rest/v1/rpc: with a user's own token it
-- applies the policies on storage.objects and nothing else. The server stores and removes every
-- attachment's bytes with the service role, and a direct upload goes to a signed upload URL, which
-- needs no policy. So the insert and delete policies of 20261122000720 only served direct calls:
-- insert let a user store bytes whose content nobody checked (never registered, but kept), and
-- delete let admin/manager/korean_team remove an attachment's bytes while its row (and no audit
-- row) stayed. Reading stays: a user may read the objects of the attachment rows they may read.
do $storage$
begin
  if to_regclass('storage.objects') is null then
    raise notice 'rpc surface: no storage schema, storage policies skipped';
    return;
  end if;
  execute 'drop policy if exists "attachments: staff anywhere, customers in their own folder" on storage.objects';
  execute 'drop policy if exists "attachments: staff who may delete remove files" on storage.objects';
end;
$storage$;
