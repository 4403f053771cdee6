-- A committed flow's lines are its ledger rows, stored once.
--
-- Every committed line was stored twice: as a flow line (flow, number, item, quantity) and as
-- one ledger row (two for a transfer) that repeats the flow, the number and the item and adds
-- the location, the signed change and the balance. At 1M ledger rows the lines and their two
-- indexes were 194 MB of a 460 MB database (docs/performance.md), the ledger 203 MB.
--
-- Now flow_commit deletes the lines it has just written to the ledger, and flow_lines holds the
-- lines of flows not committed (draft, submitted, approved, cancelled).
-- private.flow_lines_of(flow, kind, status) reads a flow's lines wherever they are: an open
-- flow's from flow_lines, a committed flow's from its ledger rows. The quantity comes back
-- exactly: an inbound's or an adjustment's change is its quantity, an outbound's is minus it,
-- and a transfer's line is its movement into the receiving warehouse (its other movement, out of
-- the sending one, is minus the same quantity). Every reader of a flow's lines (the flow and the
-- shipment, the lists' counts and totals, the exports, a reversal, the customers' policy on
-- items) calls it for each flow; private.all_flow_lines is every flow's lines, for sets (the
-- demo seed's daily totals, the bench load, tests). item_delete also asks the ledger.
--
-- What changes for a caller:
-- - a flow's lines no longer carry a line id (nothing referred to it; a line is its flow and
--   number, the primary key since 20261215000200);
-- - a customer's direct select on flow_lines returns the lines of their open shipments only;
--   a committed shipment's lines come through the portal's functions, as the app reads them.
--   Those run as the caller, so they read a shipment's lines through private.shipment_lines,
--   which checks that the shipment is the caller's own;
-- - the ledger's foreign key names the flow instead of the line.
-- The audit keeps every line added, changed or removed while the flow was open; the commit's
-- deletion is not recorded as a removal (private.audit_rows skips lines of committed flows).
--
-- Existing databases: the committed flows' lines are checked against the ledger first (same
-- item and quantity for every line, the right number of movements); the migration stops without
-- deleting anything if one differs.

-- Called with the flow's kind and status, which every caller has at hand: the reader needs no
-- lookup of the flow for each ledger row (a view that looked the kind up per row made a
-- 500-line flow's detail 2.5 x slower than reading flow_lines). A caller joins it laterally to
-- the flows it reads, so only their lines are read, through each table's index by flow.
create function private.flow_lines_of(p_flow uuid, p_kind text, p_status text)
returns table (line_no int, item_id uuid, qty numeric)
language sql
stable
set search_path = ''
as $$
  select fl.line_no, fl.item_id, fl.qty
  from public.flow_lines fl
  where fl.flow_id = p_flow and p_status <> 'committed'
  union all
  select m.line_no, m.item_id, case when p_kind = 'outbound' then -m.delta else m.delta end
  from public.stock_movements m
  -- a transfer's movement out of the sending warehouse is not a line of its own
  where m.flow_id = p_flow and p_status = 'committed' and (m.delta > 0 or p_kind <> 'transfer')
$$;
revoke all on function private.flow_lines_of(uuid, text, text) from public;

create view private.all_flow_lines as
select f.id as flow_id, l.line_no, l.item_id, l.qty
from public.flows f
cross join lateral private.flow_lines_of(f.id, f.kind, f.status) l;
revoke all on private.all_flow_lines from public;

comment on view private.all_flow_lines is
  'Every flow''s lines: an open flow''s from flow_lines, a committed flow''s from its ledger rows.';

do $$
begin
  if exists (
    -- a committed line without its ledger row, or with another item or quantity
    select 1 from public.flow_lines fl join public.flows f on f.id = fl.flow_id
    where f.status = 'committed'
      and not exists (
        select 1 from public.stock_movements m
        where m.flow_id = fl.flow_id and m.line_no = fl.line_no and m.item_id = fl.item_id
          and (m.delta > 0 or f.kind <> 'transfer')
          and case when f.kind = 'outbound' then -m.delta else m.delta end = fl.qty)
  ) or exists (
    -- a ledger row of a committed flow without its line, or too many rows for a line
    select 1 from public.stock_movements m join public.flows f on f.id = m.flow_id
    left join public.flow_lines fl on fl.flow_id = m.flow_id and fl.line_no = m.line_no
    group by m.flow_id, m.line_no, f.kind
    having count(fl.line_no) = 0 or count(*) <> case when f.kind = 'transfer' then 2 else 1 end
  ) then
    raise exception 'committed flow lines differ from the ledger; nothing was changed';
  end if;
end
$$;

alter table public.stock_movements drop constraint stock_movements_flow_line_fkey;
alter table public.stock_movements add constraint stock_movements_flow_id_fkey
  foreign key (flow_id) references public.flows(id) on delete restrict;

create or replace function private.my_shipped_items()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  -- The goods on the signed-in customer's shipments, open or committed: one set per query for
  -- the policy below, instead of a probe of each item's lines (a committed line is a ledger row,
  -- which customers cannot read).
  select l.item_id
  from public.flows f
  cross join lateral private.flow_lines_of(f.id, f.kind, f.status) l
  where f.kind = 'outbound' and f.customer_id = (select private.my_customer_id())
