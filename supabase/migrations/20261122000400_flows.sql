-- Flows: every stock change is a flow (inbound, outbound, transfer, adjustment) with lines,
-- going draft → submitted → approved → committed, or cancelled before commit. Commit changes
-- stock atomically and appends to the append-only ledger (stock_movements).
--
-- Access intent
--   flows, flow_lines, stock_movements: staff read; all writes go through the functions below.
--   Creating and editing drafts: admin, manager, korean_team, chinese_staff. Approving and
--   committing: manager and admin, and never the creator of the flow (segregation of duties).
--   stock_movements refuses every update and delete, from anyone.

create table public.flows (
  id uuid primary key default gen_random_uuid(),
  number text not null,
  kind text not null,
  status text not null default 'draft',
  from_location_id uuid references public.locations (id) on delete restrict,
  to_location_id uuid references public.locations (id) on delete restrict,
  customer_id uuid references public.customers (id) on delete restrict,
  partner text,
  reference text,
  note text,
  reversal_of uuid references public.flows (id) on delete restrict,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  submitted_by uuid references public.profiles (id) on delete set null,
  submitted_at timestamptz,
  approved_by uuid references public.profiles (id) on delete set null,
  approved_at timestamptz,
  committed_by uuid references public.profiles (id) on delete set null,
  committed_at timestamptz,
  cancelled_by uuid references public.profiles (id) on delete set null,
  cancelled_at timestamptz,
  cancel_reason text,
  updated_at timestamptz not null default now(),
  constraint flows_kind_valid check (kind in ('inbound', 'outbound', 'transfer', 'adjustment')),
  constraint flows_status_valid check (status in ('draft', 'submitted', 'approved', 'committed', 'cancelled')),
  -- Which locations each kind uses: inbound and adjustment change the "to" location, outbound
  -- the "from" location, a transfer moves between two different ones.
  constraint flows_locations check (
    case kind
      when 'inbound' then to_location_id is not null and from_location_id is null
      when 'outbound' then from_location_id is not null and to_location_id is null
      when 'transfer' then from_location_id is not null and to_location_id is not null and from_location_id <> to_location_id
      when 'adjustment' then to_location_id is not null and from_location_id is null
    end),
  constraint flows_text_lengths check (
    coalesce(char_length(partner), 0) <= 200 and coalesce(char_length(reference), 0) <= 200
    and coalesce(char_length(note), 0) <= 2000 and coalesce(char_length(cancel_reason), 0) <= 500)
);
create unique index flows_number_key on public.flows (number);
create index flows_kind_status_idx on public.flows (kind, status, created_at desc);
create index flows_status_idx on public.flows (status, created_at desc);
create index flows_created_at_idx on public.flows (created_at desc);
create index flows_customer_idx on public.flows (customer_id, created_at desc);
create index flows_from_location_idx on public.flows (from_location_id);
create index flows_to_location_idx on public.flows (to_location_id);
create index flows_reversal_idx on public.flows (reversal_of);
create index flows_committed_at_idx on public.flows (committed_at desc) where status = 'committed';
create trigger flows_touch before update on public.flows for each row execute function private.touch_updated_at();
create trigger flows_audit after insert or update or delete on public.flows for each row execute function private.audit_row();

alter table public.flows enable row level security;
revoke all on public.flows from anon, authenticated;
grant select on public.flows to authenticated;
grant all on public.flows to service_role;
create policy "staff read flows" on public.flows for select to authenticated using ((select private.is_staff()));

create table public.flow_lines (
  id uuid primary key default gen_random_uuid(),
  flow_id uuid not null references public.flows (id) on delete cascade,
  line_no int not null,
  item_id uuid not null references public.items (id) on delete restrict,
  qty numeric(14, 3) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Adjustments carry a signed quantity; every other kind a positive one (checked in flow functions).
  constraint flow_lines_qty_nonzero check (qty <> 0),
  constraint flow_lines_item_once unique (flow_id, item_id),
  constraint flow_lines_line_no_unique unique (flow_id, line_no)
);
create index flow_lines_item_idx on public.flow_lines (item_id);
create trigger flow_lines_touch before update on public.flow_lines for each row execute function private.touch_updated_at();
create trigger flow_lines_audit after insert or update or delete on public.flow_lines for each row execute function private.audit_row();

