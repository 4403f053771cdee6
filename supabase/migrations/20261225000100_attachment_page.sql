-- The file list's filter written once; one helper for a customer's company.
--
-- 20261224000300 left the file list's filter written four times: twice in attachments_list (the
-- 1,001-row read and the ordered page beyond 1,000), once in private.attachments_estimate's
-- EXPLAIN and once in attachments_export. Copies of a filter drift apart, and one of them
-- decides what a customer may read. Now, as the inspection list does (private.inspection_page):
--
--   private.attachments_where   the condition, built from which filters are given;
--   private.attachments_scope   the caller's filters checked (kind, company, inspection), with the
--                               list's and the export's errors, as the caller;
--   private.attachment_page     the page's ids, the count and whether it is exact, as the owner,
--                               applying the policy's rule itself (the estimate helper's reason);
--
-- attachments_list and attachments_export use them, and private.attachments_estimate goes.
--
-- And private.attachment_actor_company goes: it was private.actor_customer_id without the check
-- that the caller is not held to changing their password. Every function that used it refuses a
-- held caller first (begin_action_for, or attachment_delete's own sign-in check), so the answers
-- do not change; what is left is one helper, the one the policies use.

-- What the planner is told of files: which companies have which kinds, shared or internal. With
-- each column counted apart, it took a company's reports for a third of its files when it had
-- none, and read every file through a LIMIT to find them (3.2-3.7 ms instead of 0.3, 30,000
-- files). The statement of the page's first read now has each filter's value (below), so the
-- combinations' figures count.
create statistics public.attachments_filter_stats (mcv) on customer_id, kind, internal from public.attachments;
analyze public.attachments;

-- The condition on public.attachments a: $1 the inspection, $2 the company, $3 the kind, each only
-- when given; the internal files only for those who may read them.
create function private.attachments_where(p_inspection boolean, p_customer boolean, p_kind boolean, p_internal boolean)
returns text
language sql
immutable
set search_path = ''
as $$
  select concat_ws(' and ', 'true',
    case when p_inspection then 'a.inspection_id = $1' end,
    case when p_customer then 'a.customer_id = $2' end,
    case when p_kind then 'a.kind = $3' end,
    case when not p_internal then 'not a.internal' end)
$$;
revoke all on function private.attachments_where(boolean, boolean, boolean, boolean) from public;
grant execute on function private.attachments_where(boolean, boolean, boolean, boolean) to authenticated, service_role;

-- The list's and the export's filters, checked for the caller: the company whose files they read
-- (a customer's own, whatever it names; null for the staff's "every company"). As the caller: the
-- inspection is looked for under the policies.
create function private.attachments_scope(p_inspection_id uuid, p_customer_id uuid, p_kind text, p_actor uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_mine uuid := private.actor_customer_id(p_actor);
begin
  if p_kind is not null and p_kind not in ('report', 'photo', 'document') then
    perform private.fail('bad_request', 'kind must be report, photo or document');
  end if;
  if not v_staff and (v_mine is null or (p_customer_id is not null and p_customer_id <> v_mine)) then
    perform private.fail('forbidden', 'You can only see your own company''s files');
  end if;
  if p_inspection_id is not null and not exists (
      select 1 from public.inspection_applications i
      where i.id = p_inspection_id and (v_staff or i.customer_id = v_mine)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  return case when v_staff then p_customer_id else v_mine end;
end;
$$;
revoke all on function private.attachments_scope(uuid, uuid, text, uuid) from public;
grant execute on function private.attachments_scope(uuid, uuid, text, uuid) to authenticated, service_role;

-- A page of the file list: ids in the list's order, the count and whether it is exact. Security
-- definer, so that the planner's figures are not skewed by the policy's conditions; so it applies
-- the policy's rule itself, from the caller's own session (an active profile, not held): the
-- staff read every company's files, a customer its company's shared files (another company named
-- gives nothing), anyone else nothing. It returns ids and counts only; the rows are then read as
-- the caller. Volatile: EXPLAIN is not allowed in a stable function.
create function private.attachment_page(p_inspection_id uuid, p_customer_id uuid, p_kind text, p_page int, p_limit int, p_actor uuid,
                                        out ids uuid[], out total bigint, out exact boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_mine uuid := private.actor_customer_id(p_actor);
  v_customer uuid := case when v_staff then p_customer_id else v_mine end;
  v_where text;
  v_all uuid[];
  v_plan json;
begin
  ids := '{}';
  total := 0;
  exact := true;
  if not v_staff and (v_mine is null or (p_customer_id is not null and p_customer_id <> v_mine)) then
    return;
  end if;
  v_where := private.attachments_where(p_inspection_id is not null, v_customer is not null, p_kind is not null, v_staff);
  -- At most 1,001 matches, in no order, through the filters' indexes: with at most 1,000 they are
  -- the count and, sorted and sliced, the page. (Walking the list's order for few matches would
  -- read every file to find none.)
  execute format(
    'select array(select x.id from (select a.id, a.created_at from public.attachments a where %s limit 1001) x
       order by x.created_at desc, x.id)', v_where)
    into v_all using p_inspection_id, v_customer, p_kind;
  if cardinality(v_all) <= 1000 then
    total := cardinality(v_all);
    ids := coalesce(v_all[v_offset + 1 : v_offset + p_limit], '{}');
    return;
  end if;
  -- More: the planner's estimate (never below 1,001), and the page from the list's order
  -- (attachments_created_idx), which soon finds a page among so many.
  execute format('explain (format json) select 1 from public.attachments a where %s', v_where)
    into v_plan using p_inspection_id, v_customer, p_kind;
  total := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
  exact := false;
  execute format(
    'select array(select a.id from public.attachments a where %s order by a.created_at desc, a.id limit %s offset %s)',
    v_where, p_limit, v_offset)
    into ids using p_inspection_id, v_customer, p_kind;
end;
$$;
revoke all on function private.attachment_page(uuid, uuid, text, int, int, uuid) from public;
grant execute on function private.attachment_page(uuid, uuid, text, int, int, uuid) to authenticated, service_role;

CREATE OR REPLACE FUNCTION public.attachments_list(p_inspection_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_kind text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_page record;
begin
  perform private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  perform private.attachments_scope(p_inspection_id, p_customer_id, p_kind, p_actor);
  select * into v_page from private.attachment_page(p_inspection_id, p_customer_id, p_kind, p_page, p_limit, p_actor);
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(j.data order by j.ord) from private.attachments_json(v_page.ids) j), '[]'::jsonb),
    'count', v_page.total,
    'count_exact', v_page.exact,
    'page', p_page,
    'limit', p_limit);
end;
$function$;

-- The export reads its batches as the caller, under the policies, with the same condition, after
-- the same checks (so an inspection the caller cannot read is now "not found" here too, as in the
-- list, instead of an empty file).
CREATE OR REPLACE FUNCTION public.attachments_export(p_inspection_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_kind text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_staff boolean;
  v_customer uuid;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff := private.is_staff_role(private.actor_role(p_actor));
  v_customer := private.attachments_scope(p_inspection_id, p_customer_id, p_kind, p_actor);
  execute format(
    'with a as materialized (
       select a.id, a.file_name, a.kind, a.content_type, a.size_bytes, a.uploaded_by, a.created_at,
              (select i.number from public.inspection_applications i where i.id = a.inspection_id) as inspection_number
       from public.attachments a
       where %s and %s
       order by a.created_at desc, a.id
       limit $6
     ), names as materialized (
       select n.id, n.display_name from private.display_names(array(select distinct a.uploaded_by from a where a.uploaded_by is not null)) n
     )
     select json_agg(json_build_object(
         ''id'', a.id, ''file_name'', a.file_name, ''kind'', a.kind, ''inspection_number'', a.inspection_number,
         ''content_type'', a.content_type, ''size_bytes'', a.size_bytes,
         ''uploaded_by_name'', n.display_name, ''created_at'', a.created_at)
       order by a.created_at desc, a.id)
     from a
     left join names n on n.id = a.uploaded_by',
    private.attachments_where(p_inspection_id is not null, v_customer is not null, p_kind is not null, v_staff),
    case when p_after is null then 'true' else '(a.created_at < $4 or (a.created_at = $4 and a.id > $5))' end)
    into v_rows
    using p_inspection_id, v_customer, p_kind, (p_after ->> 'created_at')::timestamptz, (p_after ->> 'id')::uuid, v_limit;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

drop function private.attachments_estimate(uuid, uuid, text, uuid);

-- One helper for a customer's company: the three functions that used attachment_actor_company,
-- otherwise as they were.
CREATE OR REPLACE FUNCTION private.attachment_target(p_actor uuid, p_customer_id uuid, p_inspection_id uuid, p_kind text, p_internal boolean)
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_role text := private.actor_role(p_actor);
  v_mine uuid := private.actor_customer_id(p_actor);
  v_owner uuid;
begin
  if p_kind is null or p_kind not in ('report', 'photo', 'document') then
    perform private.fail_field('kind', 'Choose report, photo or document');
  end if;
  if p_customer_id is null and p_inspection_id is null then
    perform private.fail_field('inspection_id', 'Give an inspection or a customer');
  end if;
  if v_role = 'customer' then
    if v_mine is null then
      perform private.fail('forbidden', 'You are not allowed to do this');
    end if;
    if p_customer_id is not null and p_customer_id <> v_mine then
      perform private.fail('forbidden', 'You can only upload files for your own company');
    end if;
    if p_kind <> 'document' then
      perform private.fail('forbidden', 'Customers upload documents only');
    end if;
    if coalesce(p_internal, false) then
      perform private.fail('forbidden', 'Customers cannot upload internal files');
    end if;
  end if;
  if p_inspection_id is not null then
    select i.customer_id into v_owner from public.inspection_applications i where i.id = p_inspection_id;
    if v_owner is null or (v_role = 'customer' and v_owner <> v_mine) then
      perform private.fail('not_found', 'Inspection not found');
    end if;
    if p_customer_id is not null and p_customer_id <> v_owner then
      perform private.fail_field('customer_id', 'The inspection belongs to another customer');
    end if;
    return v_owner;
  end if;
  if not exists (select 1 from public.customers c where c.id = p_customer_id) then
    perform private.fail('not_found', 'Customer not found');
  end if;
  return p_customer_id;
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_delete(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_role text := private.actor_role(p_actor);
  v_mine uuid := private.actor_customer_id(p_actor);
  v_row public.attachments;
  v jsonb;
begin
  if private.actor(p_actor) is null or v_role is null then
    perform private.refuse_if_held(p_actor);
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select * into v_row from public.attachments a where a.id = p_id for update;
  -- What the actor cannot read does not exist for them: not_found before forbidden.
  if not found or (v_role = 'customer' and (v_row.customer_id is distinct from v_mine or v_row.internal)) then
    perform private.fail('not_found', 'Attachment not found');
  end if;
  perform private.begin_action_for(p_actor, 'records:delete');
  v := private.attachment_json(p_id);
  delete from public.attachments a where a.id = p_id;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_role text;
  v_mine uuid;
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_role := private.actor_role(p_actor);
  v_mine := private.actor_customer_id(p_actor);
  select private.attachment_json(a.id) into v
  from public.attachments a
  where a.id = p_id and (v_role <> 'customer' or (a.customer_id = v_mine and not a.internal));
  if v is null then
    perform private.fail('not_found', 'Attachment not found');
  end if;
  return v;
end;
$function$;

drop function private.attachment_actor_company(uuid);
