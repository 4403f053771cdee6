-- Notification counts without an anti-join over every notice.
--
-- notifications_list and notifications_mark_read counted a staff member's unread notices as the
-- notices with no read mark of theirs: an anti-join over every notice ever written, on every call
-- (and the list did it twice with ?unread=true, once for the count and once for "unread").
-- Notices are never deleted, so this grew with the years: at 50,000 notices one call of the list
-- took 80 ms, and 155 ms with ?unread=true (docs/performance.md, 2026-12-07).
--
-- A read mark names one notice (its key) and one person (the primary key (user_id,
-- notification_id)), and goes with its notice (on delete cascade). So a person's unread count is
-- the notices less their read marks: two counts through indexes, exact, in one snapshot.

create function private.notification_counts(p_user uuid, out total bigint, out unread bigint)
language sql
stable
set search_path = ''
as $$
  select n.total, n.total - (select count(*) from public.notification_reads r where r.user_id = p_user)
  from (select count(*) as total from public.notifications) n
$$;
-- Executed only by its owner, as the two security-definer functions below run: it answers for
-- whatever user it is given.
revoke all on function private.notification_counts(uuid) from public;

CREATE OR REPLACE FUNCTION public.notifications_list(p_unread boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
  v_counts record;
begin
  -- begin_action sets a transaction setting, which a stable function may not; check inline.
  if v_actor is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if v_role not in ('admin', 'manager', 'korean_team', 'chinese_staff') then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  v_counts := private.notification_counts(v_actor);
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.notification_json(f.id, v_actor) order by f.created_at desc, f.id)
      from (
        select n.id, n.created_at
        from public.notifications n
        where not coalesce(p_unread, false)
           or (v_counts.unread > 0
               and not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor))
        order by n.created_at desc, n.id
        limit p_limit offset v_offset
      ) f
    ), '[]'::jsonb),
    'count', case when coalesce(p_unread, false) then v_counts.unread else v_counts.total end,
    'unread', v_counts.unread,
    'page', p_page,
    'limit', p_limit
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.notifications_mark_read(p_ids jsonb DEFAULT NULL::jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'staff:access');
  v_marked int;
  v_ids uuid[];
begin
  if p_ids is not null then
    if jsonb_typeof(p_ids) <> 'array' or jsonb_array_length(p_ids) > 500 then
      perform private.fail_field('ids', 'A list of at most 500 ids');
    end if;
    v_ids := array(select jsonb_array_elements_text(p_ids)::uuid);
  end if;
  -- Every notice not yet marked (a second "mark all" finds none to insert).
  insert into public.notification_reads (notification_id, user_id)
  select n.id, v_actor from public.notifications n
  where (v_ids is null or n.id = any (v_ids))
    and not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
  on conflict (user_id, notification_id) do nothing;
  get diagnostics v_marked = row_count;
  return jsonb_build_object('marked', v_marked, 'unread', (private.notification_counts(v_actor)).unread);
end;
$function$;