alter table public.flow_lines enable row level security;
revoke all on public.flow_lines from anon, authenticated;
grant select on public.flow_lines to authenticated;
grant all on public.flow_lines to service_role;
create policy "staff read flow lines" on public.flow_lines for select to authenticated using ((select private.is_staff()));

-- The ledger. balance_after is the stock at (item, location) right after this movement.
create table public.stock_movements (
  id bigint generated always as identity primary key,
  flow_id uuid not null references public.flows (id) on delete restrict,
  flow_line_id uuid not null references public.flow_lines (id) on delete restrict,
  item_id uuid not null references public.items (id) on delete restrict,
  location_id uuid not null references public.locations (id) on delete restrict,
  delta numeric(14, 3) not null,
  balance_after numeric(14, 3) not null,
  actor_id uuid,
  created_at timestamptz not null default now(),
  constraint stock_movements_delta_nonzero check (delta <> 0),
  constraint stock_movements_balance_nonnegative check (balance_after >= 0)
);
create index stock_movements_item_location_idx on public.stock_movements (item_id, location_id, id desc);
create index stock_movements_location_idx on public.stock_movements (location_id, id desc);
create index stock_movements_flow_idx on public.stock_movements (flow_id);
create index stock_movements_line_idx on public.stock_movements (flow_line_id);
create index stock_movements_created_idx on public.stock_movements (created_at desc);

alter table public.stock_movements enable row level security;
revoke all on public.stock_movements from anon, authenticated;
-- Supabase's default privileges also give the identity sequence to the API roles.
revoke all on sequence public.stock_movements_id_seq from anon, authenticated;
grant select on public.stock_movements to authenticated;
grant select, insert on public.stock_movements to service_role;
create policy "staff read the ledger" on public.stock_movements for select to authenticated using ((select private.is_staff()));

create or replace function private.refuse_ledger_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'forbidden', detail = 'The stock ledger is append-only';
end;
$$;
create trigger stock_movements_append_only before update or delete on public.stock_movements
  for each row execute function private.refuse_ledger_change();
create trigger stock_movements_no_truncate before truncate on public.stock_movements
  for each statement execute function private.refuse_ledger_change();

-- Readable numbers per kind and year: OUT-2026-000123.
create table private.flow_counters (
  prefix text not null,
  year int not null,
  last_value int not null,
  primary key (prefix, year)
);

create or replace function private.next_flow_number(p_kind text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_prefix text := case p_kind when 'inbound' then 'IN' when 'outbound' then 'OUT' when 'transfer' then 'TRF' else 'ADJ' end;
  v_year int := extract(year from now() at time zone 'Asia/Seoul')::int;
  v_value int;
begin
  insert into private.flow_counters (prefix, year, last_value) values (v_prefix, v_year, 1)
  on conflict (prefix, year) do update set last_value = private.flow_counters.last_value + 1
  returning last_value into v_value;
  return format('%s-%s-%s', v_prefix, v_year, lpad(v_value::text, 6, '0'));
end;
$$;
revoke all on function private.next_flow_number(text) from public;

-- ---------------------------------------------------------------------------------------------
-- Reading flows
-- ---------------------------------------------------------------------------------------------

create or replace function private.flow_json(p_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select to_jsonb(f) || jsonb_build_object(
    'from_location', (select jsonb_build_object('id', l.id, 'code', l.code, 'name', l.name) from public.locations l where l.id = f.from_location_id),
    'to_location', (select jsonb_build_object('id', l.id, 'code', l.code, 'name', l.name) from public.locations l where l.id = f.to_location_id),
    'customer', (select jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) from public.customers c where c.id = f.customer_id),
    'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
    'submitted_by_name', (select p.display_name from public.profiles p where p.id = f.submitted_by),
    'approved_by_name', (select p.display_name from public.profiles p where p.id = f.approved_by),
    'committed_by_name', (select p.display_name from public.profiles p where p.id = f.committed_by),
    'cancelled_by_name', (select p.display_name from public.profiles p where p.id = f.cancelled_by),
    'reversed_by', (select jsonb_agg(jsonb_build_object('id', r.id, 'number', r.number, 'status', r.status)) from public.flows r where r.reversal_of = f.id),
    'lines', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', fl.id, 'line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit) order by fl.line_no)
      from public.flow_lines fl join public.items i on i.id = fl.item_id
      where fl.flow_id = f.id), '[]'::jsonb))
  from public.flows f
  where f.id = p_id
