-- Customer portal and inspection applications: inspections, attachments, messages, and the
-- customer's read access to their own shipments, goods and stock.
--
-- Access intent
--   Customers act with their own session, so these policies ARE the isolation between customer
--   companies: a customer user reads and writes only rows of their own company
--   (private.my_customer_id()), and only the columns granted below (no unit costs, no internal
--   notes, no staff email addresses).
--   inspection_applications: customers read their company's, create them (status submitted),
--     cancel them while submitted; staff read all and move them through the workflow (through
--     the staff functions). internal_notes is never granted to authenticated.
--   attachments: metadata of stored files. Customers read their company's (except internal
--     ones) and upload documents for their own company; staff read and write all.
--   messages: one thread per inspection. Customers read and write their company's threads; staff
--     read and write all. Read state is kept per side.
--   flows / flow_lines / items / stocks / locations: customers read their own shipments
--     (outbound flows for their company), the items they own or were shipped, the stock of the
--     items they own, and warehouse names — only through the columns granted here.

-- ---------------------------------------------------------------------------------------------
-- inspection_applications
-- ---------------------------------------------------------------------------------------------

create table public.inspection_applications (
  id uuid primary key default gen_random_uuid(),
  number text not null,
  customer_id uuid not null references public.customers (id) on delete restrict,
  applicant_id uuid references public.profiles (id) on delete set null,
  product text not null,
  quantity numeric(14, 3),
  factory_name text not null,
  factory_address text,
  factory_contact text,
  inspection_type text not null,
  requested_date date not null,
  notes text,
  status text not null default 'submitted',
  scheduled_date date,
  inspector_id uuid references public.profiles (id) on delete set null,
  result text not null default 'pending',
  internal_notes text,
  submitted_at timestamptz not null default now(),
  scheduled_at timestamptz,
  started_at timestamptz,
  report_ready_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by uuid references public.profiles (id) on delete set null,
  cancel_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint inspections_type_valid check (inspection_type in ('pre_production', 'during_production', 'pre_shipment', 'loading')),
  constraint inspections_status_valid check (status in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled')),
  constraint inspections_result_valid check (result in ('pass', 'fail', 'pending')),
  constraint inspections_quantity_positive check (quantity is null or quantity > 0),
  constraint inspections_text_lengths check (
    char_length(product) between 1 and 200 and char_length(factory_name) between 1 and 200
    and coalesce(char_length(factory_address), 0) <= 500 and coalesce(char_length(factory_contact), 0) <= 200
    and coalesce(char_length(notes), 0) <= 4000 and coalesce(char_length(internal_notes), 0) <= 4000
    and coalesce(char_length(cancel_reason), 0) <= 500)
);
create unique index inspections_number_key on public.inspection_applications (number);
create index inspections_customer_idx on public.inspection_applications (customer_id, created_at desc);
create index inspections_status_idx on public.inspection_applications (status, requested_date);
create index inspections_inspector_idx on public.inspection_applications (inspector_id);
create index inspections_applicant_idx on public.inspection_applications (applicant_id);
create trigger inspections_touch before update on public.inspection_applications for each row execute function private.touch_updated_at();
create trigger inspections_audit after insert or update or delete on public.inspection_applications for each row execute function private.audit_row();

alter table public.inspection_applications enable row level security;
revoke all on public.inspection_applications from anon, authenticated;
grant select (id, number, customer_id, applicant_id, product, quantity, factory_name, factory_address, factory_contact,
  inspection_type, requested_date, notes, status, scheduled_date, inspector_id, result, submitted_at, scheduled_at,
  started_at, report_ready_at, completed_at, cancelled_at, cancelled_by, cancel_reason, created_at, updated_at)
  on public.inspection_applications to authenticated;
grant insert (number, customer_id, applicant_id, product, quantity, factory_name, factory_address, factory_contact,
  inspection_type, requested_date, notes) on public.inspection_applications to authenticated;
grant update (status, cancelled_at, cancelled_by, cancel_reason) on public.inspection_applications to authenticated;
grant all on public.inspection_applications to service_role;

create policy "customers read their company's inspections; staff read all"
  on public.inspection_applications for select to authenticated
  using (customer_id = (select private.my_customer_id()) or (select private.is_staff()));

create policy "customers apply for their own company"
  on public.inspection_applications for insert to authenticated
  with check (customer_id = (select private.my_customer_id()) and applicant_id = (select auth.uid()));

create policy "customers cancel their company's inspections until scheduled"
  on public.inspection_applications for update to authenticated
  using (customer_id = (select private.my_customer_id()) and status = 'submitted')
  with check (customer_id = (select private.my_customer_id()) and status = 'cancelled');

-- Numbers like INS-2026-000042 (a sequence, as for flows: no row lock shared by applicants).
create sequence private.inspection_number_seq;
create or replace function private.next_inspection_number()
returns text
language sql
security definer
set search_path = ''
as $$
  select format('INS-%s-%s', extract(year from now() at time zone 'Asia/Seoul')::int,
    lpad(nextval('private.inspection_number_seq')::text, 6, '0'))
$$;
revoke all on function private.next_inspection_number() from public;
grant execute on function private.next_inspection_number() to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- attachments
-- ---------------------------------------------------------------------------------------------

create table public.attachments (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete restrict,
  inspection_id uuid references public.inspection_applications (id) on delete cascade,
  kind text not null,
  file_name text not null,
  content_type text not null,
  size_bytes bigint not null,
  storage_path text not null,
  sha256 text,
  internal boolean not null default false,
  uploaded_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint attachments_kind_valid check (kind in ('report', 'photo', 'document')),
  constraint attachments_type_valid check (content_type in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
  constraint attachments_size_valid check (size_bytes between 1 and 20971520),
  constraint attachments_name_length check (char_length(file_name) between 1 and 255)
);
create unique index attachments_storage_path_key on public.attachments (storage_path);
create index attachments_customer_idx on public.attachments (customer_id, created_at desc);
create index attachments_inspection_idx on public.attachments (inspection_id);
create index attachments_uploaded_by_idx on public.attachments (uploaded_by);
create index attachments_internal_idx on public.attachments (internal, customer_id);
create index attachments_kind_idx on public.attachments (kind, customer_id);
create trigger attachments_touch before update on public.attachments for each row execute function private.touch_updated_at();
create trigger attachments_audit after insert or update or delete on public.attachments for each row execute function private.audit_row();

alter table public.attachments enable row level security;
revoke all on public.attachments from anon, authenticated;
grant select (id, customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path, internal, uploaded_by, created_at)
  on public.attachments to authenticated;
grant insert (customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path, sha256, uploaded_by)
  on public.attachments to authenticated;
grant all on public.attachments to service_role;

create policy "customers read their company's shared files; staff read all"
  on public.attachments for select to authenticated
  using ((customer_id = (select private.my_customer_id()) and not internal) or (select private.is_staff()));

create policy "customers upload documents for their own company; staff upload for anyone"
  on public.attachments for insert to authenticated
  with check (
    (select private.is_staff())
    or (customer_id = (select private.my_customer_id()) and kind = 'document' and uploaded_by = (select auth.uid())
        and (inspection_id is null or exists (
          select 1 from public.inspection_applications i where i.id = inspection_id and i.customer_id = (select private.my_customer_id())))));

create policy "staff who may delete remove files"
  on public.attachments for delete to authenticated
  using ((select private.has_role('admin', 'manager', 'korean_team')));
grant delete on public.attachments to authenticated;

-- ---------------------------------------------------------------------------------------------
-- messages
-- ---------------------------------------------------------------------------------------------

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  inspection_id uuid not null references public.inspection_applications (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete restrict,
  sender_id uuid references public.profiles (id) on delete set null,
  from_staff boolean not null,
  body text not null,
  read_by_customer_at timestamptz,
  read_by_staff_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint messages_body_length check (char_length(body) between 1 and 4000)
);
create index messages_thread_idx on public.messages (inspection_id, created_at);
create index messages_customer_idx on public.messages (customer_id, created_at desc);
create index messages_sender_idx on public.messages (sender_id);
create index messages_from_staff_idx on public.messages (from_staff, customer_id);
create index messages_unread_staff_idx on public.messages (created_at) where read_by_staff_at is null and not from_staff;
create trigger messages_touch before update on public.messages for each row execute function private.touch_updated_at();
create trigger messages_audit after insert or update or delete on public.messages for each row execute function private.audit_row();

alter table public.messages enable row level security;
revoke all on public.messages from anon, authenticated;
grant select (id, inspection_id, customer_id, sender_id, from_staff, body, read_by_customer_at, read_by_staff_at, created_at)
  on public.messages to authenticated;
grant insert (inspection_id, customer_id, sender_id, from_staff, body) on public.messages to authenticated;
grant update (read_by_customer_at, read_by_staff_at) on public.messages to authenticated;
grant all on public.messages to service_role;

create policy "customers read their company's threads; staff read all"
  on public.messages for select to authenticated
  using (customer_id = (select private.my_customer_id()) or (select private.is_staff()));

create policy "customers write in their company's threads; staff write in any"
  on public.messages for insert to authenticated
  with check (
    sender_id = (select auth.uid())
    and exists (select 1 from public.inspection_applications i where i.id = inspection_id and i.customer_id = messages.customer_id)
    and ((not from_staff and customer_id = (select private.my_customer_id())) or (from_staff and (select private.is_staff()))));

create policy "each side marks what it has read"
  on public.messages for update to authenticated
  using (customer_id = (select private.my_customer_id()) or (select private.is_staff()))
  with check (customer_id = (select private.my_customer_id()) or (select private.is_staff()));

-- Staff names for customers: the display name of whoever sent a message or inspects, never the
-- email address (profiles of staff are not readable by customers).
create or replace function private.staff_display_name(p_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select p.display_name from public.profiles p where p.id = p_id
$$;
revoke all on function private.staff_display_name(uuid) from public;
grant execute on function private.staff_display_name(uuid) to authenticated, service_role;

-- New messages are announced to listeners (embedded and Postgres realtime): the payload carries
-- ids only; receivers read the message through their own session (RLS decides).
create or replace function private.notify_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('duly_messages', json_build_object('id', new.id, 'inspection_id', new.inspection_id,
    'customer_id', new.customer_id, 'from_staff', new.from_staff)::text);
  return new;
end;
$$;
revoke all on function private.notify_message() from public;
create trigger messages_notify after insert on public.messages for each row execute function private.notify_message();

-- ---------------------------------------------------------------------------------------------
-- Customers' view of shipments, goods and stock (column grants: no costs, no internal notes)
-- ---------------------------------------------------------------------------------------------

revoke select on public.flows from authenticated;
grant select (id, number, kind, status, customer_id, reference, from_location_id, to_location_id, created_at,
  submitted_at, approved_at, committed_at, cancelled_at, updated_at) on public.flows to authenticated;
create policy "customers read their own shipments"
  on public.flows for select to authenticated
  using (kind = 'outbound' and customer_id = (select private.my_customer_id()));

revoke select on public.flow_lines from authenticated;
grant select (id, flow_id, line_no, item_id, qty) on public.flow_lines to authenticated;
create policy "customers read the lines of their own shipments"
  on public.flow_lines for select to authenticated
  using (exists (select 1 from public.flows f
                 where f.id = flow_id and f.kind = 'outbound' and f.customer_id = (select private.my_customer_id())));

revoke select on public.items from authenticated;
grant select (id, sku, name_ko, name_zh, name_en, unit, customer_id, barcode, active) on public.items to authenticated;
create policy "customers read the goods they own or were shipped"
  on public.items for select to authenticated
  using (customer_id = (select private.my_customer_id())
         or exists (select 1 from public.flow_lines fl join public.flows f on f.id = fl.flow_id
                    where fl.item_id = items.id and f.kind = 'outbound' and f.customer_id = (select private.my_customer_id())));

revoke select on public.stocks from authenticated;
grant select (item_id, location_id, on_hand, updated_at) on public.stocks to authenticated;
create policy "customers read the stock of their own goods"
  on public.stocks for select to authenticated
  using (exists (select 1 from public.items i where i.id = item_id and i.customer_id = (select private.my_customer_id())));

revoke select on public.locations from authenticated;
grant select (id, code, name, country, active) on public.locations to authenticated;
create policy "customers read warehouse names"
  on public.locations for select to authenticated
  using ((select private.my_customer_id()) is not null);
