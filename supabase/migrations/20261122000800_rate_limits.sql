-- Rate limits and security events: request counters kept in Postgres (so a limit holds across
-- every serverless instance at once), and failed sign-ins written to the audit log.
--
-- Access intent
--   rate_limits: nobody reads or writes it directly, not even a signed-in user. Only the server,
--     with the service role, counts hits through rate_limit_hit / rate_limit_refund. A function
--     open to anon or authenticated would let anyone fill someone else's bucket (for example lock
--     a victim's email out of sign-in), so none is.
--   Failed sign-ins: recorded by the server with the service role (login_failure_record); they
--     land in audit_log as security events, which only admins read. Role changes and
--     deactivations are already security events (private.audit_row on profiles).

-- ---------------------------------------------------------------------------------------------
-- rate_limits: one row per bucket, a fixed window
-- ---------------------------------------------------------------------------------------------
-- A bucket is a key the server chooses, such as `login:ip:203.0.113.7`, `login:email:<sha256>` or
-- `write:user:<uuid>`. A fixed window (the first hit opens it, `window_seconds` long) is one row
-- per bucket and one upsert per hit; its worst case, twice the limit across a window boundary,
-- is acceptable for brute-force and abuse protection.

create table public.rate_limits (
  bucket text primary key,
  hits int not null,
  window_start timestamptz not null,
  expires_at timestamptz not null,
  constraint rate_limits_bucket_length check (char_length(bucket) between 1 and 200),
  constraint rate_limits_hits_positive check (hits >= 0)
);
-- Pruning looks for expired rows.
create index rate_limits_expires_at_idx on public.rate_limits (expires_at);

alter table public.rate_limits enable row level security;
revoke all on public.rate_limits from anon, authenticated;
grant select, insert, update, delete on public.rate_limits to service_role;
-- No policy: with RLS on, the API roles could not see a row even if a grant slipped in.

-- ---------------------------------------------------------------------------------------------
-- rate_limit_hit: count one hit; answer whether it is allowed and when the window resets
-- ---------------------------------------------------------------------------------------------

create or replace function public.rate_limit_hit(p_bucket text, p_limit int, p_window_seconds int)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_hits int;
  v_expires timestamptz;
  v_now timestamptz := clock_timestamp();
begin
  if p_bucket is null or char_length(p_bucket) not between 1 and 200 then
    perform private.fail('bad_request', 'A rate-limit bucket is 1 to 200 characters');
  end if;
  if p_limit is null or p_limit < 1 or p_window_seconds is null or p_window_seconds not between 1 and 86400 then
    perform private.fail('bad_request', 'A rate limit needs a positive limit and a window of 1 s to 1 day');
  end if;

  -- The upsert locks the bucket's row, so concurrent hits on one bucket are counted one by one.
  insert into public.rate_limits as r (bucket, hits, window_start, expires_at)
  values (p_bucket, 1, v_now, v_now + make_interval(secs => p_window_seconds))
  on conflict (bucket) do update set
    hits = case when r.expires_at <= v_now then 1 else r.hits + 1 end,
    window_start = case when r.expires_at <= v_now then v_now else r.window_start end,
    expires_at = case when r.expires_at <= v_now then excluded.expires_at else r.expires_at end
  returning r.hits, r.expires_at into v_hits, v_expires;

  -- Cheap pruning: a few expired buckets per hit, never waiting on a row another hit holds.
  delete from public.rate_limits d
  where d.ctid in (
    select x.ctid from public.rate_limits x
    where x.expires_at < v_now
    limit 20
    for update skip locked
  );

  return jsonb_build_object(
    'allowed', v_hits <= p_limit,
    'hits', v_hits,
    'limit', p_limit,
    'remaining', greatest(p_limit - v_hits, 0),
    -- Whole seconds until the window resets (Retry-After), at least 1.
    'reset_in', greatest(ceil(extract(epoch from (v_expires - v_now)))::int, 1)
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- rate_limit_refund: give one hit back (a sign-in that succeeded is not held against anyone)
-- ---------------------------------------------------------------------------------------------

create or replace function public.rate_limit_refund(p_bucket text)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.rate_limits
  set hits = greatest(hits - 1, 0)
  where bucket = p_bucket and expires_at > clock_timestamp()
$$;

-- ---------------------------------------------------------------------------------------------
-- rate_limits_prune: every expired bucket at once (for a scheduled job; hits prune a few anyway)
-- ---------------------------------------------------------------------------------------------

create or replace function public.rate_limits_prune()
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.rate_limits where expires_at < clock_timestamp();
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Security events
-- ---------------------------------------------------------------------------------------------

-- An audit-log row that is a security event (kept longer than ordinary changes). Events that are
-- not row changes are recorded as an insert into a named stream, such as `login_failures`, so
-- the audit screens and their filters show them like any other row.
create or replace function private.record_security_event(p_stream text, p_row_id text, p_details jsonb, p_actor uuid default null)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event)
  values (p_actor, 'insert', p_stream, p_row_id, null, p_details, true)
$$;
revoke all on function private.record_security_event(text, text, jsonb, uuid) from public, anon, authenticated;
grant execute on function private.record_security_event(text, text, jsonb, uuid) to service_role;

-- A failed sign-in: the email tried (and the account, when one has it), the client's address and
-- why it failed. The password is never passed here.
create or replace function public.login_failure_record(p_email text, p_ip text default null, p_reason text default 'invalid_credentials')
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := left(lower(trim(p_email)), 254);
  v_user uuid;
begin
  if v_email is null or v_email = '' then
    perform private.fail('bad_request', 'An email is required');
  end if;
  if p_reason is null or p_reason not in ('invalid_credentials', 'account_disabled', 'rate_limited') then
    perform private.fail('bad_request', 'Unknown sign-in failure reason');
  end if;
  select p.id into v_user from public.profiles p where lower(p.email) = v_email;
  perform private.record_security_event(
    'login_failures',
    v_user::text,
    jsonb_build_object('email', v_email, 'user_id', v_user, 'ip', left(p_ip, 64), 'reason', p_reason)
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: the server's service role only
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.rate_limit_hit(text, int, int),
  public.rate_limit_refund(text),
  public.rate_limits_prune(),
  public.login_failure_record(text, text, text)
from public, anon, authenticated;

grant execute on function
  public.rate_limit_hit(text, int, int),
  public.rate_limit_refund(text),
  public.rate_limits_prune(),
  public.login_failure_record(text, text, text)
to service_role;
