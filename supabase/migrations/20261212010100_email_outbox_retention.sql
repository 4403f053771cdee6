-- Email outbox retention (docs/operations.md#retention): emails that are done — sent, skipped or
-- failed for good — go 90 days after their last change, with the daily prune job.
--
-- Access intent: jobs_prune_email_outbox is the daily prune job's, service_role only, like the
-- other prune functions. jobs_email_queue_approval_digest keeps its grants (service_role only).
--
-- Why 90 days: the outbox is the only record of what was emailed to whom (addresses, inspection
-- numbers, message excerpts), so it should not be kept longer than it is useful. It is useful for
-- answering "did the customer get the email?" and for looking into a delivery problem, which
-- come up within days or weeks; a quarter covers a customer's query about the last inspection
-- cycle and a month-end review with margin. The audit trail (one year) already records the
-- events that queued the emails. Failed emails are kept as long: by 90 days no one will retry
-- them by hand, and the status page's "failed" count should not carry them forever.
--
-- Deduplicated emails: a unique dedupe_key is what makes an email once-only, so a row is deleted
-- only when its key can never be queued again; otherwise the deleted key would let the same
-- email go a second time. The keys in use:
--   * alert:<event id> (the on-call email, lib/ops/oncall-email.ts): an alert event's id comes
--     from a sequence and is never reused, and the only repeat of a key is a retried alert job
--     run minutes later. Deleted by age.
--   * approval_digest:<person>:<day> (jobs_email_queue_approval_digest): a day's digest may be
--     queued again for the same day. Deleted only once the day itself is more than 90 days back
--     (Asia/Seoul), and the queue function below now refuses such a day, so a deleted key cannot
--     come back.
--   * any other key (queueEmail takes any): kept, whatever its age, since nothing here knows
--     when it may recur. A new kind of key gets its rule here.
-- Emails still waiting or being sent (pending, sending) are never deleted, however old.

-- =============================================================================================
-- The retention period, in one place (the prune and the digest's refusal agree on it)
-- =============================================================================================

create or replace function private.email_retention()
returns interval
language sql
immutable
set search_path = ''
as $$
  select interval '90 days'
$$;

revoke all on function private.email_retention() from public, anon, authenticated;
grant execute on function private.email_retention() to service_role;

-- =============================================================================================
-- email_outbox: finished emails by their last change, for the prune
-- =============================================================================================

create index email_outbox_done_idx on public.email_outbox (updated_at) where status in ('sent', 'skipped', 'failed');

-- =============================================================================================
-- jobs_prune_email_outbox: finished emails older than the retention period
-- =============================================================================================

create or replace function public.jobs_prune_email_outbox()
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
  v_oldest_day date := ((now() at time zone 'Asia/Seoul')::date - private.email_retention())::date;
begin
  delete from public.email_outbox o
  where o.status in ('sent', 'skipped', 'failed')
    and o.updated_at < now() - private.email_retention()
    and (o.dedupe_key is null
         or (o.kind = 'ops_alert' and o.dedupe_key ~ '^alert:[0-9]+$')
         -- case: the date is read only from a key of that shape (and never errs on another)
         or case when o.kind = 'approval_digest' and o.dedupe_key ~ '^approval_digest:[0-9a-f-]{36}:[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                 then right(o.dedupe_key, 10)::date < v_oldest_day else false end);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

revoke all on function public.jobs_prune_email_outbox() from public, anon, authenticated;
grant execute on function public.jobs_prune_email_outbox() to service_role;

-- =============================================================================================
-- jobs_email_queue_approval_digest: a day older than the retention period is refused, since its
-- dedupe keys may already be pruned (otherwise unchanged)
-- =============================================================================================

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
  if v_day < (now() at time zone 'Asia/Seoul')::date - private.email_retention() then
    perform private.fail('bad_request', 'A digest day more than 90 days back cannot be queued');
  end if;
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

revoke all on function public.jobs_email_queue_approval_digest(date) from public, anon, authenticated;
grant execute on function public.jobs_email_queue_approval_digest(date) to service_role;
