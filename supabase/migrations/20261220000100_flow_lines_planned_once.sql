-- A flow's lines read without planning their query again on every call.
--
-- private.flow_lines_of (20261219000100) was a SQL function with its own search_path. Postgres
-- never inlines such a function, and keeps no plan of it between queries: every query that
-- called it parsed and planned its body again when it ran. Every flow the API returns is built
-- by private.flow_json, which called it once a call: 40 % of flow_json's time, and flow_json runs
-- in each of the outbound cycle's four calls (docs/performance.md).
--
-- Two forms now, one rule:
-- - private.flow_lines_of, without the setting, is inlined into the queries that read the lines
--   of many flows (the exports, private.all_flow_lines, the customers' shipped items, a
--   shipment): their plans read flow_lines and the ledger through each table's index by flow.
--   Its body names every table by schema; it runs only inside the security definer functions
--   that call it (search_path '') and for the owner; nobody else may execute it.
-- - private.one_flow_lines reads one flow's lines through it, in PL/pgSQL, whose plans are kept
--   for the session (one for committed flows, one for the others: with the status as a
--   parameter, a plan made for each call's status would have been made again for each call,
--   and forcing a generic plan with `set plan_cache_mode` made a 500-line flow's detail 3 x
--   slower on one database, for a reason not found). private.flow_json and flows_list call it
--   once a flow. flows_list is planned for each call (its filters); with the reader inlined,
--   each list planned the reader's union again and a page of 20 flows took 47 % more backend
--   time. flow_json costs the same either way.

create or replace function private.flow_lines_of(p_flow uuid, p_kind text, p_status text)
returns table (line_no int, item_id uuid, qty numeric)
language sql
stable
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

create function private.one_flow_lines(p_flow uuid, p_kind text, p_status text)
returns table (line_no int, item_id uuid, qty numeric)
language plpgsql
stable
set search_path = ''
as $$
begin
  -- The reader tells a committed flow from any other. Each branch names its case as a constant,
  -- so its plan reads one table and stays the same for every flow (the session keeps it).
  if p_status = 'committed' then
    return query select l.line_no, l.item_id, l.qty from private.flow_lines_of(p_flow, p_kind, 'committed') l;
  else
    return query select l.line_no, l.item_id, l.qty from private.flow_lines_of(p_flow, p_kind, 'draft') l;
  end if;
end;
$$;
revoke all on function private.one_flow_lines(uuid, text, text) from public;

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
      from private.one_flow_lines(f.id, f.kind, f.status) fl), '[]'::jsonb),
    'shortfalls', private.flow_shortfalls(f.id))
  into v
  from public.flows f
  where f.id = p_id;
  return v;
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
            from private.one_flow_lines(f.id, f.kind, f.status) fl)
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
