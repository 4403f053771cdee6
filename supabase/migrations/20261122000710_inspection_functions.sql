-- Functions for customers, inspection applications, their timeline and message threads, and the
-- customer portal's reads of shipments and stock.
--
-- Access intent
--   customers_*: staff only (read: every staff role; write: every staff role, as customers:write).
--   inspections: staff read and work on every application; a customer user reads and applies
--     only for their own company, and cancels only while it is submitted. Staff-only fields
--     (internal_notes, staff email addresses) are never in a customer's answer.
--   inspection_events: the timeline (who did what when). Written only by these functions;
--     customers read their company's, except staff-only events; staff read all.
--   messages: customers read and write their company's threads, staff any; each side marks
--     what it has read, and only its own side.
--   portal_*: customer users only; their outbound flows (no drafts) and the stock of the items
--     they own.
--
-- How isolation is kept
--   Reads that customers make (inspections, timeline, messages, portal) are SECURITY INVOKER:
--   they run with the caller's session, so the RLS policies and column grants of
--   20261122000700 decide what is visible, and each also filters by the actor's company
--   explicitly (the same answer under the service role, which bypasses RLS).
--   Writes are SECURITY DEFINER (they write columns and rows no session may write directly),
--   re-check the actor's role, and look rows up by (id, own company) for customers, so another
--   company's id is "not found", never "forbidden".
--   Direct writes by sessions on inspection_applications and messages are closed here: every
--   write goes through a function, so the timeline and read state cannot be forged.

-- ---------------------------------------------------------------------------------------------
-- Close direct writes (each write now goes through a function below)
-- ---------------------------------------------------------------------------------------------

drop policy "customers apply for their own company" on public.inspection_applications;
drop policy "customers cancel their company's inspections until scheduled" on public.inspection_applications;
revoke insert, update on public.inspection_applications from authenticated;

