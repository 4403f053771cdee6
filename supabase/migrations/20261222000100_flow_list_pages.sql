-- The flow list (the /flows page, its kind tabs, a customer's shipments) without sorting and
-- counting every matching flow on every page.
--
-- flows_list wrote each filter as `(p is null or ...)`, so the plan PL/pgSQL keeps after five
-- calls could use no index for the filters or the order: every page sorted every matching flow
-- and counted them all again. On the bench database with 303,390 flows (docs/performance.md) a
-- page cost 31-45 ms without a filter or by kind and status, and a search by number 1.36 s.
--
-- Now the page's flow ids are found first, then their JSON is built from them, as the stock list
-- does. Without a filter by a statement of its own whose plan is kept: the newest flows through
-- the created_at index (ties by number sorted within the same instant). With filters by a
-- statement with only the filters given, planned for them, so a kind and status, a status or a
-- customer is read through its index in created_at order. The count is exact while at most 1,000
-- flows match; beyond that it is an estimate (the table's own without a filter, the planner's
-- for the filters; never below 1,001) with count_exact false. The rows' JSON is unchanged.

create or replace function public.flows_list(p_kind text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_q text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_customer_id uuid DEFAULT NULL::uuid, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_ids uuid[];
  v_count bigint;
  v_exact boolean := true;
  v_where text := 'true';
  v_plan json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_kind is null and p_status is null and p_customer_id is null and p_from is null and p_to is null and not v_has_q then
    -- The newest flows through the created_at index; a page reads the flows it shows and those
    -- before it.
    v_ids := array(select f.id from public.flows f order by f.created_at desc, f.number desc limit p_limit offset v_offset);
    -- Exact up to 1,000 flows (a scan of at most 1,001); beyond that the table's own estimate
    -- (its density times its current pages, as the planner works it out).
    select count(*) into v_count from (select 1 from public.flows f limit 1001) c;
    if v_count > 1000 then
      select greatest(1001, round(c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint)
      into v_count
      from pg_catalog.pg_class c where c.oid = 'public.flows'::regclass and c.relpages > 0 and c.reltuples >= 0;
      v_count := coalesce(v_count, 1001);
      v_exact := false;
    end if;
  else
    if p_kind is not null then v_where := v_where || ' and f.kind = $1'; end if;
    if p_status is not null then v_where := v_where || ' and f.status = $2'; end if;
    if p_customer_id is not null then v_where := v_where || ' and f.customer_id = $3'; end if;
    if p_from is not null then v_where := v_where || ' and f.created_at >= $4'; end if;
    if p_to is not null then v_where := v_where || ' and f.created_at < $5'; end if;
    if v_has_q then
      v_where := v_where || ' and (f.number ilike $6 or f.partner ilike $6 or f.reference ilike $6)';
    end if;
    -- Exact while at most 1,000 flows match; beyond that the planner's estimate for the filters,
    -- never below 1,001, as the item and stock lists do.
    execute format('select count(*) from (select 1 from public.flows f where %s limit 1001) c', v_where)
      into v_count using p_kind, p_status, p_customer_id, p_from, p_to, v_pattern;
    if v_count > 1000 then
      execute format('explain (format json) select 1 from public.flows f where %s', v_where)
        into v_plan using p_kind, p_status, p_customer_id, p_from, p_to, v_pattern;
      v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
      v_exact := false;
    end if;
    -- The page. At most 1,000 matches: all of them through the filters' indexes, then sorted (the
    -- OFFSET 0 keeps the planner from walking the created_at index instead, which a misjudged
    -- search made read thousands of flows to find twenty clustered ones). More: the created_at
    -- order walked, which soon finds a page of so many.
    execute format(
      case when v_exact
        then 'select array(select x.id from (select f.id, f.created_at, f.number from public.flows f where %s offset 0) x order by x.created_at desc, x.number desc limit %s offset %s)'
        else 'select array(select f.id from public.flows f where %s order by f.created_at desc, f.number desc limit %s offset %s)' end,
      v_where, p_limit, v_offset)
      into v_ids using p_kind, p_status, p_customer_id, p_from, p_to, v_pattern;
  end if;

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
        order by p.ord)
      from unnest(v_ids) with ordinality as p(id, ord)
      join public.flows f on f.id = p.id
    ), '[]'::jsonb),
    'count', v_count, 'count_exact', v_exact,
    'page', p_page, 'limit', p_limit);
end;
$function$;