$$;
revoke all on function private.flow_json(uuid) from public;
grant execute on function private.flow_json(uuid) to authenticated, service_role;

create or replace function public.flow_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v := private.flow_json(p_id);
  if v is null then perform private.fail('not_found', 'Flow not found'); end if;
  return v;
end;
$$;

create or replace function public.flows_list(
  p_kind text default null,
  p_status text default null,
  p_q text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_customer_id uuid default null,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(f) || jsonb_build_object(
          'from_location_code', (select l.code from public.locations l where l.id = f.from_location_id),
          'to_location_code', (select l.code from public.locations l where l.id = f.to_location_id),
          'customer_name', (select c.name from public.customers c where c.id = f.customer_id),
          'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
          'line_count', (select count(*) from public.flow_lines fl where fl.flow_id = f.id),
          'total_qty', (select coalesce(sum(abs(fl.qty)), 0) from public.flow_lines fl where fl.flow_id = f.id))
        order by f.created_at desc, f.number desc)
      from (
        select * from public.flows f
        where (p_kind is null or f.kind = p_kind)
          and (p_status is null or f.status = p_status)
          and (p_customer_id is null or f.customer_id = p_customer_id)
          and (p_from is null or f.created_at >= p_from)
          and (p_to is null or f.created_at < p_to)
          and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
        order by f.created_at desc, f.number desc
        limit p_limit offset v_offset) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.flows f
      where (p_kind is null or f.kind = p_kind)
        and (p_status is null or f.status = p_status)
        and (p_customer_id is null or f.customer_id = p_customer_id)
        and (p_from is null or f.created_at >= p_from)
        and (p_to is null or f.created_at < p_to)
        and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Writing flows
-- ---------------------------------------------------------------------------------------------