$$;
revoke all on function private.my_shipped_items() from public;
grant execute on function private.my_shipped_items() to authenticated;

drop policy "staff read items; customers the goods they own or were shipped" on public.items;
create policy "staff read items; customers the goods they own or were shipped" on public.items
  for select to authenticated
  using ((select private.is_staff())
         or customer_id = (select private.my_customer_id())
         or id in (select private.my_shipped_items()));

CREATE OR REPLACE FUNCTION private.audit_rows()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := coalesce(
    (select auth.uid()),
    nullif(current_setting('duly.actor', true), '')::uuid
  );
  v_import uuid := nullif(current_setting('duly.import_id', true), '')::uuid;
begin
  -- A transition table is read in the order the statement changed its rows (a flow's lines in
  -- line order), so the audit ids follow that order, as audit_row's did.
  if tg_op = 'INSERT' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'insert', tg_table_name, n.j ->> 'id', null, n.j, false, v_import
    from (select to_jsonb(t) as j from audit_new t) n;
  elsif tg_op = 'DELETE' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'delete', tg_table_name, o.j ->> 'id', o.j, null, false, v_import
    from (select to_jsonb(t) as j from audit_old t) o
    -- A committed flow's lines move into the ledger (flow_commit deletes them here); the flow's
    -- own row records the commit, so their going is not a removal.
    where tg_table_name <> 'flow_lines'
       or not exists (select 1 from public.flows f where f.id = (o.j ->> 'flow_id')::uuid and f.status = 'committed');
  else
    -- Old and new paired by id; the join may reorder, the position puts them back.
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'update', tg_table_name, coalesce(n.j ->> 'id', o.j ->> 'id'), o.j, n.j,
           tg_table_name = 'profiles'
             and ((o.j ->> 'role') is distinct from (n.j ->> 'role') or (o.j ->> 'active') is distinct from (n.j ->> 'active')),
           v_import
    from (select to_jsonb(t) as j, row_number() over () as pos from audit_new t) n
    join (select to_jsonb(t) as j from audit_old t) o on o.j -> 'id' = n.j -> 'id'
    where o.j <> n.j
    order by n.pos;
  end if;
  return null;
end;
$function$;

CREATE OR REPLACE FUNCTION private.flow_json(p_id uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
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
      select jsonb_agg(jsonb_build_object('line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty)
        || (select jsonb_build_object('sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
                                      'unit', i.unit, 'customer_id', i.customer_id)
            from public.items i where i.id = fl.item_id)
        order by fl.line_no)
      from private.flow_lines_of(f.id, f.kind, f.status) fl), '[]'::jsonb),
    'shortfalls', private.flow_shortfalls(f.id))
  into v
  from public.flows f
  where f.id = p_id;
  return v;
end;
$function$;

create function private.shipment_lines(p_flow uuid, p_actor uuid)
returns table (line_no int, item_id uuid, qty numeric)
language sql
stable
security definer
set search_path = ''
as $$
  -- A shipment's lines, for the customer it goes to. The portal's functions run as the caller,
  -- under the policies; a committed line is a ledger row, which customers cannot read, so this
  -- reads them as the owner and keeps the rule itself: the flow must be an outbound of the
  -- caller's own company (private.actor_customer_id trusts p_actor only from the service role).
  select l.line_no, l.item_id, l.qty
  from public.flows f
  cross join lateral private.flow_lines_of(f.id, f.kind, f.status) l
  where f.id = p_flow and f.kind = 'outbound' and f.customer_id = private.actor_customer_id(p_actor)
$$;
revoke all on function private.shipment_lines(uuid, uuid) from public;
grant execute on function private.shipment_lines(uuid, uuid) to authenticated, service_role;

