-- Email: an outbox of messages to send, each user's choice of which kinds they receive, and the
-- events that queue them (inspection scheduled / report ready / completed, staff messages in a
-- customer's thread, the daily digest of flows waiting for approval, and operations alerts).
--
-- Access intent
--   email_outbox: the server's delivery job only (service_role). Rows are written by triggers and
--     security definer functions in the same transaction as the event that causes them, so an
--     inspection is never scheduled without its email queued, and a rolled-back request queues
--     nothing. No user session may read it: it holds other people's addresses and messages.
--   email_preferences: each user reads their own row; writes go through email_preferences_update
--     (security definer, own row only, only the kinds their role receives). A personal setting,
--     like notification_reads: not audited.
--
-- Delivery (lib/mail/deliver.ts): jobs_email_claim takes due rows with `for update skip locked`
-- and marks them 'sending' under a claim token and a lease, so two deliverers never take the same
-- row; jobs_email_finish records the outcome for that token only. A failure goes back to
-- 'pending' with exponential backoff (1 min, 2, 4 … capped at 1 hour) until MAX attempts.
-- Content is assembled at claim time from the recipient's own records: a customer's email only
-- ever carries rows whose customer_id is the recipient's company.

-- ---------------------------------------------------------------------------------------------
-- email_preferences
-- ---------------------------------------------------------------------------------------------

create table public.email_preferences (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  inspection_scheduled boolean not null default true,
  inspection_report_ready boolean not null default true,
  inspection_completed boolean not null default true,
  thread_message boolean not null default true,
  approval_digest boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger email_preferences_touch before update on public.email_preferences for each row execute function private.touch_updated_at();

alter table public.email_preferences enable row level security;
revoke all on public.email_preferences from anon, authenticated;
grant select on public.email_preferences to authenticated;
grant all on public.email_preferences to service_role;

create policy "each user reads their own email preferences"
  on public.email_preferences for select to authenticated
  using (user_id = (select auth.uid()));

-- The kinds a role receives: customers hear about their inspections and threads, staff who may
-- approve flows get the digest. Other staff receive no email of their own (yet).
create or replace function private.email_kinds_for(p_role text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case
    when p_role = 'customer' then array['inspection_scheduled', 'inspection_report_ready', 'inspection_completed', 'thread_message']
    when p_role = any (private.roles_for('flows:approve')) then array['approval_digest']
    else array[]::text[]
  end
$$;
revoke all on function private.email_kinds_for(text) from public;
grant execute on function private.email_kinds_for(text) to authenticated, service_role;

-- Whether a user wants a kind of email (no row: every kind on).
create or replace function private.email_wanted(p_user uuid, p_kind text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select case p_kind
      when 'inspection_scheduled' then e.inspection_scheduled
      when 'inspection_report_ready' then e.inspection_report_ready
      when 'inspection_completed' then e.inspection_completed
      when 'thread_message' then e.thread_message
      when 'approval_digest' then e.approval_digest
      else true end
    from public.email_preferences e where e.user_id = p_user), true)
$$;
revoke all on function private.email_wanted(uuid, text) from public;
grant execute on function private.email_wanted(uuid, text) to service_role;

create or replace function private.email_preferences_json(p_user uuid, p_role text)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(k, private.email_wanted(p_user, k) order by k), '{}'::jsonb)
  from unnest(private.email_kinds_for(p_role)) k
$$;
revoke all on function private.email_preferences_json(uuid, text) from public;

-- The caller's email preferences: one boolean per kind their role receives.
create or replace function public.email_preferences_get(p_actor uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
begin
  -- begin_action sets a transaction setting, which a stable function may not; check inline.
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  return jsonb_build_object('preferences', private.email_preferences_json(v_actor, v_role));
end;
$$;

-- Turns kinds on or off for the caller: p_patch is {"kind": true|false, …}; a kind the caller's
-- role does not receive, or a value that is not a boolean, is refused and nothing changes.
create or replace function public.email_preferences_update(p_patch jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_role text := private.actor_role(p_actor);
  v_kinds text[] := private.email_kinds_for(v_role);
  v_key text;
  v_value jsonb;
begin
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    perform private.fail('bad_request', 'Send an object of kinds and true or false');
  end if;
  for v_key, v_value in select * from jsonb_each(p_patch) loop
    if not (v_key = any (v_kinds)) then
      perform private.fail_field(v_key, 'This kind of email is not sent to you');
    end if;
    if jsonb_typeof(v_value) <> 'boolean' then
      perform private.fail_field(v_key, 'Choose on or off');
    end if;
  end loop;
  insert into public.email_preferences (user_id) values (v_actor) on conflict (user_id) do nothing;
  update public.email_preferences e set
    inspection_scheduled = coalesce((p_patch ->> 'inspection_scheduled')::boolean, e.inspection_scheduled),
    inspection_report_ready = coalesce((p_patch ->> 'inspection_report_ready')::boolean, e.inspection_report_ready),
    inspection_completed = coalesce((p_patch ->> 'inspection_completed')::boolean, e.inspection_completed),
    thread_message = coalesce((p_patch ->> 'thread_message')::boolean, e.thread_message),
    approval_digest = coalesce((p_patch ->> 'approval_digest')::boolean, e.approval_digest)
  where e.user_id = v_actor;
  return jsonb_build_object('preferences', private.email_preferences_json(v_actor, v_role));
end;
$$;

revoke all on function public.email_preferences_get(uuid), public.email_preferences_update(jsonb, uuid) from public, anon;
grant execute on function public.email_preferences_get(uuid), public.email_preferences_update(jsonb, uuid) to authenticated, service_role;
insert into private.idempotent_functions (name) values ('email_preferences_update') on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------------
-- email_outbox
-- ---------------------------------------------------------------------------------------------

create table public.email_outbox (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  -- A user (address and language read at send time, so a change of either applies), or for
  -- operations mail a bare address and language.
  recipient_id uuid references public.profiles (id) on delete cascade,
  to_address text,
  locale text,
  customer_id uuid references public.customers (id) on delete cascade,
  inspection_id uuid references public.inspection_applications (id) on delete cascade,
  data jsonb not null default '{}'::jsonb,
  dedupe_key text,
  status text not null default 'pending',
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  claim_token uuid,
  claimed_until timestamptz,
  last_error text,
  skipped_reason text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint email_outbox_kind_valid check (kind in ('inspection_scheduled', 'inspection_report_ready', 'inspection_completed',
    'thread_message', 'approval_digest', 'ops_alert')),
  constraint email_outbox_status_valid check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  constraint email_outbox_recipient check (recipient_id is not null or (to_address is not null and locale in ('ko', 'zh', 'en'))),
  constraint email_outbox_lengths check (coalesce(char_length(to_address), 0) <= 320 and coalesce(char_length(last_error), 0) <= 1000
    and coalesce(char_length(dedupe_key), 0) <= 200)
);
create index email_outbox_due_idx on public.email_outbox (next_attempt_at) where status in ('pending', 'sending');
create index email_outbox_status_idx on public.email_outbox (status, created_at);
create index email_outbox_recipient_idx on public.email_outbox (recipient_id, kind, inspection_id);
create index email_outbox_customer_idx on public.email_outbox (customer_id);
create index email_outbox_inspection_idx on public.email_outbox (inspection_id);
create unique index email_outbox_dedupe_key on public.email_outbox (dedupe_key);
-- One waiting thread email per recipient and thread: later staff messages join it.
create unique index email_outbox_thread_pending_key on public.email_outbox (recipient_id, inspection_id)
  where kind = 'thread_message' and status = 'pending';
create trigger email_outbox_touch before update on public.email_outbox for each row execute function private.touch_updated_at();

alter table public.email_outbox enable row level security;
revoke all on public.email_outbox from anon, authenticated;
grant all on public.email_outbox to service_role;
-- No policies: only the delivery job (service_role) and the security definer functions touch it.

-- ---------------------------------------------------------------------------------------------
-- Events that queue email (same transaction as the event)
-- ---------------------------------------------------------------------------------------------

-- Inspection scheduled (or moved to another date), report ready, completed: one email to each
-- active user of the inspection's company who wants that kind.
create or replace function private.email_on_inspection()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_kind text;
begin
  if new.status = 'scheduled' and (old.status is distinct from 'scheduled' or old.scheduled_date is distinct from new.scheduled_date) then
    v_kind := 'inspection_scheduled';
  elsif new.status = 'report_ready' and old.status is distinct from 'report_ready' then
    v_kind := 'inspection_report_ready';
  elsif new.status = 'completed' and old.status is distinct from 'completed' then
    v_kind := 'inspection_completed';
  else
    return new;
  end if;
  insert into public.email_outbox (kind, recipient_id, customer_id, inspection_id, data)
  select v_kind, p.id, new.customer_id, new.id, jsonb_build_object(
      'number', new.number, 'product', new.product, 'factory_name', new.factory_name,
      'inspection_type', new.inspection_type, 'scheduled_date', new.scheduled_date,
      'rescheduled', v_kind = 'inspection_scheduled' and old.status = 'scheduled',
      'inspector_name', private.staff_display_name(new.inspector_id), 'result', new.result)
  from public.profiles p
  where p.customer_id = new.customer_id and p.role = 'customer' and p.active
    and private.email_wanted(p.id, v_kind);
  return new;
end;
$$;
revoke all on function private.email_on_inspection() from public;
create trigger inspections_email after update of status, scheduled_date on public.inspection_applications
  for each row execute function private.email_on_inspection();

-- How long a thread email waits for more messages (and for the customer to read them live in the
-- portal), and the least time between two emails about the same thread to the same person.
create or replace function private.email_thread_settle() returns interval language sql immutable set search_path = '' as $$ select interval '2 minutes' $$;
create or replace function private.email_thread_gap() returns interval language sql immutable set search_path = '' as $$ select interval '15 minutes' $$;
revoke all on function private.email_thread_settle(), private.email_thread_gap() from public;

-- A staff message: one waiting email per customer user and thread. If one is already waiting,
-- the message joins it (the email lists every unread message when it goes).
create or replace function private.email_on_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not new.from_staff then
    return new;
  end if;
  insert into public.email_outbox (kind, recipient_id, customer_id, inspection_id, data, next_attempt_at)
  select 'thread_message', p.id, new.customer_id, new.inspection_id, '{}'::jsonb,
    greatest(now() + private.email_thread_settle(), coalesce((
      select max(coalesce(o.sent_at, o.updated_at)) from public.email_outbox o
      where o.recipient_id = p.id and o.inspection_id = new.inspection_id and o.kind = 'thread_message'
        and o.status in ('sending', 'sent')), '-infinity') + private.email_thread_gap())
  from public.profiles p
  where p.customer_id = new.customer_id and p.role = 'customer' and p.active
    and private.email_wanted(p.id, 'thread_message')
  on conflict (recipient_id, inspection_id) where kind = 'thread_message' and status = 'pending' do nothing;
  return new;
end;
$$;
revoke all on function private.email_on_message() from public;
create trigger messages_email after insert on public.messages for each row execute function private.email_on_message();

-- ---------------------------------------------------------------------------------------------
-- Jobs (service_role only)
-- ---------------------------------------------------------------------------------------------

-- The daily digest: to each active staff member who may approve flows and wants it, the flows
-- submitted and waiting for approval that someone else submitted (segregation of duties: they
-- may not approve their own). Once per person and day (p_day), whatever the number of runs.
create or replace function public.jobs_email_queue_approval_digest(p_day date default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_day date := coalesce(p_day, (now() at time zone 'Asia/Seoul')::date);
  v_count int;
begin
  insert into public.email_outbox (kind, recipient_id, data, dedupe_key)
  select 'approval_digest', p.id, w.data, format('approval_digest:%s:%s', p.id, v_day)
  from public.profiles p
  cross join lateral (
    select jsonb_build_object('day', v_day, 'total', count(*), 'flows', coalesce((
      select jsonb_agg(jsonb_build_object('id', f.id, 'number', f.number, 'kind', f.kind, 'submitted_at', f.submitted_at,
               'submitted_by', private.staff_display_name(coalesce(f.submitted_by, f.created_by))) order by f.submitted_at, f.id)
      from (select * from public.flows f2
            where f2.status = 'submitted' and coalesce(f2.submitted_by, f2.created_by) is distinct from p.id
            order by f2.submitted_at, f2.id limit 20) f), '[]'::jsonb)) as data,
      count(*) as n
    from public.flows f
    where f.status = 'submitted' and coalesce(f.submitted_by, f.created_by) is distinct from p.id
  ) w
  where p.active and p.role = any (private.roles_for('flows:approve')) and w.n > 0
    and private.email_wanted(p.id, 'approval_digest')
  on conflict (dedupe_key) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('queued', v_count, 'day', v_day);
end;
$$;

-- Operations mail to a bare address (the on-call), queued by the server. A repeated dedupe key
-- queues nothing and answers the first row's id.
create or replace function public.email_enqueue(p_to text, p_locale text, p_data jsonb, p_dedupe_key text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if p_to is null or p_to !~ '^[^@\s]+@[^@\s]+$' or char_length(p_to) > 320 then
    perform private.fail_field('to', 'An email address');
  end if;
  if p_locale is null or p_locale not in ('ko', 'zh', 'en') then
    perform private.fail_field('locale', 'ko, zh or en');
  end if;
  if p_data is null or jsonb_typeof(p_data) <> 'object' then
    perform private.fail_field('data', 'An object');
  end if;
  insert into public.email_outbox (kind, to_address, locale, data, dedupe_key)
  values ('ops_alert', p_to, p_locale, p_data, p_dedupe_key)
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  if v_id is null then
    select o.id into v_id from public.email_outbox o where o.dedupe_key = p_dedupe_key;
    return jsonb_build_object('id', v_id, 'queued', false);
  end if;
  return jsonb_build_object('id', v_id, 'queued', true);
end;
$$;

-- Claims up to p_limit due emails for p_lease_seconds and returns what to send. A row no longer
-- wanted (recipient inactive or moved to another company, kind turned off, thread read
-- meanwhile) is marked skipped here and not returned.
create or replace function public.jobs_email_claim(p_limit int default 20, p_lease_seconds int default 300)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token uuid := gen_random_uuid();
  v_rows jsonb;
begin
  if p_limit is null or p_limit not between 1 and 500 then
    perform private.fail('bad_request', 'p_limit must be between 1 and 500');
  end if;
  with picked as (
    select o.id from public.email_outbox o
    where o.next_attempt_at <= now()
      and (o.status = 'pending' or (o.status = 'sending' and o.claimed_until < now()))
    order by o.next_attempt_at, o.id
    limit p_limit
    for update skip locked
  )
  update public.email_outbox o
  set status = 'sending', claim_token = v_token,
      claimed_until = now() + make_interval(secs => greatest(coalesce(p_lease_seconds, 300), 30)),
      attempts = o.attempts + 1
  from picked
  where o.id = picked.id;

  -- No longer wanted: skipped, with the reason.
  update public.email_outbox o
  set status = 'skipped', claim_token = null, claimed_until = null, skipped_reason = s.reason
  from (
    select o2.id, case
        when p.id is null or not p.active then 'recipient_inactive'
        when o2.customer_id is not null and (p.role <> 'customer' or p.customer_id is distinct from o2.customer_id) then 'recipient_moved'
        when not private.email_wanted(p.id, o2.kind) then 'preference_off'
        when o2.kind = 'thread_message' and not exists (
          select 1 from public.messages m
          where m.inspection_id = o2.inspection_id and m.customer_id = o2.customer_id and m.from_staff
            and m.read_by_customer_at is null) then 'read'
      end as reason
    from public.email_outbox o2
    left join public.profiles p on p.id = o2.recipient_id
    where o2.claim_token = v_token and o2.recipient_id is not null
  ) s
  where o.id = s.id and s.reason is not null;

  select coalesce(jsonb_agg(jsonb_build_object(
      'id', o.id, 'claim_token', o.claim_token, 'kind', o.kind, 'attempts', o.attempts,
      'to', coalesce(p.email, o.to_address), 'locale', coalesce(p.locale, o.locale, 'ko'),
      'recipient_name', p.display_name, 'inspection_id', o.inspection_id,
      'data', case when o.kind = 'thread_message' then o.data || jsonb_build_object(
          'number', i.number, 'product', i.product,
          'unread', (select count(*) from public.messages m
                     where m.inspection_id = o.inspection_id and m.customer_id = o.customer_id and m.from_staff and m.read_by_customer_at is null),
          'messages', coalesce((
            select jsonb_agg(jsonb_build_object('sender_name', private.staff_display_name(m.sender_id), 'body', left(m.body, 500),
                     'created_at', m.created_at) order by m.created_at, m.id)
            from (select * from public.messages m2
                  where m2.inspection_id = o.inspection_id and m2.customer_id = o.customer_id and m2.from_staff
                    and m2.read_by_customer_at is null
                  order by m2.created_at desc, m2.id desc limit 5) m), '[]'::jsonb))
        else o.data end
    ) order by o.next_attempt_at, o.id), '[]'::jsonb)
  into v_rows
  from public.email_outbox o
  left join public.profiles p on p.id = o.recipient_id
  left join public.inspection_applications i on i.id = o.inspection_id and i.customer_id = o.customer_id
  where o.claim_token = v_token and o.status = 'sending';
  return jsonb_build_object('data', v_rows);
end;
$$;

-- Ends one claim: sent (never sent again), or failed: back to pending after a backoff of
-- 2^(attempts-1) minutes capped at an hour, or 'failed' for good after p_max_attempts or a
-- permanent refusal (the server said the address does not exist). Only the holder of the claim
-- token may finish it: a deliverer whose lease ran out changes nothing.
create or replace function public.jobs_email_finish(
  p_id uuid, p_claim_token uuid, p_sent boolean, p_error text default null,
  p_permanent boolean default false, p_max_attempts int default 48)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.email_outbox;
begin
  if p_sent then
    update public.email_outbox set status = 'sent', sent_at = now(), claim_token = null, claimed_until = null, last_error = null
    where id = p_id and claim_token = p_claim_token and status = 'sending'
    returning * into v;
  else
    update public.email_outbox o set
      status = case when coalesce(p_permanent, false) or o.attempts >= coalesce(p_max_attempts, 48) then 'failed' else 'pending' end,
      next_attempt_at = now() + make_interval(secs => least(60 * power(2, least(greatest(o.attempts, 1) - 1, 20)), 3600)),
      claim_token = null, claimed_until = null, last_error = left(coalesce(p_error, 'unknown error'), 1000)
    where o.id = p_id and o.claim_token = p_claim_token and o.status = 'sending'
    returning * into v;
  end if;
  if v.id is null then
    return jsonb_build_object('updated', false);
  end if;
  return jsonb_build_object('updated', true, 'status', v.status, 'attempts', v.attempts, 'next_attempt_at', v.next_attempt_at);
end;
$$;

-- What the status page and the cron job report: counts by status and the oldest waiting email.
create or replace function public.jobs_email_outbox_status()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'pending', (select count(*) from public.email_outbox where status in ('pending', 'sending')),
    'failed', (select count(*) from public.email_outbox where status = 'failed'),
    'sent_24h', (select count(*) from public.email_outbox where status = 'sent' and sent_at > now() - interval '24 hours'),
    'oldest_pending_at', (select min(created_at) from public.email_outbox where status in ('pending', 'sending')),
    'last_error', (select last_error from public.email_outbox where last_error is not null order by updated_at desc limit 1))
$$;

revoke all on function
  public.jobs_email_queue_approval_digest(date),
  public.email_enqueue(text, text, jsonb, text),
  public.jobs_email_claim(int, int),
  public.jobs_email_finish(uuid, uuid, boolean, text, boolean, int),
  public.jobs_email_outbox_status()
from public, anon, authenticated;
grant execute on function
  public.jobs_email_queue_approval_digest(date),
  public.email_enqueue(text, text, jsonb, text),
  public.jobs_email_claim(int, int),
  public.jobs_email_finish(uuid, uuid, boolean, text, boolean, int),
  public.jobs_email_outbox_status()
to service_role;