-- Replaces a draft's lines from JSON [{item_id, qty}], checking quantities for the kind.
create or replace function private.flow_set_lines(p_flow public.flows, p_lines jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_line jsonb;
  v_no int := 0;
  v_qty numeric;
  v_item public.items;
begin
  if p_lines is null or jsonb_typeof(p_lines) <> 'array' then
    perform private.fail('validation_failed', 'lines must be a list');
  end if;
  if jsonb_array_length(p_lines) > 500 then
    perform private.fail('validation_failed', 'A flow has at most 500 lines');
  end if;
  delete from public.flow_lines where flow_id = p_flow.id;
  for v_line in select * from jsonb_array_elements(p_lines) loop
    v_no := v_no + 1;
    v_qty := (v_line ->> 'qty')::numeric;
    if v_qty is null or v_qty = 0 or (p_flow.kind <> 'adjustment' and v_qty < 0) then
      perform private.fail('validation_failed', 'Each line needs a quantity above zero (adjustments: not zero)',
        jsonb_build_object('line', v_no));
    end if;
    select * into v_item from public.items where id = (v_line ->> 'item_id')::uuid;
    if not found then
      perform private.fail('validation_failed', 'Unknown item', jsonb_build_object('line', v_no, 'item_id', v_line ->> 'item_id'));
    end if;
    if not v_item.active then
      perform private.fail('validation_failed', 'Item is inactive', jsonb_build_object('line', v_no, 'item_id', v_item.id));
    end if;
    if exists (select 1 from public.flow_lines where flow_id = p_flow.id and item_id = v_item.id) then
      perform private.fail('validation_failed', 'An item may appear only once in a flow', jsonb_build_object('line', v_no, 'item_id', v_item.id));
    end if;
    insert into public.flow_lines (flow_id, line_no, item_id, qty) values (p_flow.id, v_no, v_item.id, v_qty);
  end loop;
end;
$$;
revoke all on function private.flow_set_lines(public.flows, jsonb) from public;

create or replace function private.check_flow_refs(p_from uuid, p_to uuid, p_customer uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_from is not null and not exists (select 1 from public.locations where id = p_from and active) then
    perform private.fail('validation_failed', 'Unknown or inactive location', jsonb_build_object('from_location_id', p_from));
  end if;
  if p_to is not null and not exists (select 1 from public.locations where id = p_to and active) then
    perform private.fail('validation_failed', 'Unknown or inactive location', jsonb_build_object('to_location_id', p_to));
  end if;
  if p_customer is not null and not exists (select 1 from public.customers where id = p_customer) then
    perform private.fail('validation_failed', 'Unknown customer', jsonb_build_object('customer_id', p_customer));
  end if;
end;
$$;
revoke all on function private.check_flow_refs(uuid, uuid, uuid) from public;

create or replace function public.flow_create(
  p_kind text,
  p_lines jsonb,
  p_from_location_id uuid default null,
  p_to_location_id uuid default null,
  p_customer_id uuid default null,
  p_partner text default null,
  p_reference text default null,
  p_note text default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow public.flows;
begin
  if p_kind not in ('inbound', 'outbound', 'transfer', 'adjustment') then
    perform private.fail('validation_failed', 'Unknown flow kind', jsonb_build_object('kind', p_kind));
  end if;
  perform private.check_flow_refs(p_from_location_id, p_to_location_id, p_customer_id);
  insert into public.flows (number, kind, from_location_id, to_location_id, customer_id, partner, reference, note, created_by)
  values (private.next_flow_number(p_kind), p_kind, p_from_location_id, p_to_location_id, p_customer_id,
          nullif(trim(p_partner), ''), nullif(trim(p_reference), ''), nullif(trim(p_note), ''), v_actor)
  returning * into v_flow;
  perform private.flow_set_lines(v_flow, coalesce(p_lines, '[]'::jsonb));
  return private.flow_json(v_flow.id);
end;
$$;

-- Locks a flow of an expected kind (null: any) for a state change.
create or replace function private.lock_flow(p_id uuid, p_kind text)
returns public.flows
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.flows;
begin
  select * into v from public.flows where id = p_id for update;
  if not found or (p_kind is not null and v.kind <> p_kind) then
    perform private.fail('not_found', 'Flow not found');
  end if;
  return v;
end;
$$;
revoke all on function private.lock_flow(uuid, text) from public;

create or replace function private.require_status(p_flow public.flows, p_action text, variadic p_allowed text[])
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not (p_flow.status = any (p_allowed)) then
    perform private.fail('invalid_state', format('A %s flow cannot be %s', p_flow.status, p_action),
      jsonb_build_object('status', p_flow.status, 'action', p_action));
  end if;
end;
$$;
revoke all on function private.require_status(public.flows, text, text[]) from public;

-- PATCH a draft: header fields and/or the whole list of lines.
create or replace function public.flow_update(p_id uuid, p_patch jsonb, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_flow public.flows;
  r public.flows;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow := private.lock_flow(p_id, p_kind);
  perform private.require_status(v_flow, 'edited', 'draft');
  r := jsonb_populate_record(v_flow, private.pick(p_patch,
    array['from_location_id', 'to_location_id', 'customer_id', 'partner', 'reference', 'note']));
  perform private.check_flow_refs(r.from_location_id, r.to_location_id, r.customer_id);
  update public.flows
  set from_location_id = r.from_location_id, to_location_id = r.to_location_id, customer_id = r.customer_id,
      partner = nullif(trim(r.partner), ''), reference = nullif(trim(r.reference), ''), note = nullif(trim(r.note), '')
  where id = p_id
  returning * into v_flow;
  if p_patch ? 'lines' then
    perform private.flow_set_lines(v_flow, p_patch -> 'lines');
  end if;
  return private.flow_json(p_id);
end;
$$;

create or replace function public.flow_submit(p_id uuid, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'submitted', 'draft');
  if not exists (select 1 from public.flow_lines where flow_id = p_id) then
    perform private.fail('validation_failed', 'A flow needs at least one line before it is submitted');
  end if;
  update public.flows set status = 'submitted', submitted_by = v_actor, submitted_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$$;

create or replace function public.flow_approve(p_id uuid, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'approved', 'submitted');
  if v_flow.created_by = v_actor then
    perform private.fail('forbidden', 'The creator of a flow cannot approve it');
  end if;
  update public.flows set status = 'approved', approved_by = v_actor, approved_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$$;

create or replace function public.flow_cancel(p_id uuid, p_reason text default null, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'cancelled', 'draft', 'submitted', 'approved');
  -- Once approved, only those who may approve may cancel.
  if v_flow.status = 'approved' and private.actor_role(p_actor) not in ('admin', 'manager') then
    perform private.fail('forbidden', 'Only a manager can cancel an approved flow');
  end if;
  update public.flows
  set status = 'cancelled', cancelled_by = v_actor, cancelled_at = now(), cancel_reason = nullif(trim(p_reason), '')
  where id = p_id;
  return private.flow_json(p_id);
end;
$$;

-- Commit: one transaction. Stock rows are locked in (item, location) order so concurrent commits
-- never deadlock; availability is checked before anything changes.
create or replace function public.flow_commit(p_id uuid, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_short record;
  v_move record;
  v_balance numeric;
begin
  perform private.require_status(v_flow, 'committed', 'approved');

  create temporary table if not exists pg_temp.flow_deltas (
    flow_line_id uuid, line_no int, item_id uuid, location_id uuid, delta numeric, seq int
  ) on commit drop;
  truncate pg_temp.flow_deltas;

  insert into pg_temp.flow_deltas
  select fl.id, fl.line_no, fl.item_id, d.location_id, d.delta, d.seq
  from public.flow_lines fl
  cross join lateral (
    values
      (case when v_flow.kind in ('outbound', 'transfer') then v_flow.from_location_id end, -fl.qty, 1),
      (case when v_flow.kind in ('inbound', 'transfer', 'adjustment') then v_flow.to_location_id end, fl.qty, 2)
  ) as d(location_id, delta, seq)
  where fl.flow_id = p_id and d.location_id is not null;

  -- Stock rows to be, created empty where missing (in lock order), then locked in that order.
  insert into public.stocks (item_id, location_id, on_hand)
  select distinct item_id, location_id, 0 from pg_temp.flow_deltas order by 1, 2
  on conflict do nothing;
  perform 1 from public.stocks s
  where (s.item_id, s.location_id) in (select item_id, location_id from pg_temp.flow_deltas)
  order by s.item_id, s.location_id
  for update;

  select d.item_id, d.location_id, s.on_hand as available, -sum(d.delta) as requested
  into v_short
  from pg_temp.flow_deltas d
  join public.stocks s on s.item_id = d.item_id and s.location_id = d.location_id
  group by d.item_id, d.location_id, s.on_hand
  having s.on_hand + sum(d.delta) < 0
  order by d.item_id, d.location_id
  limit 1;
  if found then
    perform private.fail('insufficient_stock', 'Not enough stock to commit this flow',
      jsonb_build_object('item_id', v_short.item_id, 'location_id', v_short.location_id,
        'available', v_short.available, 'requested', v_short.requested,
        'sku', (select sku from public.items where id = v_short.item_id),
        'location_code', (select code from public.locations where id = v_short.location_id)));
  end if;

  for v_move in select * from pg_temp.flow_deltas order by line_no, seq loop
    update public.stocks set on_hand = on_hand + v_move.delta, updated_at = now()
    where item_id = v_move.item_id and location_id = v_move.location_id
    returning on_hand into v_balance;
    insert into public.stock_movements (flow_id, flow_line_id, item_id, location_id, delta, balance_after, actor_id)
    values (p_id, v_move.flow_line_id, v_move.item_id, v_move.location_id, v_move.delta, v_balance, v_actor);
  end loop;

  -- Item totals (a transfer's two movements cancel out), and a low-stock notice when this commit
  -- takes an item from at or above its reorder point to below it.
  with changed as (
    select item_id, sum(delta) as delta from pg_temp.flow_deltas group by item_id having sum(delta) <> 0
  ), updated as (
    insert into public.item_stock_totals as t (item_id, on_hand, updated_at)
    select c.item_id, c.delta, now() from changed c
    on conflict (item_id) do update set on_hand = t.on_hand + excluded.on_hand, updated_at = now()
    returning t.item_id, t.on_hand
  )
  insert into public.notifications (kind, item_id, payload)
  select 'low_stock', u.item_id, jsonb_build_object(
    'sku', i.sku, 'name_ko', i.name_ko, 'on_hand', u.on_hand, 'reorder_point', i.reorder_point,
    'flow_id', p_id, 'flow_number', v_flow.number)
  from updated u
  join changed c on c.item_id = u.item_id
  join public.items i on i.id = u.item_id
  where u.on_hand < i.reorder_point and u.on_hand - c.delta >= i.reorder_point;

  update public.flows set status = 'committed', committed_by = v_actor, committed_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$$;

-- Reversal: a new draft flow that undoes a committed one (same workflow to take effect).
create or replace function public.flow_reverse(p_id uuid, p_note text default null, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_new public.flows;
  v_kind text;
begin
  perform private.require_status(v_flow, 'reversed', 'committed');
  if exists (select 1 from public.flows where reversal_of = p_id and status <> 'cancelled') then
    perform private.fail('conflict', 'This flow already has a reversal');
  end if;
  v_kind := case v_flow.kind when 'inbound' then 'outbound' when 'outbound' then 'inbound' else v_flow.kind end;
  insert into public.flows (number, kind, from_location_id, to_location_id, customer_id, partner, reference, note, reversal_of, created_by)
  values (
    private.next_flow_number(v_kind), v_kind,
    case v_flow.kind when 'inbound' then v_flow.to_location_id when 'transfer' then v_flow.to_location_id end,
    case v_flow.kind when 'outbound' then v_flow.from_location_id when 'transfer' then v_flow.from_location_id
                     when 'adjustment' then v_flow.to_location_id end,
    v_flow.customer_id, v_flow.partner, v_flow.number,
    coalesce(nullif(trim(p_note), ''), 'Reversal of ' || v_flow.number), p_id, v_actor)
  returning * into v_new;
  insert into public.flow_lines (flow_id, line_no, item_id, qty)
  select v_new.id, line_no, item_id, case when v_flow.kind = 'adjustment' then -qty else qty end
  from public.flow_lines where flow_id = p_id;
  return private.flow_json(v_new.id);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Stock and ledger
-- ---------------------------------------------------------------------------------------------

create or replace function public.stocks_list(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_engine_id uuid default null,
  p_low boolean default false,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations), with or without stock rows.
    return jsonb_build_object(
      'data', coalesce((
        select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'reorder_point', i.reorder_point, 'on_hand', coalesce(t.on_hand, 0), 'shortage', i.reorder_point - coalesce(t.on_hand, 0),
          'engine_id', i.engine_id, 'low', true,
          'locations', coalesce((select jsonb_agg(jsonb_build_object('location_id', s.location_id, 'location_code', l.code, 'on_hand', s.on_hand) order by l.code)
                                 from public.stocks s join public.locations l on l.id = s.location_id
                                 where s.item_id = i.id and (p_location_id is null or s.location_id = p_location_id)), '[]'::jsonb))
          order by (i.reorder_point - coalesce(t.on_hand, 0)) desc, i.sku)
        from (
          select i.* from public.items i left join public.item_stock_totals t on t.item_id = i.id
          where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point
            and (p_item_id is null or i.id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
            and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = i.id and s.location_id = p_location_id))
          order by (i.reorder_point - coalesce(t.on_hand, 0)) desc, i.sku
          limit p_limit offset v_offset) i
        left join public.item_stock_totals t on t.item_id = i.id
      ), '[]'::jsonb),
      'count', (
        select count(*) from public.items i left join public.item_stock_totals t on t.item_id = i.id
        where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point
          and (p_item_id is null or i.id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = i.id and s.location_id = p_location_id))),
      'page', p_page, 'limit', p_limit);
  end if;

  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', x.item_id, 'location_id', x.location_id, 'on_hand', x.on_hand, 'updated_at', x.updated_at,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
        'engine_id', i.engine_id, 'reorder_point', i.reorder_point, 'unit_cost', i.unit_cost,
        'item_on_hand', coalesce(t.on_hand, 0), 'low', i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point,
        'location_code', l.code, 'location_name', l.name, 'country', l.country)
        order by i.sku, l.code)
      from (
        select s.* from public.stocks s
        join public.items i on i.id = s.item_id
        join public.locations l on l.id = s.location_id
        where (p_item_id is null or s.item_id = p_item_id)
          and (p_location_id is null or s.location_id = p_location_id)
          and (p_engine_id is null or i.engine_id = p_engine_id)
        order by i.sku, l.code
        limit p_limit offset v_offset) x
      join public.items i on i.id = x.item_id
      join public.locations l on l.id = x.location_id
      left join public.item_stock_totals t on t.item_id = x.item_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.stocks s join public.items i on i.id = s.item_id
      where (p_item_id is null or s.item_id = p_item_id)
        and (p_location_id is null or s.location_id = p_location_id)
        and (p_engine_id is null or i.engine_id = p_engine_id)),
    'page', p_page, 'limit', p_limit);