drop function private.shipment_json(uuid);
CREATE OR REPLACE FUNCTION private.shipment_json(p_id uuid, p_actor uuid)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select jsonb_build_object(
    'id', f.id, 'number', f.number, 'status', f.status, 'reference', f.reference,
    'from_location', (select jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country)
                      from public.locations l where l.id = f.from_location_id),
    'created_at', f.created_at, 'submitted_at', f.submitted_at, 'approved_at', f.approved_at,
    'committed_at', f.committed_at, 'cancelled_at', f.cancelled_at, 'updated_at', f.updated_at,
    'lines', coalesce((
      select jsonb_agg(jsonb_build_object('line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty,
          'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit) order by fl.line_no)
      from private.shipment_lines(f.id, p_actor) fl join public.items i on i.id = fl.item_id), '[]'::jsonb))
  from public.flows f
  where f.id = p_id
$function$;
revoke all on function private.shipment_json(uuid, uuid) from public;
grant execute on function private.shipment_json(uuid, uuid) to authenticated, service_role;

CREATE OR REPLACE FUNCTION public.portal_shipment_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if exists (select 1 from public.flows f
             where f.id = p_id and f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft') then
    v := private.shipment_json(p_id, p_actor);
  end if;
  if v is null then perform private.fail('not_found', 'Shipment not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_shipments(p_status text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.shipment_json(f.id, p_actor) order by f.created_at desc, f.number desc)
      from (select f.id, f.created_at, f.number from public.flows f
            where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
              and (p_status is null or f.status = p_status)
            order by f.created_at desc, f.number desc limit p_limit offset v_offset) f), '[]'::jsonb),
    'count', (select count(*) from public.flows f
              where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
                and (p_status is null or f.status = p_status)),
    'page', p_page, 'limit', p_limit);
end;
$function$;


