-- A flow's lines written by one statement when every line is valid (issue 17).
--
-- private.flow_set_lines checked and inserted one line at a time: four statements a line (the
-- decimals check, the item, the once-per-flow check, the insert), so a 500-line flow from an
-- import ran 2,000 of them. Now one query checks every line at once; when all are valid, one
-- insert writes them, in line order (the audit trigger still writes a row per line). When any
-- line is not valid, the loop below runs as before and raises exactly the error it always did,
-- for the first bad line: the checks of the fast path only decide whether the loop is needed.
--
-- The fast path takes a line only when it is plainly valid: an object whose qty is a JSON number
-- with at most 3 decimals, not zero, above zero unless the flow is an adjustment, within the
-- stored bound; whose item_id is a canonical uuid of an active item; and no item twice. Anything
-- else (a quantity given as a string, an id in another uuid spelling, a bad line) takes the loop,
-- which accepts or refuses it as before.

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
  v_plain boolean;
begin
  if p_lines is null or jsonb_typeof(p_lines) <> 'array' then
    perform private.fail('validation_failed', 'lines must be a list');
  end if;
  if jsonb_array_length(p_lines) > 500 then
    perform private.fail('validation_failed', 'A flow has at most 500 lines');
  end if;
  delete from public.flow_lines where flow_id = p_flow.id;

  -- CASE keeps the casts from running on what is not a number or a uuid. The item is a lookup per
  -- line (a scalar subquery): a join would let the planner, which guesses 100 lines, scan items.
  select coalesce(bool_and(
           l.qty is not null and l.qty = round(l.qty, 3) and l.qty <> 0 and abs(l.qty) <= 1000000000
           and (p_flow.kind = 'adjustment' or l.qty > 0)
           and (select i.active from public.items i where i.id = l.item_id) is true), true)
         and count(distinct l.item_id) = count(*)
  into v_plain
  from (
    select case when jsonb_typeof(e.value -> 'qty') = 'number' then (e.value ->> 'qty')::numeric end as qty,
           case when e.value ->> 'item_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                then (e.value ->> 'item_id')::uuid end as item_id
    from jsonb_array_elements(p_lines) e
  ) l;

  if v_plain then
    insert into public.flow_lines (flow_id, line_no, item_id, qty)
    select p_flow.id, e.n, (e.value ->> 'item_id')::uuid, (e.value ->> 'qty')::numeric
    from jsonb_array_elements(p_lines) with ordinality as e(value, n)
    order by e.n;
    return;
  end if;

  for v_line in select * from jsonb_array_elements(p_lines) loop
    v_no := v_no + 1;
    perform private.check_decimals(v_line -> 'qty', 3, format('lines.%s.qty', v_no - 1));
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
