-- One database round trip fewer for every API write (issue: inventory and flows, benchmark).
-- A write request used to read the caller's profile (public.me) and then count the write in the
-- caller's rate-limit bucket (public.rate_limit_hit, service role) as two transactions. This does
-- both in one, for the signed-in caller only: the bucket is derived from auth.uid(), never chosen
-- by the caller, so calling it directly can only spend the caller's own budget.

create or replace function public.me_counting_write(p_limit int, p_window_seconds int default 60)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_profile jsonb;
begin
  -- The counter is the only thing this transaction writes, and losing one count in a crash is
  -- harmless: its commit need not wait for the WAL flush (this transaction only).
  perform set_config('synchronous_commit', 'off', true);
  if v_uid is null then
    return jsonb_build_object('profile', null, 'rate', null);
  end if;
  select private.profile_json(p) into v_profile from public.profiles p where p.id = v_uid;
  -- Nobody to count for: the request is treated as signed out and does nothing.
  if v_profile is null or not coalesce((v_profile ->> 'active')::boolean, false) or coalesce(p_limit, 0) <= 0 then
    return jsonb_build_object('profile', v_profile, 'rate', null);
  end if;
  return jsonb_build_object(
    'profile', v_profile,
    'rate', public.rate_limit_hit('write:user:' || v_uid::text, p_limit, least(greatest(coalesce(p_window_seconds, 60), 1), 3600))
  );
end;
$$;
revoke all on function public.me_counting_write(int, int) from public, anon, service_role;
grant execute on function public.me_counting_write(int, int) to authenticated;