CREATE OR REPLACE FUNCTION public.flow_reverse(p_id uuid, p_note text DEFAULT NULL::text, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
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
  from private.flow_lines_of(v_flow.id, v_flow.kind, v_flow.status);
  return private.flow_json(v_new.id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flows_list(p_kind text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_q text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_customer_id uuid DEFAULT NULL::uuid, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(f) || jsonb_build_object(
          'from_location_code', (select l.code from public.locations l where l.id = f.from_location_id),
          'to_location_code', (select l.code from public.locations l where l.id = f.to_location_id),
          'customer_name', (select c.name from public.customers c where c.id = f.customer_id),
          'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
          'short_lines', case when f.status in ('draft', 'submitted', 'approved') and f.kind <> 'inbound'
                              then jsonb_array_length(private.flow_shortfalls(f.id)) else 0 end)
        -- the count and the total from one read of the flow's lines
        || (select jsonb_build_object('line_count', count(*), 'total_qty', coalesce(sum(abs(fl.qty)), 0))
            from private.flow_lines_of(f.id, f.kind, f.status) fl)
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
$function$;

CREATE OR REPLACE FUNCTION public.flows_export(p_kind text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_q text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_customer_id uuid DEFAULT NULL::uuid, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select json_agg(json_build_object(
      'number', x.number, 'kind', x.kind, 'status', x.status, 'created_at', x.created_at,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'to_location_code', (select l.code from public.locations l where l.id = x.to_location_id),
      'customer_name', (select c.name from public.customers c where c.id = x.customer_id),
      'partner', x.partner, 'reference', x.reference, 'note', x.note,
      'created_by_name', (select p.display_name from public.profiles p where p.id = x.created_by),
      'submitted_at', x.submitted_at, 'approved_at', x.approved_at, 'committed_at', x.committed_at, 'cancelled_at', x.cancelled_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.*, coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join lateral private.flow_lines_of(f.id, f.kind, f.status) fl on true
    where (p_kind is null or f.kind = p_kind)
      and (p_status is null or f.status = p_status)
      and (p_customer_id is null or f.customer_id = p_customer_id)
      and (p_from is null or f.created_at >= p_from)
      and (p_to is null or f.created_at < p_to)
      and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_shipments_export(p_status text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select json_agg(json_build_object(
      'number', x.number, 'status', x.status, 'reference', x.reference,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'created_at', x.created_at, 'committed_at', x.committed_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.number, f.status, f.reference, f.from_location_id, f.created_at, f.committed_at,
           coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join lateral private.shipment_lines(f.id, p_actor) fl on true
    where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
      and (p_status is null or f.status = p_status)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.item_delete(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.items;
begin
  perform private.begin_action_for(p_actor, 'records:delete');
  select * into cur from public.items where id = p_id for update;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  if exists (select 1 from public.stocks where item_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'An item with stock on hand cannot be deleted',
      jsonb_build_object('on_hand', (select sum(on_hand) from public.stocks where item_id = p_id)));
  end if;
  if exists (select 1 from public.stocks where item_id = p_id)
     or exists (select 1 from public.flow_lines where item_id = p_id)
     or exists (select 1 from public.stock_movements where item_id = p_id) then
    update public.items set active = false where id = p_id returning * into cur;
    return jsonb_build_object('deleted', false, 'deactivated', true, 'item', private.item_json(cur));
  end if;
  delete from public.items where id = p_id;
  return jsonb_build_object('deleted', true, 'deactivated', false, 'item', to_jsonb(cur));
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_commit(p_id uuid, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'flows:commit');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_short record;
  -- The flow's movements in ledger order (line, then from before to): a transfer has two per line.
  v_line_nos int[];
  v_items uuid[];
  v_locations uuid[];
  v_deltas numeric[];
begin
  perform private.require_status(v_flow, 'committed', 'approved');

  select coalesce(array_agg(fl.line_no order by fl.line_no, d.seq), '{}'), coalesce(array_agg(fl.item_id order by fl.line_no, d.seq), '{}'),
         coalesce(array_agg(d.location_id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(d.delta order by fl.line_no, d.seq), '{}')
  into v_line_nos, v_items, v_locations, v_deltas
  from public.flow_lines fl
  cross join lateral (
    values
      (case when v_flow.kind in ('outbound', 'transfer') then v_flow.from_location_id end, -fl.qty, 1),
      (case when v_flow.kind in ('inbound', 'transfer', 'adjustment') then v_flow.to_location_id end, fl.qty, 2)
  ) as d(location_id, delta, seq)
  where fl.flow_id = p_id and d.location_id is not null;

  -- Stock rows to be, created empty where missing (in lock order), then locked in that order.
  insert into public.stocks (item_id, location_id, on_hand)
  select distinct m.item_id, m.location_id, 0 from unnest(v_items, v_locations) as m(item_id, location_id) order by 1, 2
  on conflict do nothing;
  perform 1 from public.stocks s
  where (s.item_id, s.location_id) in (select m.item_id, m.location_id from unnest(v_items, v_locations) as m(item_id, location_id))
  order by s.item_id, s.location_id
  for update;

  select d.item_id, d.location_id, s.on_hand as available, -sum(d.delta) as requested
  into v_short
  from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
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

  -- The ledger rows, each with the running balance of its stock row (from the locked on_hand),
  -- in ledger order; then each stock row moves by the sum of its movements.
  insert into public.stock_movements (flow_id, line_no, item_id, location_id, delta, balance_after, actor_id)
  select p_id, m.line_no, m.item_id, m.location_id, m.delta,
         s.on_hand + sum(m.delta) over (partition by m.item_id, m.location_id order by m.ord), v_actor
  from unnest(v_line_nos, v_items, v_locations, v_deltas) with ordinality as m(line_no, item_id, location_id, delta, ord)
  join public.stocks s on s.item_id = m.item_id and s.location_id = m.location_id
  order by m.ord;
  update public.stocks s set on_hand = s.on_hand + m.delta, updated_at = now()
  from (select d.item_id, d.location_id, sum(d.delta) as delta
        from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
        group by d.item_id, d.location_id) m
  where s.item_id = m.item_id and s.location_id = m.location_id;

  -- Item totals (a transfer's two movements cancel out), and a low-stock notice when this commit
  -- takes an item from at or above its reorder point to below it.
  with changed as (
    select d.item_id, sum(d.delta) as delta from unnest(v_items, v_deltas) as d(item_id, delta)
    group by d.item_id having sum(d.delta) <> 0
  ), updated as (
    insert into public.item_stock_totals as t (item_id, on_hand, updated_at)
    select c.item_id, c.delta, now() from changed c
    order by c.item_id
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
  -- The ledger rows just written are the committed lines from now on (private.flow_lines_of):
  -- the lines go, so a committed line is stored once. After the status change, whose daily
  -- totals trigger reads them, and which tells the audit of lines this is no removal.
  delete from public.flow_lines where flow_id = p_id;
  return private.flow_json(p_id);
end;
$function$;

-- Then the lines of committed flows go (the audit skips them, above).
delete from public.flow_lines fl using public.flows f where f.id = fl.flow_id and f.status = 'committed';
