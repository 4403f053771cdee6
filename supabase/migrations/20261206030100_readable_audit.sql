-- The audit log for people: each row says what happened (an event such as "approved" or "role
-- changed", not insert/update/delete), which record it is about (the flow number, SKU, inspection
-- number or user email, with the record's id for a link) and names the records its fields point
-- at, so the screen and the export need no UUIDs. Reading a message is not an audit event.
--
-- Access intent: unchanged. audit_list and audit_export stay admin-only (begin_action 'admin');
-- the private helpers are security definer, executed only through those functions.
--
-- Redefines public.audit_list and public.audit_export (same signatures, so their grants stand);
-- replaces the messages audit trigger with one that leaves read marks out.

-- ---------------------------------------------------------------------------------------------
-- Read marks: not recorded from now on, and rows written before are kept out of the lists
-- ---------------------------------------------------------------------------------------------

drop trigger messages_audit on public.messages;
create trigger messages_audit after insert or delete on public.messages
  for each row execute function private.audit_row();
create trigger messages_audit_update after update on public.messages
  for each row
  when ((to_jsonb(old) - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at')
        is distinct from (to_jsonb(new) - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at'))
  execute function private.audit_row();

/** True for a row the audit screens show: everything but a message's read marks. */
create or replace function private.audit_listed(p_table text, p_action text, p_before jsonb, p_after jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select not (p_table = 'messages' and p_action = 'update'
              and (p_before - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at')
                  is not distinct from (p_after - 'read_by_staff_at' - 'read_by_customer_at' - 'updated_at'))
$$;
revoke all on function private.audit_listed(text, text, jsonb, jsonb) from public;

-- ---------------------------------------------------------------------------------------------
-- The event: what a person did, from the table, the operation and what changed
-- ---------------------------------------------------------------------------------------------

create or replace function private.audit_event(p_table text, p_action text, p_before jsonb, p_after jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
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
$$;
revoke all on function private.audit_event(text, text, jsonb, jsonb) from public;

-- ---------------------------------------------------------------------------------------------
-- The subject: which record, by the name people use for it, and its id for a link
-- ---------------------------------------------------------------------------------------------

create or replace function private.audit_subject(p_table text, p_row_id text, p_before jsonb, p_after jsonb)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v jsonb := coalesce(p_after, p_before, '{}'::jsonb);
  v_inspection uuid := private.audit_uuid(v ->> 'inspection_id');
begin
  return jsonb_strip_nulls(case p_table
    when 'flows' then jsonb_build_object('type', 'flow', 'id', p_row_id, 'label', v ->> 'number', 'kind', v ->> 'kind')
    when 'flow_lines' then (
      select jsonb_build_object('type', 'flow', 'id', v ->> 'flow_id', 'label', f.number, 'kind', f.kind,
               'detail', (select i.sku from public.items i where i.id = private.audit_uuid(v ->> 'item_id')))
      from (select 1) one left join public.flows f on f.id = private.audit_uuid(v ->> 'flow_id'))
    when 'items' then jsonb_build_object('type', 'item', 'id', p_row_id, 'label', v ->> 'sku')
    when 'inspection_applications' then jsonb_build_object('type', 'inspection', 'id', p_row_id, 'label', v ->> 'number')
    when 'attachments' then
      case when v_inspection is not null then
        jsonb_build_object('type', 'inspection', 'id', v_inspection::text,
          'label', (select a.number from public.inspection_applications a where a.id = v_inspection), 'detail', v ->> 'file_name')
      else
        jsonb_build_object('type', 'customer', 'id', v ->> 'customer_id',
          'label', (select c.name from public.customers c where c.id = private.audit_uuid(v ->> 'customer_id')), 'detail', v ->> 'file_name')
      end
    when 'messages' then jsonb_build_object('type', 'inspection', 'id', v_inspection::text,
      'label', (select a.number from public.inspection_applications a where a.id = v_inspection))
    when 'profiles' then jsonb_build_object('type', 'user', 'id', p_row_id, 'label', v ->> 'email', 'detail', nullif(v ->> 'display_name', ''))
    when 'customers' then jsonb_build_object('type', 'customer', 'id', p_row_id, 'label', v ->> 'name', 'detail', v ->> 'code')
    when 'engines' then jsonb_build_object('type', 'engine', 'id', p_row_id, 'label', v ->> 'code')
    when 'locations' then jsonb_build_object('type', 'location', 'id', p_row_id, 'label', v ->> 'code', 'detail', v ->> 'name')
    when 'imports' then jsonb_build_object('type', 'import', 'id', p_row_id, 'label', v ->> 'file_name')
    when 'login_failures' then jsonb_build_object('type', 'user', 'id', v ->> 'user_id', 'label', v ->> 'email')
    when 'password_events' then jsonb_build_object('type', 'user', 'id', p_row_id,
      'label', (select p.email from public.profiles p where p.id = private.audit_uuid(p_row_id)))
    else jsonb_build_object('type', 'record', 'id', p_row_id,
      'label', coalesce(v ->> 'number', v ->> 'sku', v ->> 'code', v ->> 'email', v ->> 'name', p_row_id))
  end);
end;
$$;
revoke all on function private.audit_subject(text, text, jsonb, jsonb) from public;

/** The text as a uuid, or null when it is not one (audit rows keep whatever the record held). */
create or replace function private.audit_uuid(p text)
returns uuid
language sql
immutable
set search_path = ''
as $$
  select case when p ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p::uuid end
$$;
revoke all on function private.audit_uuid(text) from public;

-- ---------------------------------------------------------------------------------------------
-- Names of the records the fields point at: { "<uuid>": "Park Manager", ... }
-- ---------------------------------------------------------------------------------------------

create or replace function private.audit_ref_labels(p_before jsonb, p_after jsonb)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with ids as (
    select distinct private.audit_uuid(e.value) as id
    from (select * from jsonb_each_text(coalesce(p_before, '{}'::jsonb))
          union all
          select * from jsonb_each_text(coalesce(p_after, '{}'::jsonb))) e
    where (e.key like '%\_id' or e.key like '%\_by' or e.key = 'reversal_of') and e.key <> 'id'
  )
  select coalesce(jsonb_object_agg(r.id::text, r.label), '{}'::jsonb)
  from (
    select p.id, coalesce(nullif(p.display_name, ''), p.email) as label from public.profiles p join ids on ids.id = p.id
    union all select c.id, c.name from public.customers c join ids on ids.id = c.id
    union all select i.id, i.sku from public.items i join ids on ids.id = i.id
    union all select l.id, l.name from public.locations l join ids on ids.id = l.id
    union all select e.id, e.code from public.engines e join ids on ids.id = e.id
    union all select f.id, f.number from public.flows f join ids on ids.id = f.id
    union all select a.id, a.number from public.inspection_applications a join ids on ids.id = a.id
  ) r
$$;
revoke all on function private.audit_ref_labels(jsonb, jsonb) from public;

-- ---------------------------------------------------------------------------------------------
-- audit_list: as before (same filters, same paging), plus event, subject and refs per row; read
-- marks left out. p_action takes an event ('approved', 'role_changed', ...) as well as
-- insert/update/delete.
-- ---------------------------------------------------------------------------------------------

create or replace function private.audit_action_matches(p_action text, p_table text, l_action text, p_before jsonb, p_after jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_action is null
    or (p_action in ('insert', 'update', 'delete') and l_action = p_action)
    or (p_action not in ('insert', 'update', 'delete') and private.audit_event(p_table, l_action, p_before, p_after) = p_action)
$$;
revoke all on function private.audit_action_matches(text, text, text, jsonb, jsonb) from public;

create or replace function private.check_audit_action(p_action text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_action is not null and p_action !~ '^[a-z_]{1,40}$' then
    perform private.fail_field('action', 'Choose an action from the list');
  end if;
end;
$$;
revoke all on function private.check_audit_action(text) from public;

create or replace function public.audit_list(
  p_actor_id uuid default null,
  p_table text default null,
  p_action text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_security_only boolean default false,
  p_page int default 1,
  p_limit int default 20,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action(p_actor, 'admin');
  perform private.check_audit_action(p_action);
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
    'count', (
      select count(*) from public.audit_log l
      where (p_actor_id is null or l.actor_id = p_actor_id)
        and (p_table is null or l.table_name = p_table)
        and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
        and (p_from is null or l.created_at >= p_from)
        and (p_to is null or l.created_at < p_to)
        and (not coalesce(p_security_only, false) or l.security_event)
        and private.audit_listed(l.table_name, l.action, l.before, l.after)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- audit_export: the same readable columns, keyset batches as before
-- ---------------------------------------------------------------------------------------------

create or replace function public.audit_export(
  p_actor_id uuid default null,
  p_table text default null,
  p_action text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_security_only boolean default false,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_id bigint := (p_after ->> 'id')::bigint;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin');
  perform private.check_audit_action(p_action);
  select json_agg(json_build_object(
      'id', a.id, 'created_at', a.created_at, 'actor_email', p.email, 'actor_name', p.display_name,
      'action', a.action, 'event', private.audit_event(a.table_name, a.action, a.before, a.after),
      'table_name', a.table_name, 'row_id', a.row_id,
      'subject', private.audit_subject(a.table_name, a.row_id, a.before, a.after),
      'security_event', a.security_event,
      'before', a.before, 'after', a.after, 'refs', private.audit_ref_labels(a.before, a.after),
      'changed', (
        select string_agg(k.key, ', ' order by k.key)
        from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
              union
              select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
        where a.before -> k.key is distinct from a.after -> k.key))
    order by a.created_at desc, a.id desc)
  into v_rows
  from (
    select * from public.audit_log l
    where (p_actor_id is null or l.actor_id = p_actor_id)
      and (p_table is null or l.table_name = p_table)
      and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
      and (p_from is null or l.created_at >= p_from)
      and (p_to is null or l.created_at < p_to)
      and (not coalesce(p_security_only, false) or l.security_event)
      and private.audit_listed(l.table_name, l.action, l.before, l.after)
      and (p_after is null or (l.created_at, l.id) < (v_at, v_id))
    order by l.created_at desc, l.id desc
    limit v_limit) a
  left join public.profiles p on p.id = a.actor_id;
  return private.export_batch(v_rows, v_limit);
end;
$$;
