-- The inspection list's filters and search through their indexes for every caller, and one scan
-- where there were two.
--
-- inspections_list is security invoker, so row level security applies to its statements. A
-- policy's condition must be checked before any condition of the query that is not leakproof,
-- and ILIKE is not: the planner could not use the trigram index (20261222000200) for a search,
-- and read every inspection with a sequential scan instead, for the staff and customers alike.
-- The contract test of that index had looked at the plan as the table's owner, which policies do
-- not restrict. On 20,010 inspections a staff search by factory took 56-58 ms a page (a mean of
-- 30 calls): every inspection read to count the matches, read again for the page, then the rows'
-- JSON (docs/performance.md).
--
-- Now private.inspection_page finds the page's ids and the count as security definer, so its
-- statements are planned without the policies and each filter and the search use their
-- indexes. It applies the policy's rule itself, from the caller's own session (staff see every
-- company's inspections, a customer its own company's, anyone else none), because `authenticated`
-- may call it directly; it returns ids and counts only. inspections_list stays security invoker
-- and builds each row's JSON under row level security as before, so a policy still decides what
-- a caller reads even if the page's ids were wrong.
--
-- With at most 1,000 matches the page and the count come from one scan (the matches' ids,
-- sorted); the count no longer reads them a second time.

create function private.inspection_page(
  p_status text, p_open boolean, p_customer_id uuid, p_inspector_id uuid, p_q text,
  p_page integer, p_limit integer, p_actor uuid,
  out ids uuid[], out total bigint, out exact boolean)
 language plpgsql
 security definer
 set search_path to ''
as $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  -- Who the caller is, by the helpers the policies use (an active profile, not held).
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_named uuid[] := '{}';
  v_where text := 'true';
  v_all uuid[];
  v_plan json;
begin
  ids := '{}';
  total := 0;
  exact := true;
  -- The policy's rule: staff read every inspection, a customer its own company's, no one else any.
  if not v_staff and v_customer is null then
    return;
  end if;
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  if not v_staff then v_where := v_where || ' and i.customer_id = $1'; end if;
  if p_status is not null then v_where := v_where || ' and i.status = $2'; end if;
  if p_open then v_where := v_where || ' and i.status not in (''completed'', ''cancelled'')'; end if;
  if not p_open then v_where := v_where || ' and i.status in (''completed'', ''cancelled'')'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $3'; end if;
  if p_inspector_id is not null then v_where := v_where || ' and i.inspector_id = $4'; end if;
  if v_pattern is not null then
    -- The staff also find an inspection by its customer's name: those customers first.
    if v_staff then
      v_named := array(select c.id from public.customers c where c.name ilike v_pattern);
    end if;
    v_where := v_where || ' and (i.number ilike $5 or i.product ilike $5 or i.factory_name ilike $5 or i.customer_id = any ($6))';
  end if;
  -- At most 1,001 matches through the filters' indexes, sorted: with at most 1,000 they are the
  -- count and, sliced, the page (the LIMIT also keeps the planner from walking the created_at
  -- index instead, which a misjudged search made read thousands of rows to find twenty).
  execute format(
    'select array(select x.id from (select i.id, i.created_at, i.number from public.inspection_applications i where %s limit 1001) x
       order by x.created_at desc, x.number desc)', v_where)
    into v_all using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
  if cardinality(v_all) <= 1000 then
    total := cardinality(v_all);
    ids := coalesce(v_all[v_offset + 1 : v_offset + p_limit], '{}');
    return;
  end if;
  -- More: the planner's estimate (never below 1,001), and the page from the created_at order,
  -- which soon finds a page of so many.
  execute format('explain (format json) select 1 from public.inspection_applications i where %s', v_where)
    into v_plan using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
  total := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
  exact := false;
  execute format(
    'select array(select i.id from public.inspection_applications i where %s order by i.created_at desc, i.number desc limit %s offset %s)',
    v_where, p_limit, v_offset)
    into ids using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
end;
$function$;
revoke all on function private.inspection_page(text, boolean, uuid, uuid, text, integer, integer, uuid) from public;
grant execute on function private.inspection_page(text, boolean, uuid, uuid, text, integer, integer, uuid) to authenticated, service_role;

