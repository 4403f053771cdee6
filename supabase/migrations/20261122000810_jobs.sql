-- Scheduled jobs (Vercel Cron → /api/cron/*) and staff's in-app notifications: the morning
-- low-stock digest, audit-log retention and idempotency-key pruning.
--
-- Access intent
--   jobs_*: the server's scheduled jobs only (service_role). No user session, staff or not, may
--     run them: they deliver, delete and prune across every user's rows.
--   notification_reads: which staff member has read which notification (read state is per
--     person; notifications.read_at stays unused). Nobody touches it directly; the two
--     notifications_* functions below (security definer, staff only) read and write a caller's
--     own rows.

-- ---------------------------------------------------------------------------------------------
-- notifications: delivery bookkeeping for the digest
-- ---------------------------------------------------------------------------------------------
-- A digest run claims undelivered notifications for a few minutes (so two overlapping runs never
-- post the same notice twice), posts them, then marks them delivered or releases the claim. A run
-- that dies mid-way leaves a claim that simply expires: the notice goes out with the next run.

alter table public.notifications
  add column if not exists delivery_claimed_until timestamptz,
  add column if not exists delivery_attempts int not null default 0,
  add column if not exists last_delivery_error text;

-- ---------------------------------------------------------------------------------------------
-- notification_reads
-- ---------------------------------------------------------------------------------------------

create table public.notification_reads (
  notification_id uuid not null references public.notifications (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (user_id, notification_id)
);
create index notification_reads_notification_idx on public.notification_reads (notification_id);

alter table public.notification_reads enable row level security;
revoke all on public.notification_reads from anon, authenticated;
grant all on public.notification_reads to service_role;
-- No policies: only the security definer functions below read or write it.

-- ---------------------------------------------------------------------------------------------
-- In-app notifications for staff
-- ---------------------------------------------------------------------------------------------

-- A notification as the app shows it, with whether this user has read it and the item's stock now.
create or replace function private.notification_json(p_id uuid, p_user uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', n.id,
    'kind', n.kind,
    'item_id', n.item_id,
    'sku', i.sku,
    'name_ko', i.name_ko,
    'name_zh', i.name_zh,
    'name_en', i.name_en,
    'unit', i.unit,
    'reorder_point', i.reorder_point,
    'on_hand', coalesce(t.on_hand, 0),
    'payload', n.payload,
    'created_at', n.created_at,
    'read_at', r.read_at
  )
  from public.notifications n
  left join public.items i on i.id = n.item_id
  left join public.item_stock_totals t on t.item_id = n.item_id
  left join public.notification_reads r on r.notification_id = n.id and r.user_id = p_user
  where n.id = p_id
$$;
revoke all on function private.notification_json(uuid, uuid) from public;

-- The caller's notifications, newest first; p_unread: only those they have not read.
create or replace function public.notifications_list(
  p_unread boolean default false,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
begin
  -- begin_action sets a transaction setting, which a stable function may not; check inline.
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if v_role not in ('admin', 'manager', 'korean_team', 'chinese_staff') then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.notification_json(f.id, v_actor) order by f.created_at desc, f.id)
      from (
        select n.id, n.created_at
        from public.notifications n
        where not coalesce(p_unread, false)
           or not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
        order by n.created_at desc, n.id
        limit p_limit offset v_offset
      ) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.notifications n
      where not coalesce(p_unread, false)
         or not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    ),
    'unread', (
      select count(*) from public.notifications n
      where not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$$;

-- Marks notifications read for the caller: the ids given, or every unread one when p_ids is null.
-- Ids that do not exist are ignored (reading twice is not an error). Ids come as a JSON array
-- (what every transport passes for a list).
create or replace function public.notifications_mark_read(p_ids jsonb default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_marked int;
  v_ids uuid[];
begin
  if p_ids is not null then
    if jsonb_typeof(p_ids) <> 'array' or jsonb_array_length(p_ids) > 500 then
      perform private.fail_field('ids', 'A list of at most 500 ids');
    end if;
    v_ids := array(select jsonb_array_elements_text(p_ids)::uuid);
  end if;
  insert into public.notification_reads (notification_id, user_id)
  select n.id, v_actor from public.notifications n
  where v_ids is null or n.id = any (v_ids)
  on conflict (user_id, notification_id) do nothing;
  get diagnostics v_marked = row_count;
  return jsonb_build_object(
    'marked', v_marked,
    'unread', (
      select count(*) from public.notifications n
      where not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    )
  );
end;
$$;

revoke all on function public.notifications_list(boolean, int, int, uuid), public.notifications_mark_read(jsonb, uuid) from public, anon;
grant execute on function public.notifications_list(boolean, int, int, uuid), public.notifications_mark_read(jsonb, uuid) to authenticated, service_role;

insert into private.idempotent_functions (name) values ('notifications_mark_read') on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Low-stock digest (service_role only)
-- ---------------------------------------------------------------------------------------------

-- Claims up to p_limit undelivered notifications no other run holds, for p_lease_seconds.
create or replace function public.jobs_low_stock_claim(p_limit int default 200, p_lease_seconds int default 300)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb;
begin
  if p_limit is null or p_limit not between 1 and 1000 then
    perform private.fail('bad_request', 'p_limit must be between 1 and 1000');
  end if;
  with picked as (
    select n.id from public.notifications n
    where n.delivered_at is null
      and (n.delivery_claimed_until is null or n.delivery_claimed_until < now())
    order by n.created_at, n.id
    limit p_limit
    for update skip locked
  ), claimed as (
    update public.notifications n
    set delivery_claimed_until = now() + make_interval(secs => greatest(coalesce(p_lease_seconds, 300), 30)),
        delivery_attempts = n.delivery_attempts + 1
    from picked
    where n.id = picked.id
    returning n.id, n.created_at
  )
  select coalesce(jsonb_agg(private.notification_json(c.id, null) order by c.created_at, c.id), '[]'::jsonb)
  into v_rows
  from claimed c;
  return jsonb_build_object('data', v_rows);
end;
$$;

-- Ends a claim: delivered (never sent again) or released with the error (sent by the next run).
create or replace function public.jobs_low_stock_finish(p_ids jsonb, p_delivered boolean, p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  update public.notifications
  set delivered_at = case when p_delivered then now() end,
      delivery_claimed_until = null,
      last_delivery_error = case when p_delivered then null else left(p_error, 500) end
  where id in (select jsonb_array_elements_text(coalesce(p_ids, '[]'::jsonb))::uuid) and delivered_at is null;
  get diagnostics v_count = row_count;
  return jsonb_build_object('updated', v_count);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Retention (service_role only)
-- ---------------------------------------------------------------------------------------------

-- The audit trail is kept one year; security events (role changes, deactivations, failed
-- sign-ins) three years, as the ops manual's log policy says.
create or replace function public.jobs_audit_retention()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_regular int;
  v_security int;
begin
  delete from public.audit_log where not security_event and created_at < now() - interval '1 year';
  get diagnostics v_regular = row_count;
  delete from public.audit_log where security_event and created_at < now() - interval '3 years';
  get diagnostics v_security = row_count;
  return jsonb_build_object('deleted', v_regular + v_security, 'deleted_security', v_security);
end;
$$;

-- An Idempotency-Key protects a retry for 24 hours; after that the stored answer is dropped.
create or replace function public.jobs_prune_idempotency_keys()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.idempotency_keys where created_at < now() - interval '24 hours';
  get diagnostics v_count = row_count;
  return jsonb_build_object('deleted', v_count);
end;
$$;

revoke all on function
  public.jobs_low_stock_claim(int, int),
  public.jobs_low_stock_finish(jsonb, boolean, text),
  public.jobs_audit_retention(),
  public.jobs_prune_idempotency_keys()
from public, anon, authenticated;
grant execute on function
  public.jobs_low_stock_claim(int, int),
  public.jobs_low_stock_finish(jsonb, boolean, text),
  public.jobs_audit_retention(),
  public.jobs_prune_idempotency_keys()
to service_role;
