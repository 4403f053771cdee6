-- The inspection list and the unread-message counts at the size years of inspections leave them.
--
-- Measured on the bench database with 20,010 inspections and 300,007 messages
-- (docs/performance.md):
--
-- - inspections_list wrote each filter as `(p is null or ...)` and counted every matching
--   inspection on every page, joined to its customer: 34 ms a page for the staff, 37 ms for a
--   customer's own list, and 117 ms for a search by number, which read every inspection and
--   ran ILIKE on three columns and the customer's name.
-- - messages_unread, which the unread badge calls on every page a user opens and again on every
--   new message, chose between the staff's and a customer's unread messages with a CASE in its
--   WHERE, so no index could serve it: 30 ms for a customer, 8 ms for the staff.
--
-- Now:
--
-- - The list's page and count statements hold only the filters given (as the item, stock and flow
--   lists do), so each is planned for them: the staff's list through a new created_at index, a
--   customer's through (customer_id, created_at). The count is exact while at most 1,000
--   inspections match; beyond that it is the planner's estimate (never below 1,001) with
--   count_exact false.
-- - A search reads the trigram index of number, product and factory (20261222000200, where
--   pg_trgm is available); the staff's search by customer name looks up the matching customers
--   first and adds their inspections by customer_id, so the whole search is one BitmapOr of
--   index scans.
-- - A row of the list no longer builds the inspection's timeline only to drop it.
-- - messages_unread has a statement for each side, each with a partial index of that side's
--   unread messages (the staff's existed; the customers' is new).
--
-- Both functions stay security invoker: row level security still decides what each caller
-- reads, the list's own customer filter included.

create index if not exists inspections_created_idx on public.inspection_applications (created_at desc);

create index if not exists messages_unread_customer_idx on public.messages (customer_id)
  where from_staff and read_by_customer_at is null;

-- An inspection's JSON without its timeline for the list: each row's timeline (its events, each
-- with its actor's name) was built and then dropped by the list.
drop function private.inspection_json(uuid, boolean, uuid);
create function private.inspection_json(p_id uuid, p_staff boolean, p_actor uuid, p_timeline boolean DEFAULT true)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select jsonb_build_object(
      'id', i.id, 'number', i.number, 'customer_id', i.customer_id,
      'customer', jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name),
      'applicant_id', i.applicant_id, 'applicant_name', private.staff_display_name(i.applicant_id),
      'product', i.product, 'quantity', i.quantity,
      'factory_name', i.factory_name, 'factory_address', i.factory_address, 'factory_contact', i.factory_contact,
      'inspection_type', i.inspection_type, 'requested_date', i.requested_date, 'notes', i.notes,
      'status', i.status, 'scheduled_date', i.scheduled_date,
      'inspector_id', i.inspector_id, 'inspector_name', private.staff_display_name(i.inspector_id),
      'result', i.result,
      'submitted_at', i.submitted_at, 'scheduled_at', i.scheduled_at, 'started_at', i.started_at,
      'report_ready_at', i.report_ready_at, 'completed_at', i.completed_at,
      'cancelled_at', i.cancelled_at, 'cancelled_by_name', private.staff_display_name(i.cancelled_by), 'cancel_reason', i.cancel_reason,
      'created_at', i.created_at, 'updated_at', i.updated_at,
      'messages', jsonb_build_object(
        'count', (select count(*) from public.messages m where m.inspection_id = i.id),
        'unread', (select count(*) from public.messages m where m.inspection_id = i.id and m.from_staff <> p_staff
                     and case when p_staff then m.read_by_staff_at is null else m.read_by_customer_at is null end)))
    -- The timeline only where it is shown (a list page drops it).
    || case when p_timeline then jsonb_build_object('timeline', coalesce((
          select jsonb_agg(jsonb_build_object(
              'id', e.id, 'action', e.action, 'actor_name', private.staff_display_name(e.actor_id),
              'detail', e.detail, 'created_at', e.created_at)
            || case when p_staff then jsonb_build_object('actor_id', e.actor_id, 'staff_only', e.staff_only) else '{}'::jsonb end
            order by e.id)
          from public.inspection_events e
          where e.inspection_id = i.id and (p_staff or not e.staff_only)), '[]'::jsonb)) else '{}'::jsonb end
    || case when p_staff then jsonb_build_object(
         'internal_notes', private.inspection_internal_notes(i.id),
         'applicant_email', (select p.email from public.profiles p where p.id = i.applicant_id),
         'inspector_email', (select p.email from public.profiles p where p.id = i.inspector_id))
       else '{}'::jsonb end
  from public.inspection_applications i
  join public.customers c on c.id = i.customer_id
  where i.id = p_id and (p_staff or i.customer_id = private.actor_customer_id(p_actor))
