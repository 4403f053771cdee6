-- The stocktake adjustment sheet shows what was counted against what the books said (issue 13).
-- A stocktake import's apply creates a draft adjustment of the differences; each line's counted
-- and expected quantities (the stock at apply time) stay on the import's rows. This returns them
-- per item for the printed sheet, so no flow table or flow function changes.

-- ---------------------------------------------------------------------------------------------
-- flow_counts (staff): [{item_id, expected_qty, counted_qty}] of the stocktake behind an
-- adjustment flow; [] for any other flow (a hand-made adjustment has no count). Any staff member
-- may print any flow, so any may read its counts; the import's other details stay its owner's.
-- ---------------------------------------------------------------------------------------------

create or replace function public.flow_counts(p_flow_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_flow_id is null or not exists (select 1 from public.flows f where f.id = p_flow_id) then
    perform private.fail('not_found', 'Flow not found');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'item_id', r.item_id,
             'expected_qty', (r.resolved ->> 'on_hand')::numeric,
             'counted_qty', (r.resolved ->> 'qty')::numeric) order by r.row_no)
    from public.imports i
    join public.import_rows r on r.import_id = i.id
    join public.flows f on f.id = i.flow_id
    where i.flow_id = p_flow_id and i.kind = 'stocktake' and f.kind = 'adjustment'
      and r.status in ('new', 'changed') and (r.resolved ->> 'counted')::boolean), '[]'::jsonb);
end;
$$;

revoke all on function public.flow_counts(uuid, uuid) from public, anon;
grant execute on function public.flow_counts(uuid, uuid) to authenticated, service_role;
