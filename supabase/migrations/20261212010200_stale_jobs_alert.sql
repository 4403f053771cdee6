-- The alert rules learn one more figure (docs/operations.md#alerts): daily jobs that have not
-- succeeded for a day and a half. Each daily job prunes or sends something (the prune job keeps
-- ops_job_runs, email_outbox, idempotency keys and rate-limit windows bounded; the audit
-- retention the audit trail), so a daily job that stops — its cron removed, CRON_SECRET rotated
-- on one side only, the job failing every night — lets tables grow without limit, and nothing
-- else tells anyone: the status page shows it only to whoever looks.
--
-- Access intent: unchanged. ops_alert_figures executes as service_role only (the alert job).
--
-- Why 36 hours (the app passes the setting, ALERT_JOB_STALE_HOURS): a daily job that runs late
-- or fails once and succeeds the next night never fires; one missed night and half a day does.
-- The job names come from the app (the jobs of vercel.json that run daily), so a job that never
-- ran at all is judged too: from the oldest job run recorded (jobs have been running since),
-- and not at all on a database where no job has ever run.

drop function public.ops_alert_figures(timestamptz, int, int, int, int);

-- The figures the alert rules judge, at p_now (the job passes its clock, so tests can move it):
-- requests, 5xx and requests slower than 3 s in the last p_window_minutes; database connections
-- and size (sampled into ops_samples); the last good database backup; failed sign-ins in the
-- last p_signin_minutes; direct uploads still pending p_upload_minutes after they began; flows
-- submitted more than p_flow_wait_minutes ago and still waiting for approval; the daily jobs of
-- p_daily_jobs without a success in p_job_stale_minutes.
create or replace function public.ops_alert_figures(
  p_now timestamptz,
  p_window_minutes int default 5,
  p_signin_minutes int default 15,
  p_upload_minutes int default 180,
  p_flow_wait_minutes int default 1440,
  p_daily_jobs jsonb default '[]'::jsonb,
  p_job_stale_minutes int default 2160
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
  -- Since when jobs have been recorded here at all: a job with no success yet is judged from then,
  -- so a fresh installation is not stale before it has run a day and a half.
  v_first_run timestamptz := (select min(r.started_at) from public.ops_job_runs r where r.started_at <= p_now);
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
                      where status = 'submitted' and submitted_at < p_now - make_interval(mins => greatest(p_flow_wait_minutes, 1))),
    -- Each daily job named whose last successful run started more than p_job_stale_minutes ago
    -- (or that has had none since jobs were first recorded), with that last success (null: none).
    'stale_jobs', coalesce((
      select jsonb_agg(jsonb_build_object('job', j.job, 'last_ok_at', j.last_ok_at) order by j.job)
      from (
        select d.job, (select r.started_at from public.ops_job_runs r
                       where r.job = d.job and r.ok and r.started_at <= p_now
                       order by r.started_at desc limit 1) as last_ok_at
        from jsonb_array_elements_text(case when jsonb_typeof(p_daily_jobs) = 'array' then p_daily_jobs else '[]'::jsonb end) d (job)
      ) j
      where coalesce(j.last_ok_at, v_first_run) < p_now - make_interval(mins => greatest(p_job_stale_minutes, 1))
    ), '[]'::jsonb)
  );
end;
$$;

revoke all on function public.ops_alert_figures(timestamptz, int, int, int, int, jsonb, int) from public, anon, authenticated;
grant execute on function public.ops_alert_figures(timestamptz, int, int, int, int, jsonb, int) to service_role;
