-- private.flow_set_lines replaced a flow's lines with a delete, then the insert. Since
-- 20261213010100 flow_lines is audited by statement triggers, which fire for every statement,
-- also one that deletes nothing: for a new flow (every flow_create) the delete found no line and
-- still ran its audit trigger: 10.3 µs against 2.7 µs for the delete alone and 2.6 µs for the
-- probe below (docs/performance.md, "The audit log per statement"). Now the delete runs only when
-- the flow has lines. Otherwise unchanged from 20261212000100_set_based_flow_lines.sql.

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
  -- A new flow has no lines to replace: no delete, so the audit's statement triggers on
  -- flow_lines (20261213010100) do not fire for nothing.
  if exists (select 1 from public.flow_lines where flow_id = p_flow.id) then
    delete from public.flow_lines where flow_id = p_flow.id;
  end if;

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