-- The rows' JSON for a set of inspections in one statement. private.inspection_json built one
-- inspection at a time, and a list called it for each row: every row ran its own statements, and
-- each of them its policies' checks of the caller again (private.my_customer_id and
-- private.is_staff, one session check each), seven or eight tables' worth a row, and its three
-- display names and its internal notes through functions that checked the caller once more. That
-- was about 0.7 ms a row: most of a page of twenty. Now a page is one statement, the policies'
-- checks run once for it, the names come from one call of private.display_names, and the internal
-- notes from one call of private.inspection_notes. private.inspection_json (one inspection, the
-- timeline included) is this function for a single id, so the list and a single inspection have one
-- shape. It stays security invoker: row level security decides which inspections, messages and
-- profiles the caller reads, and a row it hides is not returned.

-- Display names as private.staff_display_name gives them, for many users in one call: a customer's
-- user is named only to the staff and to users of the same company.
create function private.display_names(p_ids uuid[])
 returns table (id uuid, display_name text)
 language sql
 stable security definer
 set search_path to ''
as $function$
  select p.id, p.display_name from public.profiles p
  where p.id = any (p_ids)
    and (p.role <> 'customer'
         or p.customer_id = (select private.my_customer_id())
         or (select private.is_staff())
         or (select auth.role()) = 'service_role')
$function$;
revoke all on function private.display_names(uuid[]) from public;
grant execute on function private.display_names(uuid[]) to authenticated, service_role;

create or replace function private.staff_display_name(p_id uuid)
 returns text
 language sql
 stable security definer
 set search_path to ''
as $function$
  select n.display_name from private.display_names(array[p_id]) n
$function$;

-- Internal notes, to the staff only, for many inspections in one call (the column is not granted
-- to authenticated; see private.inspection_internal_notes).
create function private.inspection_notes(p_ids uuid[])
 returns table (id uuid, internal_notes text)
 language sql
 stable security definer
 set search_path to ''
as $function$
  select i.id, i.internal_notes from public.inspection_applications i
  where i.id = any (p_ids) and ((select private.is_staff()) or (select auth.role()) = 'service_role')
$function$;
revoke all on function private.inspection_notes(uuid[]) from public;
grant execute on function private.inspection_notes(uuid[]) to authenticated, service_role;

create or replace function private.inspection_internal_notes(p_id uuid)
 returns text
 language sql
 stable security definer
 set search_path to ''
as $function$
  select n.internal_notes from private.inspection_notes(array[p_id]) n
$function$;

create function private.inspections_json(p_ids uuid[], p_staff boolean, p_actor uuid, p_timeline boolean default true)
 returns table (ord bigint, data jsonb)
 language plpgsql
 stable
 set search_path to ''
 set plan_cache_mode to 'force_generic_plan'
