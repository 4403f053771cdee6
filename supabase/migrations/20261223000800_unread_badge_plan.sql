-- The staff's unread badge without reading every inspection.
--
-- messages_unread (the badge on every page, again on every new message) grouped the unread
-- messages by inspection and joined the groups to inspections in one statement. For the staff the
-- planner multiplies the selectivities of `not from_staff` and `read_by_staff_at is null`, which are
-- far from independent (every staff message has no staff read mark): on the bench database with
-- 300,000 messages it expected 56,123 unread where there were 304, and hashed all 20,010
-- inspections to join them (6.9 ms, 2.8 of them reading inspections). Now the groups come first,
-- into arrays, and their inspections' numbers are read by key for those ids only. The same rows in
-- the same order, now also when two threads' latest messages have the same time (then by number,
-- newest first; that order was arbitrary). Still security invoker, so the policies decide what
-- each caller counts.

create or replace function public.messages_unread(p_actor uuid DEFAULT NULL::uuid)
 returns jsonb
 language plpgsql
 set search_path to ''
as $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_ids uuid[];
  v_counts bigint[];
  v_latest timestamptz[];
  v_rows jsonb;
begin
  -- One statement for each side, so that each reads its side's partial index of unread messages.
  if v_staff then
    select coalesce(array_agg(u.inspection_id), '{}'), coalesce(array_agg(u.n), '{}'), coalesce(array_agg(u.latest), '{}')
    into v_ids, v_counts, v_latest
    from (
      select m.inspection_id, count(*) as n, max(m.created_at) as latest
      from public.messages m
      where not m.from_staff and m.read_by_staff_at is null
      group by m.inspection_id) u;
  else
    select coalesce(array_agg(u.inspection_id), '{}'), coalesce(array_agg(u.n), '{}'), coalesce(array_agg(u.latest), '{}')
    into v_ids, v_counts, v_latest
    from (
      select m.inspection_id, count(*) as n, max(m.created_at) as latest
      from public.messages m
      where m.from_staff and m.read_by_customer_at is null and m.customer_id = v_customer
      group by m.inspection_id) u;
  end if;
  -- The groups' inspections by key (the planner takes the arrays' real length).
  select coalesce(jsonb_agg(jsonb_build_object('inspection_id', u.inspection_id, 'number', i.number, 'unread', u.n)
           order by u.latest desc, i.number desc), '[]'::jsonb)
  into v_rows
  from unnest(v_ids, v_counts, v_latest) as u(inspection_id, n, latest)
  join public.inspection_applications i on i.id = u.inspection_id;
  return jsonb_build_object(
    'total', coalesce((select sum((r ->> 'unread')::int) from jsonb_array_elements(v_rows) r), 0),
    'inspections', v_rows);
end;
$function$;