drop policy "customers write in their company's threads; staff write in any" on public.messages;
-- A customer could otherwise set read_by_staff_at (and staff the customer's read marks).
drop policy "each side marks what it has read" on public.messages;
revoke insert, update on public.messages from authenticated;

-- Names only, and only of people the caller may know of: staff (whose names customers see on
-- their inspections and messages), and users of the caller's own company. Staff see everyone.
create or replace function private.staff_display_name(p_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select p.display_name from public.profiles p
  where p.id = p_id
    and (p.role <> 'customer'
         or p.customer_id = (select private.my_customer_id())
         or (select private.is_staff())
         or (select auth.role()) = 'service_role')
$$;
revoke all on function private.staff_display_name(uuid) from public;
grant execute on function private.staff_display_name(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- inspection_events: the timeline
-- ---------------------------------------------------------------------------------------------

create table public.inspection_events (
  id bigint generated always as identity primary key,
  inspection_id uuid not null references public.inspection_applications (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete restrict,
  action text not null,
  actor_id uuid references public.profiles (id) on delete set null,
  staff_only boolean not null default false,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint inspection_events_action_valid check (action in
    ('submitted', 'scheduled', 'rescheduled', 'started', 'report_ready', 'completed', 'cancelled', 'notes_updated'))
);
create index inspection_events_thread_idx on public.inspection_events (inspection_id, id);
create index inspection_events_customer_idx on public.inspection_events (customer_id, created_at desc);
create index inspection_events_staff_only_idx on public.inspection_events (staff_only, customer_id);
create index inspection_events_actor_idx on public.inspection_events (actor_id);

alter table public.inspection_events enable row level security;
revoke all on public.inspection_events from anon, authenticated;
revoke all on sequence public.inspection_events_id_seq from anon, authenticated;
grant select on public.inspection_events to authenticated;
grant select, insert on public.inspection_events to service_role;

create policy "customers read their company's timeline; staff read all"
  on public.inspection_events for select to authenticated
  using ((customer_id = (select private.my_customer_id()) and not staff_only) or (select private.is_staff()));

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

-- The company of the acting customer user (null for staff).
create or replace function private.actor_customer_id(p_actor uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.customer_id from public.profiles p
  where p.id = private.actor(p_actor) and p.active and p.role = 'customer'
$$;

-- Staff-only notes, for the invoker functions (the column is not granted to sessions).
create or replace function private.inspection_internal_notes(p_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select i.internal_notes from public.inspection_applications i
  where i.id = p_id and ((select private.is_staff()) or (select auth.role()) = 'service_role')
$$;

create or replace function private.inspection_event(p_inspection public.inspection_applications, p_action text,
  p_actor uuid, p_detail jsonb default '{}'::jsonb, p_staff_only boolean default false)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.inspection_events (inspection_id, customer_id, action, actor_id, staff_only, detail)
  values (p_inspection.id, p_inspection.customer_id, p_action, p_actor, p_staff_only, coalesce(p_detail, '{}'::jsonb))
$$;

-- An application for a write, locked. A customer finds only their own company's: anything else
-- is "not found", so ids of other companies reveal nothing.
create or replace function private.inspection_for_write(p_id uuid, p_customer uuid)
returns public.inspection_applications
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.inspection_applications;
begin
  select * into v from public.inspection_applications i
  where i.id = p_id and (p_customer is null or i.customer_id = p_customer)
  for update;
  if not found then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  return v;
end;
$$;

create or replace function private.inspection_require_status(p_row public.inspection_applications, p_action text, variadic p_allowed text[])
returns void
language plpgsql
set search_path = ''
as $$
begin
  if not (p_row.status = any (p_allowed)) then
    perform private.fail('invalid_state', format('This inspection is %s and cannot be %s', p_row.status, p_action),
      jsonb_build_object('status', p_row.status, 'allowed', to_jsonb(p_allowed)));
  end if;
end;
$$;

-- One application as the caller may see it. Runs with the caller's rights (RLS and column grants
-- apply); p_staff adds the staff-only fields.
create or replace function private.inspection_json(p_id uuid, p_staff boolean, p_actor uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
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
      'timeline', coalesce((
        select jsonb_agg(jsonb_build_object(
            'id', e.id, 'action', e.action, 'actor_name', private.staff_display_name(e.actor_id),
            'detail', e.detail, 'created_at', e.created_at)
          || case when p_staff then jsonb_build_object('actor_id', e.actor_id, 'staff_only', e.staff_only) else '{}'::jsonb end
          order by e.id)
        from public.inspection_events e
        where e.inspection_id = i.id and (p_staff or not e.staff_only)), '[]'::jsonb),
      'messages', jsonb_build_object(
        'count', (select count(*) from public.messages m where m.inspection_id = i.id),
        'unread', (select count(*) from public.messages m where m.inspection_id = i.id and m.from_staff <> p_staff
                     and case when p_staff then m.read_by_staff_at is null else m.read_by_customer_at is null end)))
    || case when p_staff then jsonb_build_object(
         'internal_notes', private.inspection_internal_notes(i.id),
         'applicant_email', (select p.email from public.profiles p where p.id = i.applicant_id),
         'inspector_email', (select p.email from public.profiles p where p.id = i.inspector_id))
       else '{}'::jsonb end
  from public.inspection_applications i
  join public.customers c on c.id = i.customer_id
  where i.id = p_id and (p_staff or i.customer_id = private.actor_customer_id(p_actor))
$$;

-- Staff roles and every role, for begin_action.
create or replace function private.is_staff_role(p_role text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(p_role in ('admin', 'manager', 'korean_team', 'chinese_staff'), false)
$$;

revoke all on function private.actor_customer_id(uuid), private.inspection_internal_notes(uuid),
  private.inspection_event(public.inspection_applications, text, uuid, jsonb, boolean),
  private.inspection_for_write(uuid, uuid), private.inspection_require_status(public.inspection_applications, text, text[]),
  private.inspection_json(uuid, boolean, uuid), private.is_staff_role(text) from public;
grant execute on function private.actor_customer_id(uuid), private.inspection_internal_notes(uuid),
  private.inspection_json(uuid, boolean, uuid), private.is_staff_role(text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- customers (staff)
-- ---------------------------------------------------------------------------------------------

create or replace function public.customers_list(
  p_q text default null,
  p_active boolean default null,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(c) || jsonb_build_object(
          'user_count', (select count(*) from public.profiles p where p.customer_id = c.id and p.active),
          'open_inspections', (select count(*) from public.inspection_applications i
                               where i.customer_id = c.id and i.status not in ('completed', 'cancelled')))
        order by c.name, c.code)
      from (
        select * from public.customers c
        where (p_active is null or c.active = p_active)
          and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)
        order by c.name, c.code
        limit p_limit offset v_offset) c
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.customers c
      where (p_active is null or c.active = p_active)
        and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function private.customer_json(p_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select to_jsonb(c) || jsonb_build_object(
    'users', coalesce((
      select jsonb_agg(jsonb_build_object('id', p.id, 'email', p.email, 'display_name', p.display_name,
          'locale', p.locale, 'active', p.active, 'created_at', p.created_at) order by lower(p.email))
      from public.profiles p where p.customer_id = c.id), '[]'::jsonb),
    'stats', jsonb_build_object(
      'inspections', (select count(*) from public.inspection_applications i where i.customer_id = c.id),
      'open_inspections', (select count(*) from public.inspection_applications i
                           where i.customer_id = c.id and i.status not in ('completed', 'cancelled')),
      'shipments', (select count(*) from public.flows f where f.customer_id = c.id and f.kind = 'outbound'),
      'items', (select count(*) from public.items it where it.customer_id = c.id)))
  from public.customers c
  where c.id = p_id
$$;
revoke all on function private.customer_json(uuid) from public;

create or replace function public.customer_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v := private.customer_json(p_id);
  if v is null then perform private.fail('not_found', 'Customer not found'); end if;
  return v;
end;
$$;

create or replace function public.customer_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.customers := jsonb_populate_record(null::public.customers,
    private.pick(p_data, array['code', 'name', 'business_number', 'contact_name', 'email', 'phone', 'address', 'active']));
  v_id uuid;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if exists (select 1 from public.customers c where c.code = upper(trim(r.code))) then
    perform private.fail('conflict', 'A customer with this code already exists',
      jsonb_build_array(jsonb_build_object('path', 'code', 'message', 'A customer with this code already exists')));
  end if;
  insert into public.customers (code, name, business_number, contact_name, email, phone, address, active)
  values (upper(trim(r.code)), trim(r.name), r.business_number, r.contact_name, r.email, r.phone, r.address, coalesce(r.active, true))
  returning id into v_id;
  return private.customer_json(v_id);
end;
$$;

create or replace function public.customer_update(p_id uuid, p_patch jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cur public.customers;
  r public.customers;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select * into cur from public.customers where id = p_id for update;
  if not found then perform private.fail('not_found', 'Customer not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name', 'business_number', 'contact_name', 'email', 'phone', 'address', 'active']));
  if upper(trim(r.code)) <> cur.code and exists (select 1 from public.customers c where c.code = upper(trim(r.code))) then
    perform private.fail('conflict', 'A customer with this code already exists',
      jsonb_build_array(jsonb_build_object('path', 'code', 'message', 'A customer with this code already exists')));
  end if;
  update public.customers
  set code = upper(trim(r.code)), name = trim(r.name), business_number = r.business_number, contact_name = r.contact_name,
      email = r.email, phone = r.phone, address = r.address, active = r.active
  where id = p_id;
  return private.customer_json(p_id);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- inspections: reads (caller's rights)
-- ---------------------------------------------------------------------------------------------

create or replace function public.inspections_list(
  p_status text default null,
  p_open boolean default null,
  p_customer_id uuid default null,
  p_inspector_id uuid default null,
  p_q text default null,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_ids uuid[];
  v_count int;
begin
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select array_agg(x.id order by x.created_at desc, x.number desc) into v_ids
  from (
    select i.id, i.created_at, i.number from public.inspection_applications i
    join public.customers c on c.id = i.customer_id
    where (v_staff or i.customer_id = v_customer)
      and (p_status is null or i.status = p_status)
      and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
      and (p_customer_id is null or i.customer_id = p_customer_id)
      and (p_inspector_id is null or i.inspector_id = p_inspector_id)
      and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
           or (v_staff and c.name ilike v_pattern))
    order by i.created_at desc, i.number desc
    limit p_limit offset v_offset) x;
  select count(*) into v_count
  from public.inspection_applications i
  join public.customers c on c.id = i.customer_id
  where (v_staff or i.customer_id = v_customer)
    and (p_status is null or i.status = p_status)
    and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
    and (p_customer_id is null or i.customer_id = p_customer_id)
    and (p_inspector_id is null or i.inspector_id = p_inspector_id)
    and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
         or (v_staff and c.name ilike v_pattern));
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.inspection_json(u.id, v_staff, v_actor) - 'timeline' order by u.ord)
      from unnest(v_ids) with ordinality as u(id, ord)), '[]'::jsonb),
    'count', v_count, 'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function public.inspection_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v jsonb;
begin
  v := private.inspection_json(p_id, private.is_staff_role(private.actor_role(p_actor)), v_actor);
  if v is null then perform private.fail('not_found', 'Inspection not found'); end if;
  return v;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- inspections: writes
-- ---------------------------------------------------------------------------------------------

create or replace function public.inspection_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_own uuid := private.actor_customer_id(p_actor);
  r public.inspection_applications := jsonb_populate_record(null::public.inspection_applications,
    private.pick(p_data, array['customer_id', 'product', 'quantity', 'factory_name', 'factory_address', 'factory_contact',
      'inspection_type', 'requested_date', 'notes']));
  v public.inspection_applications;
begin
  if v_staff then
    if r.customer_id is null then
      perform private.fail_field('customer_id', 'Choose the customer');
    end if;
    if not exists (select 1 from public.customers c where c.id = r.customer_id and c.active) then
      perform private.fail_field('customer_id', 'Customer not found or inactive');
    end if;
  else
    -- A customer applies for their own company only; naming another is "not found".
    if r.customer_id is not null and r.customer_id <> v_own then
      perform private.fail('not_found', 'Customer not found');
    end if;
    r.customer_id := v_own;
  end if;
  if nullif(trim(r.product), '') is null then perform private.fail_field('product', 'Enter the product'); end if;
  if nullif(trim(r.factory_name), '') is null then perform private.fail_field('factory_name', 'Enter the factory'); end if;
  if r.inspection_type is null or r.inspection_type not in ('pre_production', 'during_production', 'pre_shipment', 'loading') then
    perform private.fail_field('inspection_type', 'Choose the inspection type');
  end if;
  if r.requested_date is null then perform private.fail_field('requested_date', 'Choose the requested date'); end if;

  insert into public.inspection_applications (number, customer_id, applicant_id, product, quantity, factory_name,
    factory_address, factory_contact, inspection_type, requested_date, notes)
  values (private.next_inspection_number(), r.customer_id, v_actor, trim(r.product), r.quantity, trim(r.factory_name),
    nullif(trim(r.factory_address), ''), nullif(trim(r.factory_contact), ''), r.inspection_type, r.requested_date,
    nullif(trim(r.notes), ''))
  returning * into v;
  perform private.inspection_event(v, 'submitted', v_actor);
  return private.inspection_json(v.id, v_staff, v_actor);
end;
$$;

create or replace function public.inspection_schedule(p_id uuid, p_scheduled_date date, p_inspector_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
  v_was text := v.status;
begin
  perform private.inspection_require_status(v, 'scheduled', 'submitted', 'scheduled');
  if p_scheduled_date is null then
    perform private.fail_field('scheduled_date', 'Choose the inspection date');
  end if;
  if p_inspector_id is null or not exists (
      select 1 from public.profiles p where p.id = p_inspector_id and p.active and private.is_staff_role(p.role)) then
    perform private.fail_field('inspector_id', 'The inspector must be an active staff member');
  end if;
  update public.inspection_applications
  set status = 'scheduled', scheduled_date = p_scheduled_date, inspector_id = p_inspector_id,
      scheduled_at = case when v_was = 'submitted' then now() else scheduled_at end
  where id = p_id
  returning * into v;
  perform private.inspection_event(v, case when v_was = 'submitted' then 'scheduled' else 'rescheduled' end, v_actor,
    jsonb_build_object('scheduled_date', p_scheduled_date, 'inspector_name',
      (select p.display_name from public.profiles p where p.id = p_inspector_id)));
  return private.inspection_json(p_id, true, v_actor);
end;
$$;

create or replace function public.inspection_start(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'started', 'scheduled');
  update public.inspection_applications set status = 'in_progress', started_at = now() where id = p_id returning * into v;
  perform private.inspection_event(v, 'started', v_actor);
  return private.inspection_json(p_id, true, v_actor);
end;
$$;

create or replace function public.inspection_report(p_id uuid, p_result text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'marked report ready', 'in_progress');
  if p_result is not null and p_result not in ('pass', 'fail', 'pending') then
    perform private.fail_field('result', 'Choose pass, fail or pending');
  end if;
  update public.inspection_applications set status = 'report_ready', report_ready_at = now(), result = coalesce(p_result, result)
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'report_ready', v_actor, jsonb_build_object('result', v.result));
  return private.inspection_json(p_id, true, v_actor);
end;
$$;

create or replace function public.inspection_complete(p_id uuid, p_result text, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'completed', 'report_ready');
  if p_result is null or p_result not in ('pass', 'fail', 'pending') then
    perform private.fail_field('result', 'Choose pass, fail or pending');
  end if;
  update public.inspection_applications set status = 'completed', completed_at = now(), result = p_result
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'completed', v_actor, jsonb_build_object('result', p_result));
  return private.inspection_json(p_id, true, v_actor);
end;
$$;

-- Customers cancel while the application is submitted; staff until it is completed.
create or replace function public.inspection_cancel(p_id uuid, p_reason text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v public.inspection_applications := private.inspection_for_write(p_id, case when v_staff then null else private.actor_customer_id(p_actor) end);
  v_reason text := nullif(trim(p_reason), '');
begin
  if v_staff then
    perform private.inspection_require_status(v, 'cancelled', 'submitted', 'scheduled', 'in_progress', 'report_ready');
  else
    perform private.inspection_require_status(v, 'cancelled by the customer', 'submitted');
  end if;
  if char_length(v_reason) > 500 then
    perform private.fail_field('reason', 'At most 500 characters');
  end if;
  update public.inspection_applications
  set status = 'cancelled', cancelled_at = now(), cancelled_by = v_actor, cancel_reason = v_reason
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'cancelled', v_actor, jsonb_build_object('reason', v_reason));
  return private.inspection_json(p_id, v_staff, v_actor);
end;
$$;

create or replace function public.inspection_set_internal_notes(p_id uuid, p_internal_notes text, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
  v_notes text := nullif(trim(p_internal_notes), '');
begin
  if char_length(v_notes) > 4000 then
    perform private.fail_field('internal_notes', 'At most 4000 characters');
  end if;
  if v_notes is distinct from v.internal_notes then
    update public.inspection_applications set internal_notes = v_notes where id = p_id returning * into v;
    perform private.inspection_event(v, 'notes_updated', v_actor, '{}'::jsonb, true);
  end if;
  return private.inspection_json(p_id, true, v_actor);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- messages
-- ---------------------------------------------------------------------------------------------

-- Only the columns granted to sessions (this runs with the caller's rights).
create or replace function private.message_json(p_id uuid, p_staff boolean, p_actor uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
      'id', m.id, 'inspection_id', m.inspection_id, 'body', m.body, 'from_staff', m.from_staff,
      'sender_name', private.staff_display_name(m.sender_id), 'mine', m.sender_id is not distinct from p_actor,
      'read_by_customer_at', m.read_by_customer_at, 'read_by_staff_at', m.read_by_staff_at, 'created_at', m.created_at)
    || case when p_staff then jsonb_build_object('sender_id', m.sender_id, 'customer_id', m.customer_id) else '{}'::jsonb end
  from public.messages m
  where m.id = p_id
$$;
revoke all on function private.message_json(uuid, boolean, uuid) from public;
grant execute on function private.message_json(uuid, boolean, uuid) to authenticated, service_role;

-- The thread of one application, oldest first (the newest p_limit messages).
create or replace function public.messages_list(p_inspection_id uuid, p_limit int default 200, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
begin
  if p_limit is null or p_limit < 1 or p_limit > 500 then
    perform private.fail('bad_request', 'limit must be between 1 and 500');
  end if;
  if not exists (select 1 from public.inspection_applications i
                 where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.message_json(m.id, v_staff, v_actor) order by m.created_at, m.id)
      from (select m.id, m.created_at from public.messages m
            where m.inspection_id = p_inspection_id and (v_staff or m.customer_id = v_customer)
            order by m.created_at desc, m.id desc limit p_limit) m), '[]'::jsonb),
    'count', (select count(*) from public.messages m where m.inspection_id = p_inspection_id and (v_staff or m.customer_id = v_customer)));
end;
$$;

create or replace function public.message_send(p_inspection_id uuid, p_body text, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_inspection public.inspection_applications;
  v_body text := trim(p_body);
  m public.messages;
begin
  select * into v_inspection from public.inspection_applications i
  where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer);
  if not found then perform private.fail('not_found', 'Inspection not found'); end if;
  if coalesce(char_length(v_body), 0) not between 1 and 4000 then
    perform private.fail_field('body', 'Write 1 to 4000 characters');
  end if;
  insert into public.messages (inspection_id, customer_id, sender_id, from_staff, body,
    read_by_staff_at, read_by_customer_at)
  values (v_inspection.id, v_inspection.customer_id, v_actor, v_staff, v_body,
    case when v_staff then now() end, case when not v_staff then now() end)
  returning * into m;
  return private.message_json(m.id, v_staff, v_actor);
end;
$$;

-- Marks the other side's messages in a thread as read by the caller's side.
create or replace function public.messages_mark_read(p_inspection_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_count int;
begin
  if not exists (select 1 from public.inspection_applications i
                 where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  if v_staff then
    update public.messages set read_by_staff_at = now()
    where inspection_id = p_inspection_id and not from_staff and read_by_staff_at is null;
  else
    update public.messages set read_by_customer_at = now()
    where inspection_id = p_inspection_id and customer_id = v_customer and from_staff and read_by_customer_at is null;
  end if;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inspection_id', p_inspection_id, 'marked', v_count);
end;
$$;

-- The caller's unread messages: in total and per application.
create or replace function public.messages_unread(p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_rows jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object('inspection_id', u.inspection_id, 'number', i.number, 'unread', u.n)
           order by u.latest desc), '[]'::jsonb)
  into v_rows
  from (
    select m.inspection_id, count(*) as n, max(m.created_at) as latest
    from public.messages m
    where case when v_staff then not m.from_staff and m.read_by_staff_at is null
               else m.from_staff and m.read_by_customer_at is null and m.customer_id = v_customer end
    group by m.inspection_id) u
  join public.inspection_applications i on i.id = u.inspection_id;
  return jsonb_build_object(
    'total', coalesce((select sum((r ->> 'unread')::int) from jsonb_array_elements(v_rows) r), 0),
    'inspections', v_rows);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- portal: the customer's shipments and stock (caller's rights: RLS and column grants apply)
-- ---------------------------------------------------------------------------------------------

create or replace function private.shipment_json(p_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'id', f.id, 'number', f.number, 'status', f.status, 'reference', f.reference,
    'from_location', (select jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country)
                      from public.locations l where l.id = f.from_location_id),
    'created_at', f.created_at, 'submitted_at', f.submitted_at, 'approved_at', f.approved_at,
    'committed_at', f.committed_at, 'cancelled_at', f.cancelled_at, 'updated_at', f.updated_at,
    'lines', coalesce((
      select jsonb_agg(jsonb_build_object('line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty,
          'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit) order by fl.line_no)
      from public.flow_lines fl join public.items i on i.id = fl.item_id
      where fl.flow_id = f.id), '[]'::jsonb))
  from public.flows f
  where f.id = p_id
$$;
revoke all on function private.shipment_json(uuid) from public;
grant execute on function private.shipment_json(uuid) to authenticated, service_role;

create or replace function public.portal_shipments(p_status text default null, p_page int default 1, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_customer uuid;
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action(p_actor, 'customer');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.shipment_json(f.id) order by f.created_at desc, f.number desc)
      from (select f.id, f.created_at, f.number from public.flows f
            where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
              and (p_status is null or f.status = p_status)
            order by f.created_at desc, f.number desc limit p_limit offset v_offset) f), '[]'::jsonb),
    'count', (select count(*) from public.flows f
              where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
                and (p_status is null or f.status = p_status)),
    'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function public.portal_shipment_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_customer uuid;
  v jsonb;
begin
  perform private.begin_action(p_actor, 'customer');
  v_customer := private.actor_customer_id(p_actor);
  if exists (select 1 from public.flows f
             where f.id = p_id and f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft') then
    v := private.shipment_json(p_id);
  end if;
  if v is null then perform private.fail('not_found', 'Shipment not found'); end if;
  return v;
end;
$$;

create or replace function public.portal_stock(p_q text default null, p_page int default 1, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_customer uuid;
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action(p_actor, 'customer');
  v_customer := private.actor_customer_id(p_actor);
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'on_hand', coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = i.id), 0),
          'locations', coalesce((
            select jsonb_agg(jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country, 'on_hand', s.on_hand) order by l.code)
            from public.stocks s join public.locations l on l.id = s.location_id
            where s.item_id = i.id and s.on_hand <> 0), '[]'::jsonb))
        order by i.sku)
      from (select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit from public.items i
            where i.customer_id = v_customer and i.active
              and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)
            order by i.sku limit p_limit offset v_offset) i), '[]'::jsonb),
    'count', (select count(*) from public.items i
              where i.customer_id = v_customer and i.active
                and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: sessions and the server; never anon
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.customers_list(text, boolean, int, int, uuid), public.customer_get(uuid, uuid),
  public.customer_create(jsonb, uuid), public.customer_update(uuid, jsonb, uuid),
  public.inspections_list(text, boolean, uuid, uuid, text, int, int, uuid), public.inspection_get(uuid, uuid),
  public.inspection_create(jsonb, uuid), public.inspection_schedule(uuid, date, uuid, uuid),
  public.inspection_start(uuid, uuid), public.inspection_report(uuid, text, uuid), public.inspection_complete(uuid, text, uuid),
  public.inspection_cancel(uuid, text, uuid), public.inspection_set_internal_notes(uuid, text, uuid),
  public.messages_list(uuid, int, uuid), public.message_send(uuid, text, uuid), public.messages_mark_read(uuid, uuid),
  public.messages_unread(uuid),
  public.portal_shipments(text, int, int, uuid), public.portal_shipment_get(uuid, uuid), public.portal_stock(text, int, int, uuid)
from public, anon;

grant execute on function
  public.customers_list(text, boolean, int, int, uuid), public.customer_get(uuid, uuid),
  public.customer_create(jsonb, uuid), public.customer_update(uuid, jsonb, uuid),
  public.inspections_list(text, boolean, uuid, uuid, text, int, int, uuid), public.inspection_get(uuid, uuid),
  public.inspection_create(jsonb, uuid), public.inspection_schedule(uuid, date, uuid, uuid),
  public.inspection_start(uuid, uuid), public.inspection_report(uuid, text, uuid), public.inspection_complete(uuid, text, uuid),
  public.inspection_cancel(uuid, text, uuid), public.inspection_set_internal_notes(uuid, text, uuid),
  public.messages_list(uuid, int, uuid), public.message_send(uuid, text, uuid), public.messages_mark_read(uuid, uuid),
  public.messages_unread(uuid),
  public.portal_shipments(text, int, int, uuid), public.portal_shipment_get(uuid, uuid), public.portal_stock(text, int, int, uuid)
to authenticated, service_role;

insert into private.idempotent_functions (name) values
  ('customer_create'), ('customer_update'), ('inspection_create'), ('inspection_schedule'), ('inspection_start'),
  ('inspection_report'), ('inspection_complete'), ('inspection_cancel'), ('inspection_set_internal_notes'),
  ('message_send'), ('messages_mark_read')
on conflict (name) do nothing;
