-- The dashboard's trend sums each closed day once.
--
-- dashboard_trend(30) summed every item's daily totals of the period on each /dashboard view
-- (about 75,000 rows on the 1M bench database). A day's totals stop changing once the day is
-- over: the commit trigger (private.flow_daily_totals_add) writes the day its commit happens on
-- in Seoul. So the trend now keeps each closed day's inbound and outbound sums in a small table,
-- made the first time a view asks for that day, and sums only yesterday and today from the daily
-- totals. Yesterday stays live too, so that a commit whose transaction began before midnight and
-- ended after it still lands in a day that is read live.
--
-- No commit writes the new table: a per-day row written by every commit would make every commit
-- wait for every other. A write into a closed day (a restore of history, an item's rows deleted,
-- a transaction open for more than a day) clears that day's sums, and the next view makes them
-- again. That clearing and the making take one advisory lock (shared, exclusive), so a day is
-- never summed while a write into it is still in flight.

create table public.flow_closed_day_totals (
  day date not null,
  kind text not null,
  qty numeric not null,
  constraint flow_closed_day_totals_pkey primary key (day, kind),
  constraint flow_closed_day_totals_kind_valid check (kind in ('inbound', 'outbound'))
);
comment on table public.flow_closed_day_totals is
  'The dashboard trend''s sums of a closed day (before yesterday in Seoul), made from flow_daily_totals when a view first asks; cleared when that day''s totals change.';

-- Derived data, like low_stock_items: a public table so that backups carry it, RLS on, nothing
-- granted to the API roles: only the trend (security definer) reads it.
alter table public.flow_closed_day_totals enable row level security;
revoke all on public.flow_closed_day_totals from public, anon, authenticated;
grant all on public.flow_closed_day_totals to service_role;

-- Makes the sums of the days from p_from to p_to that have none. Both kinds are written for
-- every day, zero included, so a day with rows is a day already summed.
create function private.flow_closed_days_fill(p_from date, p_to date)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_days date[];
begin
  select array_agg(d.day) into v_days
  from (select generate_series(p_from, p_to, interval '1 day')::date as day) d
  where not exists (select 1 from public.flow_closed_day_totals c where c.day = d.day);
  if v_days is null then
    return;
  end if;
  -- Exclusive against private.flow_closed_days_forget (shared): a write into one of these days
  -- that has not committed yet is waited for, and then seen by the statement below.
  perform pg_advisory_xact_lock(hashtext('duly.flow_closed_day_totals'));
  -- One grouped read of the missing days (a sum per day and kind as a subquery was priced so high
  -- that JIT compiled it: 230 ms of a 340 ms fill).
  insert into public.flow_closed_day_totals (day, kind, qty)
  select d.day, k.kind, coalesce(s.qty, 0)
  from unnest(v_days) d(day)
  cross join (values ('inbound'), ('outbound')) k(kind)
  left join (
    select t.day, t.kind, sum(t.qty) as qty
    from public.flow_daily_totals t
    where t.day = any (v_days) and t.kind in ('inbound', 'outbound')
    group by 1, 2
  ) s on s.day = d.day and s.kind = k.kind
  on conflict (day, kind) do nothing;
end;
$$;
revoke all on function private.flow_closed_days_fill(date, date) from public;

-- A daily total of a closed day was written or deleted: that day's sums are made again.
create function private.flow_closed_days_forget()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_advisory_xact_lock_shared(hashtext('duly.flow_closed_day_totals'));
  delete from public.flow_closed_day_totals c
  where c.day in (case when tg_op = 'INSERT' then null else old.day end, case when tg_op = 'DELETE' then null else new.day end);
  return null;
end;
$$;
revoke all on function private.flow_closed_days_forget() from public;

-- Only rows of a closed day fire (the clock, not the transaction's start: a long transaction's
-- late write is caught); a commit writes today's rows, and its trigger does not fire.
create trigger flow_daily_totals_closed_insert after insert on public.flow_daily_totals
  for each row when (new.day < (clock_timestamp() at time zone 'Asia/Seoul')::date - 1)
  execute function private.flow_closed_days_forget();
create trigger flow_daily_totals_closed_update after update on public.flow_daily_totals
  for each row when (old.day < (clock_timestamp() at time zone 'Asia/Seoul')::date - 1
                     or new.day < (clock_timestamp() at time zone 'Asia/Seoul')::date - 1)
  execute function private.flow_closed_days_forget();
create trigger flow_daily_totals_closed_delete after delete on public.flow_daily_totals
  for each row when (old.day < (clock_timestamp() at time zone 'Asia/Seoul')::date - 1)
  execute function private.flow_closed_days_forget();

create or replace function public.dashboard_trend(p_days integer default 30, p_actor uuid default null::uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
  v_from date;
  -- The last closed day: its sums are kept. Yesterday and today are summed on every call.
  v_closed date := v_today - 2;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > private.dashboard_max_days() then
    perform private.fail('bad_request', format('days must be between 1 and %s', private.dashboard_max_days()));
  end if;
  v_from := v_today - (p_days - 1);
  -- A read-only transaction (a GET of the function on Supabase) cannot keep sums: it reads the
  -- period's daily totals as they are.
  if current_setting('transaction_read_only') = 'on' then
    v_closed := v_from - 1;
  elsif v_from <= v_closed then
    perform private.flow_closed_days_fill(v_from, v_closed);
  end if;
  return (
    with moved as (
      select c.day, c.kind, c.qty
      from public.flow_closed_day_totals c
      where c.day between v_from and v_closed
      union all
      select t.day, t.kind, sum(t.qty) as qty
      from public.flow_daily_totals t
      where t.day >= greatest(v_from, v_closed + 1) and t.kind in ('inbound', 'outbound')
      group by 1, 2
    )
    select jsonb_agg(jsonb_build_object(
      'day', d.day,
      'inbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'inbound'), 0),
      'outbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'outbound'), 0)) order by d.day)
    from (select generate_series(v_from, v_today, interval '1 day')::date as day) d
  );
end;
$$;
