-- A ledger page filtered to a period long ago walked the primary key back from the newest row,
-- reading every newer movement before reaching the period (2 s at 1M rows, past the statement
-- timeout at 10M). When a period is asked without an item, the page is now read whichever way
-- costs fewer rows, by the planner's own estimates from the created_at statistics:
--   - back along the primary key, as before, when few movements are newer than the period;
--   - otherwise the period's rows through the BRIN index on created_at, the newest p_limit kept
--     by a top-N sort (`m.id + 0` keeps the planner from walking the key again).
-- Both read exactly the same rows in the same order: only the plan differs. An item's page keeps
-- its (item_id, id desc) index, which skips other items' rows whatever the period.

CREATE OR REPLACE FUNCTION public.ledger_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 50, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_rows jsonb;
  v_count int;
  v_ids bigint[];
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    perform private.fail('bad_request', 'limit must be between 1 and 200');
  end if;
  if p_item_id is null and (p_from is not null or p_to is not null)
     and private.ledger_period_is_old(p_from, p_to) then
    execute
      'select coalesce(array_agg(x.id order by x.id desc), ''{}'') from (
         select m.id from public.stock_movements m
         where ($1 is null or m.location_id = $1)
           and ($2 is null or m.created_at >= $2)
           and ($3 is null or m.created_at < $3)
           and ($4 is null or m.id < $4)
         order by m.id + 0 desc
         limit $5) x'
      into v_ids using p_location_id, p_from, p_to, p_before, p_limit;
  else
    select coalesce(array_agg(x.id order by x.id desc), '{}') into v_ids
    from (
      select m.id from public.stock_movements m
      where (p_item_id is null or m.item_id = p_item_id)
        and (p_location_id is null or m.location_id = p_location_id)
        and (p_from is null or m.created_at >= p_from)
        and (p_to is null or m.created_at < p_to)
        and (p_before is null or m.id < p_before)
      order by m.id desc
      limit p_limit) x;
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', m.id, 'flow_id', m.flow_id, 'line_no', m.line_no, 'item_id', m.item_id, 'location_id', m.location_id,
      'delta', m.delta, 'balance_after', m.balance_after, 'actor_id', m.actor_id, 'created_at', m.created_at,
      'flow_number', f.number, 'flow_kind', f.kind, 'sku', i.sku, 'location_code', l.code) order by m.id desc), '[]'::jsonb),
    count(*)
  into v_rows, v_count
  from public.stock_movements m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id
  where m.id = any(v_ids);
  return jsonb_build_object(
    'data', v_rows,
    'limit', p_limit,
    'next_before', case when v_count = p_limit then (v_rows -> (v_count - 1) ->> 'id')::bigint end);
end;
$function$;

-- Whether more movements are newer than the period than lie in it, by the planner's estimates
-- (the created_at histogram; no rows are read). Walking back from the newest row costs the newer
-- ones; reading the period through the BRIN index costs the period's.
CREATE OR REPLACE FUNCTION private.ledger_period_is_old(p_from timestamp with time zone, p_to timestamp with time zone)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
-- Volatile: Postgres runs EXPLAIN only in volatile functions.
declare
  v_plan json;
  v_newer numeric;
  v_within numeric;
begin
  if p_to is null then
    return false;
  end if;
  execute 'explain (format json) select 1 from public.stock_movements m where m.created_at >= $1'
    into v_plan using p_to;
  v_newer := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
  execute 'explain (format json) select 1 from public.stock_movements m where m.created_at >= $1 and m.created_at < $2'
    into v_plan using coalesce(p_from, '-infinity'::timestamptz), p_to;
  v_within := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
  return v_newer > 1000 and v_newer > v_within;
end;
$function$;
revoke all on function private.ledger_period_is_old(timestamp with time zone, timestamp with time zone) from public;
