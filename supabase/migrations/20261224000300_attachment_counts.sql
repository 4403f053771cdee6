-- The file list without counting every file.
--
-- attachments_list counted every file its filters matched on every page, and a page without a
-- filter sorted them all: the staff's first page of 20 files at 30,000 took 11.2-11.7 ms, most of
-- it counting (docs/performance.md, 2026-12-07). Now it reads at most 1,001 matches, which give
-- the count and the page when there are no more; beyond 1,000 the count is the planner's estimate
-- with count_exact false, as the flow and inspection lists do, and an index in the list's order
-- serves the page.

create index attachments_created_idx on public.attachments (created_at desc, id);

-- The estimate for more than 1,000 files. Security definer, so that the planner's figure is not
-- skewed by the policy's conditions; so it applies the policy's rule itself, from the caller's own
-- session: staff count every company's files, a customer its company's shared ones (whatever
-- company it names), anyone else nothing. It gives a number only. Volatile: EXPLAIN is not
-- allowed in a stable function.
create function private.attachments_estimate(p_inspection_id uuid, p_customer_id uuid, p_kind text, p_actor uuid)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  -- The helpers the policies use: an active profile, not held to changing its password.
  v_mine uuid := private.actor_customer_id(p_actor);
  v_plan json;
begin
  if not v_staff and v_mine is null then
    return 0;
  end if;
  execute 'explain (format json) select 1 from public.attachments a
           where ($1::uuid is null or a.inspection_id = $1) and ($2::uuid is null or a.customer_id = $2)
             and ($3::text is null or a.kind = $3) and ($4 or not a.internal)'
    into v_plan using p_inspection_id, case when v_staff then p_customer_id else v_mine end, p_kind, v_staff;
  return greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
end;
$$;
revoke all on function private.attachments_estimate(uuid, uuid, text, uuid) from public;
grant execute on function private.attachments_estimate(uuid, uuid, text, uuid) to authenticated, service_role;

CREATE OR REPLACE FUNCTION public.attachments_list(p_inspection_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_kind text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_role text;
  v_mine uuid;
  v_customer uuid := p_customer_id;
  v_count bigint;
  v_exact boolean := true;
  v_all uuid[];
  v_ids uuid[];
begin
  perform private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_role := private.actor_role(p_actor);
  v_mine := private.attachment_actor_company(p_actor);
  if p_kind is not null and p_kind not in ('report', 'photo', 'document') then
    perform private.fail('bad_request', 'kind must be report, photo or document');
  end if;
  if v_role = 'customer' then
    if v_mine is null or (p_customer_id is not null and p_customer_id <> v_mine) then
      perform private.fail('forbidden', 'You can only see your own company''s files');
    end if;
    v_customer := v_mine;
  end if;
  if p_inspection_id is not null and not exists (
      select 1 from public.inspection_applications i
      where i.id = p_inspection_id and (v_role <> 'customer' or i.customer_id = v_mine)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  -- At most 1,001 matches, in no order, through the filters' indexes (under the policy): with at
  -- most 1,000 they are the count and, sorted and sliced, the page. Beyond that the planner's
  -- estimate (count_exact false, as the flow and inspection lists do), and the page from the
  -- list's order, which soon finds a page among so many. (Walking that order for few matches
  -- would read every file to find none.)
  v_all := array(
    select x.id from (
      select a.id, a.created_at from public.attachments a
      where (p_inspection_id is null or a.inspection_id = p_inspection_id)
        and (v_customer is null or a.customer_id = v_customer)
        and (p_kind is null or a.kind = p_kind)
        and (v_role <> 'customer' or not a.internal)
      limit 1001) x
    order by x.created_at desc, x.id);
  if cardinality(v_all) <= 1000 then
    v_count := cardinality(v_all);
    v_ids := coalesce(v_all[v_offset + 1 : v_offset + p_limit], '{}');
  else
    v_count := private.attachments_estimate(p_inspection_id, v_customer, p_kind, p_actor);
    v_exact := false;
    v_ids := array(
      select a.id from public.attachments a
      where (p_inspection_id is null or a.inspection_id = p_inspection_id)
        and (v_customer is null or a.customer_id = v_customer)
        and (p_kind is null or a.kind = p_kind)
        and (v_role <> 'customer' or not a.internal)
      order by a.created_at desc, a.id
      limit p_limit offset v_offset);
  end if;
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(j.data order by j.ord) from private.attachments_json(v_ids) j), '[]'::jsonb),
    'count', v_count,
    'count_exact', v_exact,
    'page', p_page,
    'limit', p_limit);
end;
$function$;