end;
$$;

-- The ledger, newest first, with keyset pagination: pass the last id seen as p_before.
create or replace function public.ledger_list(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_before bigint default null,
  p_limit int default 50,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb;
  v_count int;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    perform private.fail('bad_request', 'limit must be between 1 and 200');
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', m.id, 'flow_id', m.flow_id, 'flow_line_id', m.flow_line_id, 'item_id', m.item_id, 'location_id', m.location_id,
      'delta', m.delta, 'balance_after', m.balance_after, 'actor_id', m.actor_id, 'created_at', m.created_at,
      'flow_number', f.number, 'flow_kind', f.kind, 'sku', i.sku, 'location_code', l.code) order by m.id desc), '[]'::jsonb),
    count(*)
  into v_rows, v_count
  from (
    select * from public.stock_movements m
    where (p_item_id is null or m.item_id = p_item_id)
      and (p_location_id is null or m.location_id = p_location_id)
      and (p_from is null or m.created_at >= p_from)
      and (p_to is null or m.created_at < p_to)
      and (p_before is null or m.id < p_before)
    order by m.id desc
    limit p_limit) m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id;
  return jsonb_build_object(
    'data', v_rows,
    'limit', p_limit,
    'next_before', case when v_count = p_limit then (v_rows -> (v_count - 1) ->> 'id')::bigint end);
