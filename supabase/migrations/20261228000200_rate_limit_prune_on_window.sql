-- A rate-limit hit prunes expired buckets only when it opens a window.
--
-- Every hit (public.me_counting, once or twice per API request, and public.rate_limit_hit) ran
-- the prune's statement after its upsert: a scan of the expiry index for up to 20 expired
-- buckets, locked and deleted. Almost always it found none, and it cost as much as the upsert
-- itself (about 38 µs of a bare transaction's 85 at one client, pgbench; docs/performance.md).
-- Buckets become expired only when their windows end, so the hit that opens a window (a new
-- bucket, or one whose window had ended) now prunes, still up to 20 and never waiting on a row
-- another hit holds, and the hits inside a window do not. Each new bucket still removes up to 20
-- expired ones, so expired rows cannot pile up faster than they are pruned, and
-- public.rate_limits_prune (the retention job) removes the rest as before.

create or replace function private.rate_limit_count(p_bucket text, p_limit integer, p_window_seconds integer, p_cost integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_hits int;
  v_expires timestamptz;
  v_start timestamptz;
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
  returning r.hits, r.expires_at, r.window_start into v_hits, v_expires, v_start;

  -- Cheap pruning, by the hit that opened this window (its start is this hit's time): a few
  -- expired buckets, never waiting on a row another hit holds.
  if v_start = v_now then
    delete from public.rate_limits d
    where d.ctid in (
      select x.ctid from public.rate_limits x
      where x.expires_at < v_now
      limit 20
      for update skip locked
    );
  end if;

  return jsonb_build_object(
    'allowed', v_hits <= p_limit,
    'hits', v_hits,
    'limit', p_limit,
    'remaining', greatest(p_limit - v_hits, 0),
    -- Whole seconds until the window resets (Retry-After), at least 1.
    'reset_in', greatest(ceil(extract(epoch from (v_expires - v_now)))::int, 1)
  );
end;
$function$;
