-- An item's ledger page (the item page, and "next" from it) read in one statement from the
-- item's (item_id, id desc) index, issue 17. Before, the page's ids came from that index and its
-- rows were fetched again by primary key (four more buffers a row), each joined to its item for
-- the sku that is the same on every row of the page. The sku is now read once, and the rows come
-- straight from the index scan: the same keys, order and values. Filtered pages keep the two
-- steps (their ids come from different indexes).

CREATE OR REPLACE FUNCTION public.ledger_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 50, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_rows json;
  v_ids bigint[];
  v_count int;
  v_last bigint;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    perform private.fail('bad_request', 'limit must be between 1 and 200');
  end if;
  if p_item_id is not null and p_location_id is null and p_from is null and p_to is null then
    -- One item's page: its rows in one pass over its (item_id, id desc) index, its sku once.
    select coalesce(json_agg(r order by r.id desc), '[]'::json), count(*), min(r.id)
    into v_rows, v_count, v_last
    from (
      select m.id, m.flow_id, m.line_no, m.item_id, m.location_id, m.delta, m.balance_after, m.actor_id, m.created_at,
             f.number as flow_number, f.kind as flow_kind, i.sku, l.code as location_code
      from (
        select * from public.stock_movements m
        where m.item_id = p_item_id and m.id < coalesce(p_before, 9223372036854775807)
        order by m.id desc
        limit p_limit) m
      join public.flows f on f.id = m.flow_id
      join public.locations l on l.id = m.location_id
      cross join (select i.sku from public.items i where i.id = p_item_id) i) r;
    return json_build_object(
      'data', v_rows,
      'limit', p_limit,
      'next_before', case when v_count = p_limit then v_last end);
  elsif p_item_id is null and (p_from is not null or p_to is not null)
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
  select coalesce(json_agg(r order by m.id desc), '[]'::json)
  into v_rows
  from public.stock_movements m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id
  cross join lateral (
    select m.id, m.flow_id, m.line_no, m.item_id, m.location_id, m.delta, m.balance_after, m.actor_id, m.created_at,
           f.number as flow_number, f.kind as flow_kind, i.sku, l.code as location_code) r
  where m.id = any(v_ids);
  return json_build_object(
    'data', v_rows,
    'limit', p_limit,
    -- A full page may have more after it: the next page starts below its last (smallest) id.
    'next_before', case when cardinality(v_ids) = p_limit then v_ids[p_limit] end);
end;
$function$;
