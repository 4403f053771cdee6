-- Operations (docs/operations.md): request metrics per minute, the alert rules' state and
-- history, scheduled job runs, backups, figures sampled by the alert job, and maintenance mode.
--
-- Access intent
--   Every table here is read by admins only (the /admin/status page reads through
--   ops_status, which checks the admin again). Nobody writes them with a user's session: the
--   server writes through the service_role-only functions below, which trust the checks the app
--   made (the route wrapper's measurements, the cron secret, the admin check of the page).
--   ops_maintenance is written only by ops_maintenance_set (admin re-checked inside), and every
--   change of it lands in the audit log through the audit trigger.

-- =============================================================================================
-- request_metrics: one row per minute and route group
-- =============================================================================================
-- The route wrapper counts requests in memory and flushes them after the response (one upsert
-- per minute and group, batched), so a request never waits on this table. Durations go into a
-- fixed histogram (ops_histogram_bounds); "p95 above 3 s" is then exact: more than 5 % of the
-- requests are in the buckets above 3000 ms.

create or replace function private.ops_histogram_bounds()
returns int[]
language sql
immutable
set search_path = ''
as $$
  -- Upper bounds in ms of the first nine buckets; the tenth holds everything slower.
  select array[50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000]
$$;
revoke all on function private.ops_histogram_bounds() from public;

create table public.request_metrics (
  minute timestamptz not null,
  route_group text not null,
  requests int not null default 0,
  errors_4xx int not null default 0,
  errors_5xx int not null default 0,
  duration_ms_sum bigint not null default 0,
  histogram int[] not null default array[0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (minute, route_group),
  constraint request_metrics_minute check (date_trunc('minute', minute) = minute),
  constraint request_metrics_group check (char_length(route_group) between 1 and 64),
  constraint request_metrics_histogram check (cardinality(histogram) = 10)
);

alter table public.request_metrics enable row level security;
revoke all on public.request_metrics from anon, authenticated;
grant select on public.request_metrics to authenticated;
grant all on public.request_metrics to service_role;

create policy "admins read request metrics"
  on public.request_metrics for select to authenticated
  using ((select private.has_role('admin')));

-- p_rows: [{minute, route_group, requests, errors_4xx, errors_5xx, duration_ms_sum, histogram}]
-- (at most 500). Rows for the same minute and group add up.
create or replace function public.ops_metrics_record(p_rows jsonb)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
  v_row jsonb;
begin
  if jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) > 500 then
    perform private.fail('bad_request', 'A list of at most 500 metric rows');
  end if;
  -- One upsert per row (the server sends one per minute and group; a repeated key adds up too).
  v_count := 0;
  for v_row in select r from jsonb_array_elements(p_rows) r loop
    insert into public.request_metrics as m (minute, route_group, requests, errors_4xx, errors_5xx, duration_ms_sum, histogram)
    values (
      date_trunc('minute', (v_row ->> 'minute')::timestamptz),
      left(v_row ->> 'route_group', 64),
      greatest((v_row ->> 'requests')::int, 0),
      greatest(coalesce((v_row ->> 'errors_4xx')::int, 0), 0),
      greatest(coalesce((v_row ->> 'errors_5xx')::int, 0), 0),
      greatest(coalesce((v_row ->> 'duration_ms_sum')::bigint, 0), 0),
      array(select greatest(h::int, 0) from jsonb_array_elements_text(v_row -> 'histogram') h)
    )
    on conflict (minute, route_group) do update set
      requests = m.requests + excluded.requests,
      errors_4xx = m.errors_4xx + excluded.errors_4xx,
      errors_5xx = m.errors_5xx + excluded.errors_5xx,
      duration_ms_sum = m.duration_ms_sum + excluded.duration_ms_sum,
      histogram = array(select a + b from unnest(m.histogram, excluded.histogram) as u (a, b)),
      updated_at = now();
    v_count := v_count + 1;
  end loop;
  -- Kept 14 days: the status page shows one, the alert rules read five minutes.
  delete from public.request_metrics where minute < now() - interval '14 days';
  return v_count;
end;
$$;

-- =============================================================================================
-- ops_alerts (state per rule) and ops_alert_events (history)
-- =============================================================================================

create table public.ops_alerts (
  rule text primary key,
  status text not null default 'ok',
  value numeric,
  threshold numeric,
  summary text,
  fired_at timestamptz,
  recovered_at timestamptz,
  last_notified_at timestamptz,
  checked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ops_alerts_status check (status in ('ok', 'firing')),
  constraint ops_alerts_rule check (rule ~ '^[a-z0-9_]{1,40}$')
);

alter table public.ops_alerts enable row level security;
revoke all on public.ops_alerts from anon, authenticated;
grant select on public.ops_alerts to authenticated;
grant all on public.ops_alerts to service_role;

create policy "admins read alert states"
  on public.ops_alerts for select to authenticated
  using ((select private.has_role('admin')));

create table public.ops_alert_events (
  id bigint generated always as identity primary key,
  rule text not null,
  kind text not null,
  value numeric,
  threshold numeric,
  summary text,
  notified boolean,
  notify_error text,
  created_at timestamptz not null,
  constraint ops_alert_events_kind check (kind in ('fired', 'reminder', 'recovered'))
);
create index ops_alert_events_created_idx on public.ops_alert_events (created_at desc);

alter table public.ops_alert_events enable row level security;
revoke all on public.ops_alert_events from anon, authenticated;
revoke all on sequence public.ops_alert_events_id_seq from anon, authenticated;
grant select on public.ops_alert_events to authenticated;
grant all on public.ops_alert_events to service_role;

create policy "admins read alert history"
  on public.ops_alert_events for select to authenticated
  using ((select private.has_role('admin')));

-- One evaluation of one rule at p_now. Decides, under the rule's row lock (overlapping runs
-- cannot both notify), whether to tell anyone:
--   ok → firing: 'fired'; firing and still firing: 'reminder' once the cooldown has passed since
--   the last message (or the last message failed), else nothing; firing → ok: 'recovered'.
-- Returns {action: 'fired'|'reminder'|'recovered'|null, event_id}.
create or replace function public.ops_alert_apply(
  p_rule text,
  p_firing boolean,
  p_value numeric,
  p_threshold numeric,
  p_summary text,
  p_now timestamptz,
  p_cooldown_minutes int
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_state public.ops_alerts;
  v_action text;
  v_event bigint;
begin
  if p_rule is null or p_rule !~ '^[a-z0-9_]{1,40}$' or p_firing is null or p_now is null then
    perform private.fail('bad_request', 'A rule name, whether it fires, and the time are required');
  end if;
  insert into public.ops_alerts (rule) values (p_rule) on conflict (rule) do nothing;
  select * into v_state from public.ops_alerts where rule = p_rule for update;

  if p_firing and v_state.status = 'ok' then
    v_action := 'fired';
  elsif p_firing and (v_state.last_notified_at is null
                      or v_state.last_notified_at <= p_now - make_interval(mins => greatest(coalesce(p_cooldown_minutes, 60), 1))) then
    v_action := 'reminder';
  elsif not p_firing and v_state.status = 'firing' then
    v_action := 'recovered';
  end if;

  update public.ops_alerts set
    status = case when p_firing then 'firing' else 'ok' end,
    value = p_value,
    threshold = p_threshold,
    summary = left(p_summary, 500),
    fired_at = case when v_action = 'fired' then p_now else fired_at end,
    recovered_at = case when v_action = 'recovered' then p_now else recovered_at end,
    last_notified_at = case when v_action in ('fired', 'reminder') then p_now
                            when v_action = 'recovered' then null else last_notified_at end,
    checked_at = p_now,
    updated_at = now()
  where rule = p_rule;

  if v_action is not null then
    insert into public.ops_alert_events (rule, kind, value, threshold, summary, created_at)
    values (p_rule, v_action, p_value, p_threshold, left(p_summary, 500), p_now)
    returning id into v_event;
  end if;
  return jsonb_build_object('action', v_action, 'event_id', v_event);
end;
$$;

-- Whether the message of an event reached Slack. When it failed, the rule's last message is
-- forgotten, so the next run sends a reminder instead of staying quiet for the cooldown.
create or replace function public.ops_alert_delivered(p_event_id bigint, p_ok boolean, p_error text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rule text;
  v_kind text;
begin
  update public.ops_alert_events set notified = p_ok, notify_error = left(p_error, 500)
  where id = p_event_id
  returning rule, kind into v_rule, v_kind;
  -- null: nowhere to send it (Slack not configured); the cooldown applies as if it had been sent.
  if p_ok is false and v_kind in ('fired', 'reminder') then
    update public.ops_alerts set last_notified_at = null where rule = v_rule and status = 'firing';
  end if;
end;
$$;

-- =============================================================================================
-- ops_job_runs: every run of a scheduled job, with its outcome
-- =============================================================================================

create table public.ops_job_runs (
  id bigint generated always as identity primary key,
  job text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  ok boolean not null,
  details jsonb,
  error text,
  constraint ops_job_runs_job check (job ~ '^[a-z_-]{1,40}$')
);
create index ops_job_runs_started_idx on public.ops_job_runs (started_at desc);

alter table public.ops_job_runs enable row level security;
revoke all on public.ops_job_runs from anon, authenticated;
revoke all on sequence public.ops_job_runs_id_seq from anon, authenticated;
grant select on public.ops_job_runs to authenticated;
grant all on public.ops_job_runs to service_role;

create policy "admins read job runs"
  on public.ops_job_runs for select to authenticated
  using ((select private.has_role('admin')));

create or replace function public.ops_job_run_record(
  p_job text,
  p_started_at timestamptz,
  p_finished_at timestamptz,
  p_ok boolean,
  p_details jsonb default null,
  p_error text default null
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id bigint;
begin
  if p_job is null or p_job !~ '^[a-z_-]{1,40}$' or p_started_at is null or p_ok is null then
    perform private.fail('bad_request', 'A job name, its start and its outcome are required');
  end if;
  insert into public.ops_job_runs (job, started_at, finished_at, ok, details, error)
  values (p_job, p_started_at, coalesce(p_finished_at, now()), p_ok, p_details, left(p_error, 1000))
  returning id into v_id;
  -- A year of runs (a few hundred a day at most).
  delete from public.ops_job_runs where started_at < now() - interval '1 year';
  return v_id;
end;
$$;

-- =============================================================================================
-- ops_backups: backups the app's own tools made (npm run db:backup, npm run files:backup)
-- =============================================================================================
-- Supabase's own daily backups and PITR are not visible from the database; where they are the
-- production backups, a scheduled `npm run db:backup` (docs/operations.md) is what this records.

create table public.ops_backups (
  id bigint generated always as identity primary key,
  kind text not null,
  mode text not null,
  target text not null,
  ok boolean not null,
  rows_copied bigint,
  error text,
  finished_at timestamptz not null default now(),
  constraint ops_backups_kind check (kind in ('database', 'files')),
  constraint ops_backups_target_length check (char_length(target) between 1 and 500)
);
create index ops_backups_finished_idx on public.ops_backups (kind, finished_at desc);

alter table public.ops_backups enable row level security;
revoke all on public.ops_backups from anon, authenticated;
revoke all on sequence public.ops_backups_id_seq from anon, authenticated;
grant select on public.ops_backups to authenticated;
grant all on public.ops_backups to service_role;

create policy "admins read backups"
  on public.ops_backups for select to authenticated
  using ((select private.has_role('admin')));

create or replace function public.ops_backup_record(
  p_kind text,
  p_mode text,
  p_target text,
  p_ok boolean,
  p_rows bigint default null,
  p_error text default null
)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into public.ops_backups (kind, mode, target, ok, rows_copied, error)
  values (p_kind, left(p_mode, 40), left(p_target, 500), p_ok, p_rows, left(p_error, 1000))
  returning id
$$;

-- =============================================================================================
-- ops_samples: the database's figures at each run of the alert job (for the status page)
-- =============================================================================================

create table public.ops_samples (
  sampled_at timestamptz primary key,
  connections int not null,
  max_connections int not null,
  database_bytes bigint not null
);

alter table public.ops_samples enable row level security;
revoke all on public.ops_samples from anon, authenticated;
grant select on public.ops_samples to authenticated;
grant all on public.ops_samples to service_role;

create policy "admins read samples"
  on public.ops_samples for select to authenticated
  using ((select private.has_role('admin')));

-- The figures the alert rules judge, at p_now (the job passes its clock, so tests can move it):
-- requests, 5xx and requests slower than 3 s in the last p_window_minutes; database connections
-- and size (sampled into ops_samples); the last good database backup; failed sign-ins in the
-- last p_signin_minutes; direct uploads still pending p_upload_minutes after they began; flows
-- submitted more than p_flow_wait_minutes ago and still waiting for approval.
create or replace function public.ops_alert_figures(
  p_now timestamptz,
  p_window_minutes int default 5,
  p_signin_minutes int default 15,
  p_upload_minutes int default 180,
  p_flow_wait_minutes int default 1440
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from timestamptz := date_trunc('minute', p_now) - make_interval(mins => greatest(p_window_minutes, 1));
  v_to timestamptz := date_trunc('minute', p_now);
  v_requests bigint;
  v_5xx bigint;
  v_slow bigint;
  v_connections int := (select count(*)::int from pg_catalog.pg_stat_activity where backend_type = 'client backend');
  v_max int := current_setting('max_connections')::int;
  v_bytes bigint := pg_catalog.pg_database_size(current_database());
begin
  if p_now is null then
    perform private.fail('bad_request', 'The time is required');
  end if;
  -- The minute in progress is left out: it is still being counted.
  select coalesce(sum(requests), 0), coalesce(sum(errors_5xx), 0),
         coalesce(sum(histogram[8] + histogram[9] + histogram[10]), 0)
    into v_requests, v_5xx, v_slow
  from public.request_metrics where minute >= v_from and minute < v_to;

  insert into public.ops_samples (sampled_at, connections, max_connections, database_bytes)
  values (p_now, v_connections, v_max, v_bytes)
  on conflict (sampled_at) do nothing;
  delete from public.ops_samples where sampled_at < p_now - interval '14 days';

  return jsonb_build_object(
    'requests', v_requests,
    'errors_5xx', v_5xx,
    'slow_requests', v_slow,
    'connections', v_connections,
    'max_connections', v_max,
    'database_bytes', v_bytes,
    'last_backup_at', (select max(finished_at) from public.ops_backups where kind = 'database' and ok and finished_at <= p_now),
    'failed_sign_ins', (select count(*) from public.audit_log
                        where table_name = 'login_failures' and created_at > p_now - make_interval(mins => greatest(p_signin_minutes, 1))
                          and created_at <= p_now),
    'stale_uploads', (select count(*) from public.attachment_uploads
                      where status = 'pending' and created_at < p_now - make_interval(mins => greatest(p_upload_minutes, 1))),
    'waiting_flows', (select count(*) from public.flows
                      where status = 'submitted' and submitted_at < p_now - make_interval(mins => greatest(p_flow_wait_minutes, 1)))
  );
end;
$$;

-- =============================================================================================
-- Maintenance mode
-- =============================================================================================

create table public.ops_maintenance (
  id boolean primary key default true,
  active boolean not null default false,
  message text,
  ends_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references public.profiles (id) on delete set null,
  constraint ops_maintenance_one_row check (id),
  constraint ops_maintenance_message_length check (char_length(message) <= 500)
);
insert into public.ops_maintenance (id) values (true);

alter table public.ops_maintenance enable row level security;
revoke all on public.ops_maintenance from anon, authenticated;
grant select on public.ops_maintenance to authenticated;
grant all on public.ops_maintenance to service_role;

create policy "admins read maintenance mode"
  on public.ops_maintenance for select to authenticated
  using ((select private.has_role('admin')));

create trigger ops_maintenance_audit after update on public.ops_maintenance
  for each row execute function private.audit_row();

-- What every request's check reads (the server caches it for a few seconds).
create or replace function public.ops_maintenance_state()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('active', m.active, 'message', m.message, 'ends_at', m.ends_at, 'updated_at', m.updated_at)
  from public.ops_maintenance m where m.id
$$;

-- Switches maintenance mode on or off (admins; the change is audited with the admin as actor).
create or replace function public.ops_maintenance_set(
  p_active boolean,
  p_message text default null,
  p_ends_at timestamptz default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin');
begin
  if p_active is null then
    perform private.fail_field('active', 'Required');
  end if;
  if char_length(p_message) > 500 then
    perform private.fail_field('message', 'At most 500 characters');
  end if;
  update public.ops_maintenance set
    active = p_active,
    message = case when p_active then nullif(trim(p_message), '') end,
    ends_at = case when p_active then p_ends_at end,
    updated_by = v_actor,
    updated_at = now()
  where id;
  return public.ops_maintenance_state();
end;
$$;

-- =============================================================================================
-- The status page: everything /admin/status shows, for an admin
-- =============================================================================================

create or replace function public.ops_status(p_since timestamptz, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_since timestamptz := coalesce(p_since, now() - interval '24 hours');
begin
  perform private.begin_action(p_actor, 'admin');
  return jsonb_build_object(
    -- Per hour: requests, 5xx, and the histogram (the page estimates p95 from it).
    'traffic', coalesce((
      with buckets as (
        select date_trunc('hour', m.minute) as hour, x.i, sum(x.v)::int as v
        from public.request_metrics m, unnest(m.histogram) with ordinality x (v, i)
        where m.minute >= v_since
        group by 1, 2
      ), totals as (
        select date_trunc('hour', minute) as hour, sum(requests)::bigint as requests, sum(errors_5xx)::bigint as errors_5xx
        from public.request_metrics where minute >= v_since
        group by 1
      )
      select jsonb_agg(jsonb_build_object('hour', t.hour, 'requests', t.requests, 'errors_5xx', t.errors_5xx,
                                          'histogram', (select jsonb_agg(b.v order by b.i) from buckets b where b.hour = t.hour))
                       order by t.hour)
      from totals t
    ), '[]'::jsonb),
    'samples', coalesce((
      select jsonb_agg(jsonb_build_object('at', s.sampled_at, 'connections', s.connections, 'max_connections', s.max_connections,
                                          'database_bytes', s.database_bytes) order by s.sampled_at)
      from public.ops_samples s where s.sampled_at >= v_since
    ), '[]'::jsonb),
    'alerts', coalesce((
      select jsonb_agg(to_jsonb(a) - 'created_at' - 'updated_at' order by a.rule) from public.ops_alerts a
    ), '[]'::jsonb),
    'history', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.created_at desc, e.id desc)
      from (select * from public.ops_alert_events order by created_at desc, id desc limit 50) e
    ), '[]'::jsonb),
    'backups', coalesce((
      select jsonb_agg(to_jsonb(b) order by b.finished_at desc)
      from (select * from public.ops_backups order by finished_at desc limit 10) b
    ), '[]'::jsonb),
    'last_backup', (select to_jsonb(b) from public.ops_backups b where b.kind = 'database' and b.ok order by b.finished_at desc limit 1),
    'jobs', coalesce((
      select jsonb_agg(to_jsonb(j) order by j.started_at desc, j.id desc)
      from (select * from public.ops_job_runs order by started_at desc, id desc limit 30) j
    ), '[]'::jsonb),
    'maintenance', public.ops_maintenance_state()
  );
end;
$$;

-- =============================================================================================
-- Grants: the server's service role only
-- =============================================================================================

revoke all on function
  public.ops_metrics_record(jsonb),
  public.ops_alert_apply(text, boolean, numeric, numeric, text, timestamptz, int),
  public.ops_alert_delivered(bigint, boolean, text),
  public.ops_job_run_record(text, timestamptz, timestamptz, boolean, jsonb, text),
  public.ops_backup_record(text, text, text, boolean, bigint, text),
  public.ops_alert_figures(timestamptz, int, int, int, int),
  public.ops_maintenance_state(),
  public.ops_maintenance_set(boolean, text, timestamptz, uuid),
  public.ops_status(timestamptz, uuid)
from public, anon, authenticated;

grant execute on function
  public.ops_metrics_record(jsonb),
  public.ops_alert_apply(text, boolean, numeric, numeric, text, timestamptz, int),
  public.ops_alert_delivered(bigint, boolean, text),
  public.ops_job_run_record(text, timestamptz, timestamptz, boolean, jsonb, text),
  public.ops_backup_record(text, text, text, boolean, bigint, text),
  public.ops_alert_figures(timestamptz, int, int, int, int),
  public.ops_maintenance_state(),
  public.ops_maintenance_set(boolean, text, timestamptz, uuid),
  public.ops_status(timestamptz, uuid)
to service_role;