$function$;
revoke all on function private.inspection_json(uuid, boolean, uuid, boolean) from public;
grant execute on function private.inspection_json(uuid, boolean, uuid, boolean) to authenticated, service_role;

create or replace function public.inspections_list(p_status text DEFAULT NULL::text, p_open boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_inspector_id uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_named uuid[] := '{}';
  v_where text := 'true';
  v_ids uuid[];
  v_count bigint;
  v_exact boolean := true;
  v_plan json;
begin
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  -- A customer lists its own company's inspections only (row level security says the same).
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
  -- Exact while at most 1,000 inspections match; beyond that the planner's estimate.
  execute format('select count(*) from (select 1 from public.inspection_applications i where %s limit 1001) c', v_where)
    into v_count using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
  if v_count > 1000 then
    execute format('explain (format json) select 1 from public.inspection_applications i where %s', v_where)
      into v_plan using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
    v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
    v_exact := false;
  end if;
  -- The page. At most 1,000 matches: all of them through the filters' indexes, then sorted (the
  -- OFFSET 0 keeps the planner from walking the created_at index instead, which a misjudged
  -- search made read thousands of rows to find twenty clustered ones). More: the created_at
  -- order walked, which soon finds a page of so many.
  execute format(
    case when v_exact
      then 'select array(select x.id from (select i.id, i.created_at, i.number from public.inspection_applications i where %s offset 0) x order by x.created_at desc, x.number desc limit %s offset %s)'
      else 'select array(select i.id from public.inspection_applications i where %s order by i.created_at desc, i.number desc limit %s offset %s)' end,
    v_where, p_limit, v_offset)
    into v_ids using v_customer, p_status, p_customer_id, p_inspector_id, v_pattern, v_named;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.inspection_json(u.id, v_staff, v_actor, false) order by u.ord)
      from unnest(v_ids) with ordinality as u(id, ord)), '[]'::jsonb),
    'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;

create or replace function public.messages_unread(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_rows jsonb;
begin
  -- One statement for each side, so that each reads its side's partial index of unread messages.
  if v_staff then
    select coalesce(jsonb_agg(jsonb_build_object('inspection_id', u.inspection_id, 'number', i.number, 'unread', u.n)
             order by u.latest desc), '[]'::jsonb)
    into v_rows
    from (
      select m.inspection_id, count(*) as n, max(m.created_at) as latest
      from public.messages m
      where not m.from_staff and m.read_by_staff_at is null
      group by m.inspection_id) u
    join public.inspection_applications i on i.id = u.inspection_id;
  else
    select coalesce(jsonb_agg(jsonb_build_object('inspection_id', u.inspection_id, 'number', i.number, 'unread', u.n)
             order by u.latest desc), '[]'::jsonb)
    into v_rows
    from (
      select m.inspection_id, count(*) as n, max(m.created_at) as latest
      from public.messages m
      where m.from_staff and m.read_by_customer_at is null and m.customer_id = v_customer
      group by m.inspection_id) u
    join public.inspection_applications i on i.id = u.inspection_id;
  end if;
  return jsonb_build_object(
    'total', coalesce((select sum((r ->> 'unread')::int) from jsonb_array_elements(v_rows) r), 0),
    'inspections', v_rows);
end;
$function$;
