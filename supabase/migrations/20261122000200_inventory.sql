-- Inventory: engines (business lines), items, locations, stock per item and location, the audit
-- log for business tables, notifications for staff, and idempotency keys for write requests.
--
-- Access intent
--   engines, items, locations, stocks, stock_movements, notifications: staff read; nobody writes
--     directly: every change goes through the functions below (security definer, each checking
--     the actor's role), so the rules live in one place whatever calls them.
--   audit_log: admins read; written only by triggers.
--   idempotency_keys: a user's own keys, used by rpc_idempotent in the same transaction as the
--     write it protects.
--   Customers see none of these tables directly (their portal views come with the portal).

-- ---------------------------------------------------------------------------------------------
-- Actor helpers for write functions
-- ---------------------------------------------------------------------------------------------

-- Checks that the acting user has one of the roles, records them as the actor of this
-- transaction (for the audit triggers) and returns their id.
create or replace function private.begin_action(p_actor uuid, variadic p_roles text[])
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
begin
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if not (v_role = any (p_roles)) then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  perform set_config('duly.actor', v_actor::text, true);
  return v_actor;
end;
$$;
revoke all on function private.begin_action(uuid, text[]) from public;
grant execute on function private.begin_action(uuid, text[]) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- audit_log
-- ---------------------------------------------------------------------------------------------

create table public.audit_log (
  id bigint generated always as identity primary key,
  actor_id uuid,
  action text not null,
  table_name text not null,
  row_id text,
  before jsonb,
  after jsonb,
  security_event boolean not null default false,
  created_at timestamptz not null default now()
);
create index audit_log_created_at_idx on public.audit_log (created_at desc);
create index audit_log_actor_idx on public.audit_log (actor_id, created_at desc);
create index audit_log_table_idx on public.audit_log (table_name, created_at desc);

alter table public.audit_log enable row level security;
revoke all on public.audit_log from anon, authenticated;
-- Supabase's default privileges also give the identity sequence to the API roles.
revoke all on sequence public.audit_log_id_seq from anon, authenticated;
grant select on public.audit_log to authenticated;
grant select, insert, delete on public.audit_log to service_role;

create policy "admins read the audit log"
  on public.audit_log for select to authenticated
  using ((select private.has_role('admin')));

create or replace function private.audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := coalesce(
    (select auth.uid()),
    nullif(current_setting('duly.actor', true), '')::uuid
  );
  v_before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_security boolean := false;
begin
  if tg_op = 'UPDATE' and v_before = v_after then
    return new;
  end if;
  -- Role changes and deactivations are security events (kept longer).
  if tg_table_name = 'profiles' and tg_op = 'UPDATE' then
    v_security := (v_before ->> 'role') is distinct from (v_after ->> 'role')
      or (v_before ->> 'active') is distinct from (v_after ->> 'active');
  end if;
  insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event)
  values (
    v_actor,
    lower(tg_op),
    tg_table_name,
    coalesce(v_after ->> 'id', v_before ->> 'id'),
    v_before,
    v_after,
    v_security
  );
  return coalesce(new, old);
end;
$$;
revoke all on function private.audit_row() from public;

create trigger customers_audit after insert or update or delete on public.customers
  for each row execute function private.audit_row();
create trigger profiles_audit after insert or update or delete on public.profiles
  for each row execute function private.audit_row();

-- ---------------------------------------------------------------------------------------------
-- engines
-- ---------------------------------------------------------------------------------------------

create table public.engines (
  id uuid primary key default gen_random_uuid(),
  code text not null,
  name_ko text not null,
  name_zh text,
  name_en text,
  description text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint engines_code_format check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  constraint engines_name_length check (char_length(name_ko) between 1 and 200)
);
create unique index engines_code_key on public.engines (code);
create trigger engines_touch before update on public.engines for each row execute function private.touch_updated_at();
create trigger engines_audit after insert or update or delete on public.engines for each row execute function private.audit_row();

