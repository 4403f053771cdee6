-- A page of files as JSON in one statement, as the inspection list's rows are (20261223000200).
--
-- attachments_list built each file with private.attachment_json, one at a time: every file ran its
-- own statement under the attachments policy (private.my_customer_id and private.is_staff, a
-- session check each) and named its uploader through private.staff_display_name, which checked
-- the caller again. Now a page is one statement, the policy's checks run once for it and the
-- uploaders' names come from one call of private.display_names. private.attachment_json is this
-- function for one id (attachment_get, attachment_register, attachment_delete). It stays security
-- invoker: row level security decides which files the caller reads.

create function private.attachments_json(p_ids uuid[])
 returns table (ord bigint, data jsonb)
 language plpgsql
 stable
 set search_path to ''
 set plan_cache_mode to 'force_generic_plan'
as $function$
begin
  -- PL/pgSQL rather than SQL, and one plan for any ids, so that the statement is planned once per
  -- session, not on every call (see private.inspections_json).
  return query
  with page as materialized (
    select u.ord, a.id, a.customer_id, a.inspection_id, a.kind, a.file_name, a.content_type, a.size_bytes,
           a.storage_path, a.internal, a.uploaded_by, a.created_at
    from unnest(p_ids) with ordinality as u(id, ord)
    join public.attachments a on a.id = u.id
  ), names as materialized (
    select n.id, n.display_name
    from private.display_names(array(select distinct page.uploaded_by from page where page.uploaded_by is not null)) n
  )
  select a.ord, jsonb_build_object(
    'id', a.id,
    'customer_id', a.customer_id,
    'inspection_id', a.inspection_id,
    'kind', a.kind,
    'file_name', a.file_name,
    'content_type', a.content_type,
    'size_bytes', a.size_bytes,
    'storage_path', a.storage_path,
    'internal', a.internal,
    'uploaded_by', a.uploaded_by,
    'uploaded_by_name', n.display_name,
    'created_at', a.created_at)
  from page a
  left join names n on n.id = a.uploaded_by;
end;
$function$;
revoke all on function private.attachments_json(uuid[]) from public;
grant execute on function private.attachments_json(uuid[]) to authenticated, service_role;

create or replace function private.attachment_json(p_id uuid)
 returns jsonb
 language sql
 stable
 set search_path to ''
as $function$
  select j.data from private.attachments_json(array[p_id]) j
$function$;

create or replace function public.attachments_list(p_inspection_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_kind text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_role text;
  v_mine uuid;
  v_customer uuid := p_customer_id;
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
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(j.data order by j.ord)
      from private.attachments_json(array(
        select a.id from public.attachments a
        where (p_inspection_id is null or a.inspection_id = p_inspection_id)
          and (v_customer is null or a.customer_id = v_customer)
          and (p_kind is null or a.kind = p_kind)
          and (v_role <> 'customer' or not a.internal)
        order by a.created_at desc, a.id
        limit p_limit offset v_offset)) j
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.attachments a
      where (p_inspection_id is null or a.inspection_id = p_inspection_id)
        and (v_customer is null or a.customer_id = v_customer)
        and (p_kind is null or a.kind = p_kind)
        and (v_role <> 'customer' or not a.internal)),
    'page', p_page,
    'limit', p_limit);
end;
$function$;
