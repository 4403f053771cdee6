-- Read rate limits (issue 12, item 7): reads are counted per user and per client address, in the
-- same transaction that loads the caller's profile, as writes already were. An export weighs more
-- than one read (a cost). Writes go through the same function.
--
-- Access intent
--   me_counting: the API calls it as the signed-in user on every authenticated request. It is on
--     the user's direct surface (/rest/v1/rpc/me_counting), so it enforces its own bounds:
--       - the user's bucket is `<kind>:user:<auth.uid()>`, never the caller's choice, so a direct
--         caller spends only their own budget;
--       - the per-address bucket (`read:ip:<address>`) needs an address the caller names. A direct
--         caller could name someone else's address, so what one caller may add to address buckets
--         is bounded: an address is counted only while the caller's own bucket holds at most
--         1000 hits in its window, and the window is at least 60 s (so at most 1000 a minute per
--         account), and an address bucket's window is always 60 s (a direct caller cannot open a
--         long window on someone else's address). With the default 3000 reads a minute per
--         address, no single account can exhaust an address (docs/security.md).
--       - the profile comes from public.me(), so whatever me() checks (the session) holds here too.
--   private.rate_limit_count: rate_limit_hit with a cost; reachable only through the functions
--     below (private schema, execute revoked from the API roles).

-- ---------------------------------------------------------------------------------------------
-- private.rate_limit_count: count `cost` hits in a bucket (fixed window, as rate_limit_hit)
-- ---------------------------------------------------------------------------------------------

create or replace function private.rate_limit_count(p_bucket text, p_limit int, p_window_seconds int, p_cost int)
returns jsonb
language plpgsql
volatile
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
  if p_cost is null or p_cost not between 1 and 100 then
    perform private.fail('bad_request', 'A rate-limit cost is 1 to 100');
  end if;

  -- The upsert locks the bucket's row, so concurrent hits on one bucket are counted one by one.
  insert into public.rate_limits as r (bucket, hits, window_start, expires_at)
  values (p_bucket, p_cost, v_now, v_now + make_interval(secs => p_window_seconds))
  on conflict (bucket) do update set
    hits = case when r.expires_at <= v_now then excluded.hits else r.hits + excluded.hits end,
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
revoke all on function private.rate_limit_count(text, int, int, int) from public, anon, authenticated;
grant execute on function private.rate_limit_count(text, int, int, int) to service_role;

-- rate_limit_hit keeps its contract (one hit, service role only) and now shares the counting.
create or replace function public.rate_limit_hit(p_bucket text, p_limit int, p_window_seconds int)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
  select private.rate_limit_count(p_bucket, p_limit, p_window_seconds, 1)
$$;
revoke all on function public.rate_limit_hit(text, int, int) from public, anon, authenticated;
grant execute on function public.rate_limit_hit(text, int, int) to service_role;

-- ---------------------------------------------------------------------------------------------
-- me_counting: the caller's profile, and this request counted (reads: per user and per address)
-- ---------------------------------------------------------------------------------------------

create or replace function public.me_counting(
  p_kind text,
  p_limit int,
  p_window_seconds int default 60,
  p_cost int default 1,
  p_address text default null,
  p_address_limit int default 0
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  -- What one caller may add to address buckets in a window (see the access intent above).
  c_address_share constant int := 1000;
  c_address_window constant int := 60;
  v_uid uuid := (select auth.uid());
  v_profile jsonb;
  v_rate jsonb;
  v_address_rate jsonb;
begin
  if p_kind is null or p_kind not in ('read', 'write') then
    perform private.fail('bad_request', 'A request is counted as a read or a write');
  end if;
  if p_limit is null or p_limit not between 1 and 100000 then
    perform private.fail('bad_request', 'A request limit is 1 to 100000');
  end if;
  if p_window_seconds is null or p_window_seconds not between 60 and 3600 then
    perform private.fail('bad_request', 'A request window is 60 s to 1 hour');
  end if;
  if p_cost is null or p_cost not between 1 and 100 then
    perform private.fail('bad_request', 'A request costs 1 to 100');
  end if;
  if p_address is not null and (p_kind <> 'read' or char_length(p_address) not between 2 and 64 or p_address !~ '^[0-9A-Fa-f:.]+$') then
    perform private.fail('bad_request', 'A client address is an IP address, for reads only');
  end if;
  if p_address_limit is null or p_address_limit not between 0 and 1000000 then
    perform private.fail('bad_request', 'An address limit is 0 to 1000000');
  end if;

  -- The counters are the only thing this transaction writes, and losing one count in a crash is
  -- harmless: its commit need not wait for the WAL flush (this transaction only).
  perform set_config('synchronous_commit', 'off', true);
  -- Through me(), so whatever it checks about the caller's session applies here as well.
  v_profile := public.me();
  -- Nobody to count for: the request is treated as signed out and does nothing.
  if v_uid is null or v_profile is null or not coalesce((v_profile ->> 'active')::boolean, false) then
    return jsonb_build_object('profile', v_profile, 'rate', null, 'address_rate', null);
  end if;

  v_rate := private.rate_limit_count(p_kind || ':user:' || v_uid::text, p_limit, p_window_seconds, p_cost);
  if p_address is not null and p_address_limit > 0
     and (v_rate ->> 'allowed')::boolean and (v_rate ->> 'hits')::int <= c_address_share then
    v_address_rate := private.rate_limit_count('read:ip:' || lower(p_address), p_address_limit, c_address_window, p_cost);
  end if;
  return jsonb_build_object('profile', v_profile, 'rate', v_rate, 'address_rate', v_address_rate);
end;
$$;
revoke all on function public.me_counting(text, int, int, int, text, int) from public, anon, service_role;
grant execute on function public.me_counting(text, int, int, int, text, int) to authenticated;
