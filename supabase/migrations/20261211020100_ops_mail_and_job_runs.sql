-- Operations, continued (docs/operations.md): the email outbox on the status page, each job's
-- last run and last failure, and job runs kept 30 days.
--
-- Access intent: unchanged. ops_status executes as service_role only and re-checks that the
-- actor the app names may read the status page (audit:read: admins); jobs_prune_job_runs is the
-- daily prune job's, service_role only.
--
-- Why: the email job runs every minute and the alert job every 5 minutes. Their runs are
-- recorded like every job's, so the status page knows their last run and last failure; listing
-- each of them would push the daily jobs' runs off the page within hours, so the list of recent
-- runs shows theirs only when they failed, and a summary per job shows the rest. A year of runs
-- (the old retention, applied at each insert) would be over half a million rows of the email
-- job alone: 30 days, pruned by the daily idempotency-prune job, covers what the page reads.

-- =============================================================================================
-- ops_job_runs: indexes for the summary per job
-- =============================================================================================

-- Each job's latest run and its runs in the window.
create index ops_job_runs_job_idx on public.ops_job_runs (job, started_at desc);
-- Each job's latest failure, without walking back through a month of successes.
create index ops_job_runs_failed_idx on public.ops_job_runs (job, started_at desc) where not ok;
-- The list of recent runs (ops_status 'jobs', the same predicate): the daily jobs' last 30 runs
-- lie behind a week of the frequent jobs' successes.
create index ops_job_runs_listed_idx on public.ops_job_runs (started_at desc, id desc)
  where not (ok and job in ('email', 'alerts'));

-- =============================================================================================
-- email_outbox: "sent in the last 24 hours" without reading every email ever sent
-- =============================================================================================

create index email_outbox_sent_idx on public.email_outbox (sent_at) where status = 'sent';

-- =============================================================================================
-- ops_job_run_record: records a run; the retention moves to the daily prune job
-- =============================================================================================

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
  -- Old runs go with the daily prune (jobs_prune_job_runs), not at every insert: the email job
  -- inserts every minute.
  return v_id;
end;
$$;

-- =============================================================================================
-- jobs_prune_job_runs: job runs are kept 30 days
-- =============================================================================================

create or replace function public.jobs_prune_job_runs()
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.ops_job_runs where started_at < now() - interval '30 days';
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- =============================================================================================
-- ops_status: everything /admin/status shows, for an admin; now with the outbox and each job
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
  perform private.begin_action_for(p_actor, 'audit:read');
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
    -- The latest runs; those of the jobs that run every minute or every 5 minutes (vercel.json)
    -- only when they failed: their successes are summed up per job below.
    'jobs', coalesce((
      select jsonb_agg(to_jsonb(j) order by j.started_at desc, j.id desc)
      from (select * from public.ops_job_runs r
            where not (r.ok and r.job in ('email', 'alerts'))
            order by r.started_at desc, r.id desc limit 30) j
    ), '[]'::jsonb),
    -- Per job that ran in the last 30 days: its last run, its last failure, its runs and
    -- failures since v_since. The job names are read by skipping through the index (a few names
    -- among tens of thousands of runs).
    'job_summary', coalesce((
      with recursive names (job) as (
        (select r.job from public.ops_job_runs r order by r.job limit 1)
        union all
        select (select r.job from public.ops_job_runs r where r.job > n.job order by r.job limit 1)
        from names n where n.job is not null
      )
      select jsonb_agg(jsonb_build_object(
        'job', n.job,
        'last_run', (select jsonb_build_object('started_at', r.started_at, 'finished_at', r.finished_at, 'ok', r.ok)
                     from public.ops_job_runs r where r.job = n.job order by r.started_at desc, r.id desc limit 1),
        'last_failure', (select jsonb_build_object('started_at', r.started_at, 'error', r.error)
                         from public.ops_job_runs r where r.job = n.job and not r.ok order by r.started_at desc, r.id desc limit 1),
        'runs', (select count(*) from public.ops_job_runs r where r.job = n.job and r.started_at >= v_since),
        'failures', (select count(*) from public.ops_job_runs r where r.job = n.job and not r.ok and r.started_at >= v_since)
      ) order by n.job)
      from names n where n.job is not null
    ), '[]'::jsonb),
    -- The outbox: waiting (pending or being sent), failed for good, sent since v_since, and
    -- when the oldest waiting email was queued (a stuck queue). Counts only: no address, no text.
    'mail', jsonb_build_object(
      'pending', (select count(*) from public.email_outbox where status in ('pending', 'sending')),
      'failed', (select count(*) from public.email_outbox where status = 'failed'),
      'sent', (select count(*) from public.email_outbox where status = 'sent' and sent_at >= v_since),
      'oldest_pending_at', (select min(created_at) from public.email_outbox where status in ('pending', 'sending'))
    ),
    'maintenance', public.ops_maintenance_state()
  );
end;
$$;

-- =============================================================================================
-- Grants: the server's service role only
-- =============================================================================================

revoke all on function
  public.ops_job_run_record(text, timestamptz, timestamptz, boolean, jsonb, text),
  public.jobs_prune_job_runs(),
  public.ops_status(timestamptz, uuid)
from public, anon, authenticated;
grant execute on function
  public.ops_job_run_record(text, timestamptz, timestamptz, boolean, jsonb, text),
  public.jobs_prune_job_runs(),
  public.ops_status(timestamptz, uuid)
to service_role;
