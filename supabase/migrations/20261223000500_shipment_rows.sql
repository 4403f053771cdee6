-- The portal's shipments page as JSON in one statement, as the inspection list's rows are
-- (20261223000200).
--
-- portal_shipments built each shipment with private.shipment_json, one at a time. Each of those
-- statements joined its lines to items under the items policy, whose last arm is the set of every
-- item on every shipment of the caller's company (private.my_shipped_items): that set was made
-- again for each shipment on the page, so a page cost the page's size times the company's whole
-- shipping history. On the bench database a customer with 15 shipments waited 26-31 ms for them. Now
-- the page is one statement: the policies' checks and that set are made once for it, and the lines
-- of all its shipments come from one call of private.shipments_lines. private.shipment_json is this
-- function for one id (portal_shipment_get). It stays security invoker: row level security decides
-- which shipments, warehouses and items the caller reads.

-- The lines of many shipments, for the customer they go to (private.shipment_lines' rule, once for
-- all of them): security definer because a committed line is a ledger row, which customers cannot read.
create function private.shipments_lines(p_flows uuid[], p_actor uuid)
 returns table (flow_id uuid, line_no integer, item_id uuid, qty numeric)
 language sql
 stable security definer
 set search_path to ''
as $function$
  select f.id, l.line_no, l.item_id, l.qty
  from public.flows f
  cross join lateral private.flow_lines_of(f.id, f.kind, f.status) l
  where f.id = any (p_flows) and f.kind = 'outbound' and f.customer_id = (select private.actor_customer_id(p_actor))
$function$;
revoke all on function private.shipments_lines(uuid[], uuid) from public;
grant execute on function private.shipments_lines(uuid[], uuid) to authenticated, service_role;

create or replace function private.shipment_lines(p_flow uuid, p_actor uuid)
 returns table (line_no integer, item_id uuid, qty numeric)
 language sql
 stable security definer
 set search_path to ''
as $function$
  -- One shipment's lines (the portal's export reads them shipment by shipment).
  select l.line_no, l.item_id, l.qty from private.shipments_lines(array[p_flow], p_actor) l
$function$;

create function private.shipments_json(p_ids uuid[], p_actor uuid)
 returns table (ord bigint, data jsonb)
 language plpgsql
 stable
 set search_path to ''
 set plan_cache_mode to 'force_generic_plan'
as $function$
begin
  -- PL/pgSQL rather than SQL, and one plan for any ids, so that the statement is planned once per
  -- session, not on every call (see private.inspections_json).
  return query
  with page as materialized (
    select u.ord, f.id, f.number, f.status, f.reference, f.from_location_id, f.created_at, f.submitted_at,
           f.approved_at, f.committed_at, f.cancelled_at, f.updated_at
    from unnest(p_ids) with ordinality as u(id, ord)
    join public.flows f on f.id = u.id
  ), lines as materialized (
    select l.flow_id, jsonb_agg(jsonb_build_object('line_no', l.line_no, 'item_id', l.item_id, 'qty', l.qty,
             'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit) order by l.line_no) as lines
    from private.shipments_lines(array(select page.id from page), p_actor) l
    join public.items i on i.id = l.item_id
    group by l.flow_id
  )
  select f.ord, jsonb_build_object(
    'id', f.id, 'number', f.number, 'status', f.status, 'reference', f.reference,
    'from_location', case when l.id is not null then jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country) end,
    'created_at', f.created_at, 'submitted_at', f.submitted_at, 'approved_at', f.approved_at,
    'committed_at', f.committed_at, 'cancelled_at', f.cancelled_at, 'updated_at', f.updated_at,
    'lines', coalesce(x.lines, '[]'::jsonb))
  from page f
  left join public.locations l on l.id = f.from_location_id
  left join lines x on x.flow_id = f.id;
end;
$function$;
revoke all on function private.shipments_json(uuid[], uuid) from public;
grant execute on function private.shipments_json(uuid[], uuid) to authenticated, service_role;

create or replace function private.shipment_json(p_id uuid, p_actor uuid)
 returns jsonb
 language sql
 stable
 set search_path to ''
as $function$
  select j.data from private.shipments_json(array[p_id], p_actor) j
$function$;

create or replace function public.portal_shipments(p_status text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 returns jsonb
 language plpgsql
 set search_path to ''
as $function$
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
      select jsonb_agg(j.data order by j.ord)
      from private.shipments_json(array(
        select f.id from public.flows f
        where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
          and (p_status is null or f.status = p_status)
        order by f.created_at desc, f.number desc limit p_limit offset v_offset), p_actor) j), '[]'::jsonb),
    'count', (select count(*) from public.flows f
              where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
                and (p_status is null or f.status = p_status)),
    'page', p_page, 'limit', p_limit);
end;
$function$;