alter table public.engines enable row level security;
revoke all on public.engines from anon, authenticated;
grant select on public.engines to authenticated;
grant all on public.engines to service_role;
create policy "staff read engines" on public.engines for select to authenticated using ((select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- locations
-- ---------------------------------------------------------------------------------------------

create table public.locations (
  id uuid primary key default gen_random_uuid(),
  code text not null,
  name text not null,
  country text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint locations_code_format check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  constraint locations_country_valid check (country in ('KR', 'CN')),
  constraint locations_name_length check (char_length(name) between 1 and 200)
);
create unique index locations_code_key on public.locations (code);
create trigger locations_touch before update on public.locations for each row execute function private.touch_updated_at();
create trigger locations_audit after insert or update or delete on public.locations for each row execute function private.audit_row();

alter table public.locations enable row level security;
revoke all on public.locations from anon, authenticated;
grant select on public.locations to authenticated;
grant all on public.locations to service_role;
create policy "staff read locations" on public.locations for select to authenticated using ((select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- items
-- ---------------------------------------------------------------------------------------------

create table public.items (
  id uuid primary key default gen_random_uuid(),
  sku text not null,
  name_ko text not null,
  name_zh text,
  name_en text,
  unit text not null default 'EA',
  engine_id uuid references public.engines (id) on delete restrict,
  reorder_point numeric(14, 3) not null default 0,
  unit_cost numeric(14, 2) not null default 0,
  customer_id uuid references public.customers (id) on delete restrict,
  barcode text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint items_sku_format check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
  constraint items_unit_valid check (unit in ('EA', 'BOX', 'SET', 'KG', 'M')),
  constraint items_reorder_point_nonnegative check (reorder_point >= 0),
  constraint items_unit_cost_nonnegative check (unit_cost >= 0),
  constraint items_name_length check (char_length(name_ko) between 1 and 200),
  constraint items_barcode_format check (barcode is null or barcode ~ '^[A-Za-z0-9-]{4,64}$')
);
create unique index items_sku_key on public.items (upper(sku));
create unique index items_barcode_key on public.items (barcode) where barcode is not null;
create index items_engine_idx on public.items (engine_id);
create index items_customer_idx on public.items (customer_id);
create index items_active_sku_idx on public.items (active, sku);
create trigger items_touch before update on public.items for each row execute function private.touch_updated_at();
create trigger items_audit after insert or update or delete on public.items for each row execute function private.audit_row();

alter table public.items enable row level security;
revoke all on public.items from anon, authenticated;
grant select on public.items to authenticated;
grant all on public.items to service_role;
create policy "staff read items" on public.items for select to authenticated using ((select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- stocks: changed only by committing flows
-- ---------------------------------------------------------------------------------------------

create table public.stocks (
  item_id uuid not null references public.items (id) on delete restrict,
  location_id uuid not null references public.locations (id) on delete restrict,
  on_hand numeric(14, 3) not null default 0,
  updated_at timestamptz not null default now(),
  primary key (item_id, location_id),
  constraint stocks_on_hand_nonnegative check (on_hand >= 0)
);
create index stocks_location_idx on public.stocks (location_id);

alter table public.stocks enable row level security;
revoke all on public.stocks from anon, authenticated;
grant select on public.stocks to authenticated;
grant select on public.stocks to service_role;
create policy "staff read stock" on public.stocks for select to authenticated using ((select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- notifications for staff (low stock; the ops jobs send them on)
-- ---------------------------------------------------------------------------------------------

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  item_id uuid references public.items (id) on delete cascade,
  location_id uuid references public.locations (id) on delete cascade,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  read_at timestamptz,
  constraint notifications_kind_valid check (kind in ('low_stock'))
);
create index notifications_created_idx on public.notifications (created_at desc);
create index notifications_undelivered_idx on public.notifications (created_at) where delivered_at is null;
create index notifications_item_idx on public.notifications (item_id);

alter table public.notifications enable row level security;
revoke all on public.notifications from anon, authenticated;
grant select on public.notifications to authenticated;
grant all on public.notifications to service_role;
create policy "staff read notifications" on public.notifications for select to authenticated using ((select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- idempotency_keys
-- ---------------------------------------------------------------------------------------------

create table public.idempotency_keys (
  actor_id uuid not null,
  key text not null,
  request_hash text not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (actor_id, key),
  constraint idempotency_key_length check (char_length(key) between 1 and 200)
);
create index idempotency_keys_created_idx on public.idempotency_keys (created_at);

alter table public.idempotency_keys enable row level security;
revoke all on public.idempotency_keys from anon, authenticated;
grant all on public.idempotency_keys to service_role;
-- No policies for authenticated: only rpc_idempotent (security definer) touches the table.

-- ---------------------------------------------------------------------------------------------
-- rpc_idempotent: runs a write function at most once per (actor, key)
-- ---------------------------------------------------------------------------------------------
-- The key is inserted in the same transaction as the write. A concurrent request with the same
-- key waits on that insert; when the first commits it finds the stored result and replays it,
-- when the first fails it runs the write itself. A different request hash is refused.

create or replace function private.idempotency_claim(p_actor uuid, p_key text, p_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.idempotency_keys;
begin
  insert into public.idempotency_keys (actor_id, key, request_hash)
  values (p_actor, p_key, p_hash)
  on conflict (actor_id, key) do nothing;
  if found then
    return null;
  end if;
  select * into v_row from public.idempotency_keys where actor_id = p_actor and key = p_key;
  if v_row.request_hash <> p_hash then
    perform private.fail('idempotency_mismatch', 'This Idempotency-Key was already used for a different request');
  end if;
  return jsonb_build_object('result', v_row.response);
end;
$$;

create or replace function private.idempotency_store(p_actor uuid, p_key text, p_response jsonb)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.idempotency_keys set response = p_response where actor_id = p_actor and key = p_key
$$;
revoke all on function private.idempotency_claim(uuid, text, text), private.idempotency_store(uuid, text, jsonb) from public;
grant execute on function private.idempotency_claim(uuid, text, text), private.idempotency_store(uuid, text, jsonb) to authenticated, service_role;

-- The write functions that may be called through rpc_idempotent (filled by later migrations).
create table private.idempotent_functions (name text primary key);

create or replace function public.rpc_idempotent(p_key text, p_hash text, p_fn text, p_args jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
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

  v_prior := private.idempotency_claim(v_actor, p_key, p_hash);
  if v_prior is not null then
    return jsonb_build_object('replayed', true, 'result', v_prior -> 'result');
  end if;

  -- Same named-argument call the transports make, with the arguments as untyped literals.
  select format('select public.%I(%s)', p_fn, coalesce(string_agg(format('%I => %L', a.key,
           case jsonb_typeof(a.value) when 'string' then a.value #>> '{}' when 'null' then null else a.value::text end), ', '), ''))
  into v_call
  from jsonb_each(coalesce(p_args, '{}'::jsonb)) a;
  execute v_call into v_result;

  perform private.idempotency_store(v_actor, p_key, v_result);
  return jsonb_build_object('replayed', false, 'result', v_result);
end;
$$;
revoke all on function public.rpc_idempotent(text, text, text, jsonb, uuid) from public, anon;
grant execute on function public.rpc_idempotent(text, text, text, jsonb, uuid) to authenticated, service_role;

grant select on private.idempotent_functions to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Summary of stock per item, kept by commits, so lists and dashboards never sum the ledger.
-- ---------------------------------------------------------------------------------------------

create table public.item_stock_totals (
  item_id uuid primary key references public.items (id) on delete cascade,
  on_hand numeric(14, 3) not null default 0,
  updated_at timestamptz not null default now()
);
alter table public.item_stock_totals enable row level security;
revoke all on public.item_stock_totals from anon, authenticated;
grant select on public.item_stock_totals to authenticated;
grant select on public.item_stock_totals to service_role;
create policy "staff read stock totals" on public.item_stock_totals for select to authenticated using ((select private.is_staff()));