as $function$
begin
  -- PL/pgSQL rather than SQL, and one plan for any ids, so that the statement is planned once per
  -- session, not on every call (planning it was most of a single inspection's time).
  return query
  with page as materialized (
    select u.ord, i.id, i.number, i.customer_id, i.applicant_id, i.product, i.quantity, i.factory_name,
           i.factory_address, i.factory_contact, i.inspection_type, i.requested_date, i.notes, i.status,
           i.scheduled_date, i.inspector_id, i.result, i.submitted_at, i.scheduled_at, i.started_at,
           i.report_ready_at, i.completed_at, i.cancelled_at, i.cancelled_by, i.cancel_reason,
           i.created_at, i.updated_at
    from unnest(p_ids) with ordinality as u(id, ord)
    join public.inspection_applications i on i.id = u.id
    where p_staff or i.customer_id = (select private.actor_customer_id(p_actor))
  ), names as materialized (
    -- Everyone the rows name: applicants, inspectors, cancellers, and the timeline's actors.
    select n.id, n.display_name
    from private.display_names(array(
      select x from page, unnest(array[page.applicant_id, page.inspector_id, page.cancelled_by]) x where x is not null
      union
      select e.actor_id from public.inspection_events e
      where p_timeline and e.inspection_id in (select page.id from page) and e.actor_id is not null)) n
  ), notes as materialized (
    select n.id, n.internal_notes from private.inspection_notes(case when p_staff then array(select page.id from page) end) n
  )
  select i.ord, jsonb_build_object(
      'id', i.id, 'number', i.number, 'customer_id', i.customer_id,
      'customer', jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name),
      'applicant_id', i.applicant_id, 'applicant_name', na.display_name,
      'product', i.product, 'quantity', i.quantity,
      'factory_name', i.factory_name, 'factory_address', i.factory_address, 'factory_contact', i.factory_contact,
      'inspection_type', i.inspection_type, 'requested_date', i.requested_date, 'notes', i.notes,
      'status', i.status, 'scheduled_date', i.scheduled_date,
      'inspector_id', i.inspector_id, 'inspector_name', ni.display_name,
      'result', i.result,
      'submitted_at', i.submitted_at, 'scheduled_at', i.scheduled_at, 'started_at', i.started_at,
      'report_ready_at', i.report_ready_at, 'completed_at', i.completed_at,
      'cancelled_at', i.cancelled_at, 'cancelled_by_name', nc.display_name, 'cancel_reason', i.cancel_reason,
      'created_at', i.created_at, 'updated_at', i.updated_at,
      'messages', jsonb_build_object('count', m.n, 'unread', m.unread))
    -- The timeline only where it is shown (a list page drops it).
    || case when p_timeline then jsonb_build_object('timeline', coalesce((
          select jsonb_agg(jsonb_build_object(
              'id', e.id, 'action', e.action, 'actor_name', ea.display_name,
              'detail', e.detail, 'created_at', e.created_at)
            || case when p_staff then jsonb_build_object('actor_id', e.actor_id, 'staff_only', e.staff_only) else '{}'::jsonb end
            order by e.id)
          from public.inspection_events e
          left join names ea on ea.id = e.actor_id
          where e.inspection_id = i.id and (p_staff or not e.staff_only)), '[]'::jsonb)) else '{}'::jsonb end
    || case when p_staff then jsonb_build_object(
         'internal_notes', nt.internal_notes, 'applicant_email', pa.email, 'inspector_email', pi.email)
       else '{}'::jsonb end
  from page i
  join public.customers c on c.id = i.customer_id
  cross join lateral (
    select count(*) as n,
           count(*) filter (where m.from_staff <> p_staff
                              and case when p_staff then m.read_by_staff_at is null else m.read_by_customer_at is null end) as unread
    from public.messages m where m.inspection_id = i.id) m
  left join names na on na.id = i.applicant_id
  left join names ni on ni.id = i.inspector_id
  left join names nc on nc.id = i.cancelled_by
  left join notes nt on nt.id = i.id
  left join public.profiles pa on p_staff and pa.id = i.applicant_id
  left join public.profiles pi on p_staff and pi.id = i.inspector_id;
end;
$function$;
revoke all on function private.inspections_json(uuid[], boolean, uuid, boolean) from public;
grant execute on function private.inspections_json(uuid[], boolean, uuid, boolean) to authenticated, service_role;

create or replace function private.inspection_json(p_id uuid, p_staff boolean, p_actor uuid, p_timeline boolean DEFAULT true)
 returns jsonb
 language sql
 stable
 set search_path to ''
as $function$
  select j.data from private.inspections_json(array[p_id], p_staff, p_actor, p_timeline) j
$function$;

create or replace function public.inspections_list(p_status text DEFAULT NULL::text, p_open boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_inspector_id uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 returns jsonb
 language plpgsql
 set search_path to ''
as $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_page record;
begin
  select * into v_page from private.inspection_page(p_status, p_open, p_customer_id, p_inspector_id, p_q, p_page, p_limit, p_actor);
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(j.data order by j.ord) from private.inspections_json(v_page.ids, v_staff, v_actor, false) j), '[]'::jsonb),
    'count', v_page.total, 'count_exact', v_page.exact, 'page', p_page, 'limit', p_limit);
end;
$function$;
