-- The audit log's page at the size a year of work leaves it, without reading all of it.
--
-- audit_list counted every entry that matched its filters on every page, and each entry it read
-- went through private.audit_listed and private.audit_action_matches (and audit_event): SQL
-- functions with their own search_path, which Postgres never inlines, so each was a function
-- call per entry. On the bench database with 535,000 entries a page took 4.0 s (8 s is the
-- statement timeout; a million entries would not have answered), a page of one table's entries
-- 0.25 s (docs/performance.md).
--
-- - The three helpers lose their setting, so Postgres inlines them into the queries that call
--   them: they read no table and name every function by schema; the operators they use are
--   pg_catalog's, found first whatever the search_path.
-- - The count is exact while at most 1,000 entries match; beyond that it is the planner's
--   estimate for the table, actor, period and security filters (never below 1,001), with
--   count_exact false, as the item and stock lists do.

create or replace function private.audit_event(p_table text, p_action text, p_before jsonb, p_after jsonb)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
  select case
    -- Streams of security events (recorded as inserts, see private.record_security_event).
    when p_table = 'login_failures' then 'sign_in_failed'
    when p_table = 'password_events' then coalesce(p_after ->> 'event', 'password_changed')
    when p_action = 'insert' then case p_table
        when 'flow_lines' then 'line_added'
        when 'inspection_applications' then 'applied'
        when 'attachments' then 'file_uploaded'
        when 'messages' then 'message_sent'
        when 'imports' then 'import_started'
        else 'created' end
    when p_action = 'delete' then case p_table
        when 'flow_lines' then 'line_removed'
        when 'attachments' then 'file_deleted'
        when 'messages' then 'message_deleted'
        else 'deleted' end
    when p_table = 'flow_lines' then 'line_changed'
    when p_table = 'flows' and (p_before ->> 'status') is distinct from (p_after ->> 'status') then
      case p_after ->> 'status' when 'draft' then 'reopened' else p_after ->> 'status' end
    when p_table = 'inspection_applications' and (p_before ->> 'status') is distinct from (p_after ->> 'status') then
      case p_after ->> 'status' when 'in_progress' then 'started' else p_after ->> 'status' end
    when p_table = 'imports' and (p_before ->> 'status') is distinct from (p_after ->> 'status') and p_after ->> 'status' = 'applied' then 'imported'
    when p_table = 'imports' then 'import_checked'
    when p_table = 'profiles' and (p_before ->> 'role') is distinct from (p_after ->> 'role') then 'role_changed'
    when (p_before ->> 'active') is distinct from (p_after ->> 'active') and p_after ? 'active' then
      case when (p_after ->> 'active')::boolean then 'reactivated' else 'deactivated' end
    else 'updated'
  end
$function$
;
create or replace function private.audit_listed(p_table text, p_action text, p_before jsonb, p_after jsonb)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  select not (p_table = 'messages' and p_action = 'update'
              and (p_before - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at')
                  is not distinct from (p_after - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at'))
$function$
;
create or replace function private.audit_action_matches(p_action text, p_table text, l_action text, p_before jsonb, p_after jsonb)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  select p_action is null
    or (p_action in ('insert', 'update', 'delete') and l_action = p_action)
    or (p_action not in ('insert', 'update', 'delete') and private.audit_event(p_table, l_action, p_before, p_after) = p_action)
$function$
;

create or replace function public.audit_list(p_actor_id uuid DEFAULT NULL::uuid, p_table text DEFAULT NULL::text, p_action text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_security_only boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_count bigint;
  v_exact boolean := true;
  v_where text := 'true';
  v_plan json;
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  perform private.check_audit_action(p_action);
  -- Exact while at most 1,000 entries match (newest first, so a narrow filter stops early);
  -- beyond that the planner's estimate for the table, actor, period and security filters (an
  -- event filter is not in it), never below 1,001, and count_exact says so.
  select count(*) into v_count from (
    select 1 from public.audit_log l
    where (p_actor_id is null or l.actor_id = p_actor_id)
      and (p_table is null or l.table_name = p_table)
      and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
      and (p_from is null or l.created_at >= p_from)
      and (p_to is null or l.created_at < p_to)
      and (not coalesce(p_security_only, false) or l.security_event)
      and private.audit_listed(l.table_name, l.action, l.before, l.after)
    limit 1001) c;
  if v_count > 1000 then
    if p_actor_id is not null then v_where := v_where || ' and l.actor_id = $1'; end if;
    if p_table is not null then v_where := v_where || ' and l.table_name = $2'; end if;
    if p_from is not null then v_where := v_where || ' and l.created_at >= $3'; end if;
    if p_to is not null then v_where := v_where || ' and l.created_at < $4'; end if;
    if coalesce(p_security_only, false) then v_where := v_where || ' and l.security_event'; end if;
    execute format('explain (format json) select 1 from public.audit_log l where %s', v_where)
      into v_plan using p_actor_id, p_table, p_from, p_to;
    v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
    v_exact := false;
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', a.id,
          'created_at', a.created_at,
          'actor_id', a.actor_id,
          'actor_email', p.email,
          'actor_name', p.display_name,
          'action', a.action,
          'event', private.audit_event(a.table_name, a.action, a.before, a.after),
          'table_name', a.table_name,
          'row_id', a.row_id,
          'subject', private.audit_subject(a.table_name, a.row_id, a.before, a.after),
          'security_event', a.security_event,
          'before', a.before,
          'after', a.after,
          'refs', private.audit_ref_labels(a.before, a.after),
          -- Keys whose value differs (every key of an insert or delete).
          'changed', coalesce((
            select jsonb_agg(k.key order by k.key)
            from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
                  union
                  select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
            where a.before -> k.key is distinct from a.after -> k.key
          ), '[]'::jsonb)
        ) order by a.created_at desc, a.id desc)
      from (
        select * from public.audit_log l
        where (p_actor_id is null or l.actor_id = p_actor_id)
          and (p_table is null or l.table_name = p_table)
          and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
          and (p_from is null or l.created_at >= p_from)
          and (p_to is null or l.created_at < p_to)
          and (not coalesce(p_security_only, false) or l.security_event)
          and private.audit_listed(l.table_name, l.action, l.before, l.after)
        order by l.created_at desc, l.id desc
        limit p_limit offset v_offset
      ) a
      left join public.profiles p on p.id = a.actor_id
    ), '[]'::jsonb),
    'count', v_count,
    'count_exact', v_exact,
    'page', p_page,
    'limit', p_limit
  );
end;
$function$;