end;
$$;

-- The stock invariant: for every (item, location), stocks.on_hand equals the sum of the ledger,
-- and every item total equals the sum of its stock. Returns the rows that disagree (none: holds).
create or replace function public.stock_invariant_violations()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('violations', coalesce(jsonb_agg(v), '[]'::jsonb))
  from (
    select 'stock_vs_ledger' as kind, coalesce(s.item_id, m.item_id) as item_id, coalesce(s.location_id, m.location_id) as location_id,
           coalesce(s.on_hand, 0) as on_hand, coalesce(m.total, 0) as ledger
    from public.stocks s
    full join (select item_id, location_id, sum(delta) as total from public.stock_movements group by item_id, location_id) m
      on m.item_id = s.item_id and m.location_id = s.location_id
    where coalesce(s.on_hand, 0) <> coalesce(m.total, 0)
    union all
    select 'total_vs_stock', t.item_id, null, t.on_hand, coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = t.item_id), 0)
    from public.item_stock_totals t
    where t.on_hand <> coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = t.item_id), 0)
  ) v
$$;

revoke all on function
  public.flow_get(uuid, uuid),
  public.flows_list(text, text, text, timestamptz, timestamptz, uuid, int, int, uuid),
  public.flow_create(text, jsonb, uuid, uuid, uuid, text, text, text, uuid),
  public.flow_update(uuid, jsonb, text, uuid),
  public.flow_submit(uuid, text, uuid), public.flow_approve(uuid, text, uuid),
  public.flow_cancel(uuid, text, text, uuid), public.flow_commit(uuid, text, uuid),
  public.flow_reverse(uuid, text, text, uuid),
  public.stocks_list(uuid, uuid, uuid, boolean, int, int, uuid),
  public.ledger_list(uuid, uuid, timestamptz, timestamptz, bigint, int, uuid),
  public.stock_invariant_violations()
  from public, anon;
grant execute on function
  public.flow_get(uuid, uuid),
  public.flows_list(text, text, text, timestamptz, timestamptz, uuid, int, int, uuid),
  public.flow_create(text, jsonb, uuid, uuid, uuid, text, text, text, uuid),
  public.flow_update(uuid, jsonb, text, uuid),
  public.flow_submit(uuid, text, uuid), public.flow_approve(uuid, text, uuid),
  public.flow_cancel(uuid, text, text, uuid), public.flow_commit(uuid, text, uuid),
  public.flow_reverse(uuid, text, text, uuid),
  public.stocks_list(uuid, uuid, uuid, boolean, int, int, uuid),
  public.ledger_list(uuid, uuid, timestamptz, timestamptz, bigint, int, uuid)
  to authenticated, service_role;
revoke all on function public.stock_invariant_violations() from authenticated;
grant execute on function public.stock_invariant_violations() to service_role;

insert into private.idempotent_functions (name) values
  ('flow_create'), ('flow_update'), ('flow_submit'), ('flow_approve'), ('flow_cancel'), ('flow_commit'), ('flow_reverse');
