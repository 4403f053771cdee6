-- Functions name the action they do instead of listing roles: private.begin_action_for(p_actor,
-- 'records:write') lets in the roles private.roles_for gives that action (the one place in SQL
-- that says which roles may do what, checked against lib/auth/permissions.ts by
-- tests/contract/role-helpers.contract.ts). Several actions: any of them. An action the matrix
-- does not know lets no one in.
--
-- The functions below are their live definitions (supabase/schema.sql) with only that call
-- changed; each action was chosen so its roles are exactly the list it replaces, so no one gains
-- or loses anything.

create or replace function private.begin_action_for(p_actor uuid, variadic p_actions text[])
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_roles text[];
begin
  select coalesce(array_agg(distinct r), '{}') into v_roles
  from unnest(p_actions) a, unnest(private.roles_for(a)) r;
  return private.begin_action(p_actor, variadic v_roles);
end;
$$;

revoke all on function private.begin_action_for(uuid, text[]) from public;
grant execute on function private.begin_action_for(uuid, text[]) to authenticated, service_role;

CREATE OR REPLACE FUNCTION private.own_attachment_upload(p_id uuid, p_actor uuid, p_lock boolean)
 RETURNS public.attachment_uploads
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_row public.attachment_uploads;
begin
  if p_lock then
    select * into v_row from public.attachment_uploads u where u.id = p_id and u.user_id = v_actor for update;
  else
    select * into v_row from public.attachment_uploads u where u.id = p_id and u.user_id = v_actor;
  end if;
  if not found then
    perform private.fail('not_found', 'Upload not found');
  end if;
  return v_row;
end;
$function$;

CREATE OR REPLACE FUNCTION private.own_import(p_id uuid, p_actor uuid, p_lock boolean)
 RETURNS public.imports
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v public.imports;
begin
  if p_lock then
    select * into v from public.imports where id = p_id and created_by = v_actor for update;
  else
    select * into v from public.imports where id = p_id and created_by = v_actor;
  end if;
  if not found then
    perform private.fail('not_found', 'Import not found');
  end if;
  if not (private.actor_role(p_actor) = any (private.import_roles(v.kind))) then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION private.password_reset_target(p_user_id uuid, p_actor uuid)
 RETURNS public.profiles
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_admin uuid := private.begin_action_for(p_actor, 'users:manage');
  v public.profiles;
begin
  select * into v from public.profiles where id = p_user_id;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;
  if v.id = v_admin then
    perform private.fail('invalid_state', 'Change your own password from the user menu');
  end if;
  if not v.active then
    perform private.fail('invalid_state', 'Reactivate the user before resetting the password');
  end if;
  return v;
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
  v_mine uuid := private.attachment_actor_company(p_actor);
  v_row public.attachments;
  v jsonb;
begin
  if private.actor(p_actor) is null or v_role is null then
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
  v_mine := private.attachment_actor_company(p_actor);
  select private.attachment_json(a.id) into v
  from public.attachments a
  where a.id = p_id and (v_role <> 'customer' or (a.customer_id = v_mine and not a.internal));
  if v is null then
    perform private.fail('not_found', 'Attachment not found');
  end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_prepare(p_kind text, p_customer_id uuid DEFAULT NULL::uuid, p_inspection_id uuid DEFAULT NULL::uuid, p_internal boolean DEFAULT false, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
begin
  perform private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_customer := private.attachment_target(p_actor, p_customer_id, p_inspection_id, p_kind, p_internal);
  return jsonb_build_object(
    'customer_id', v_customer,
    'inspection_id', p_inspection_id,
    'storage_path', v_customer::text || '/' || gen_random_uuid()::text);
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_register(p_storage_path text, p_file_name text, p_content_type text, p_size_bytes bigint, p_sha256 text, p_kind text, p_customer_id uuid DEFAULT NULL::uuid, p_inspection_id uuid DEFAULT NULL::uuid, p_internal boolean DEFAULT false, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_customer uuid := private.attachment_target(p_actor, p_customer_id, p_inspection_id, p_kind, p_internal);
  v_name text := trim(p_file_name);
  v_id uuid;
begin
  -- Only paths we generate: "<owning customer>/<uuid>", so a path can never point elsewhere.
  if p_storage_path is null
     or p_storage_path !~ ('^' || v_customer::text || '/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') then
    perform private.fail_field('storage_path', 'Not a storage path for this customer');
  end if;
  if v_name is null or char_length(v_name) not between 1 and 255 or v_name ~ '[[:cntrl:]/\\]' then
    perform private.fail_field('file_name', 'A file name of 1 to 255 characters, without / or \');
  end if;
  if p_content_type is null or p_content_type not in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') then
    perform private.fail_field('file', 'Only PDF, JPEG, PNG, WebP and XLSX files are accepted');
  end if;
  if p_size_bytes is null or p_size_bytes not between 1 and 20971520 then
    perform private.fail_field('file', 'Files must be between 1 byte and 20 MB');
  end if;
  if p_sha256 is null or p_sha256 !~ '^[0-9a-f]{64}$' then
    perform private.fail_field('sha256', 'A SHA-256 in hex');
  end if;
  if exists (select 1 from public.attachments a where a.storage_path = p_storage_path) then
    perform private.fail('conflict', 'This storage path is already registered');
  end if;
  insert into public.attachments (customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path,
    sha256, internal, uploaded_by)
  values (v_customer, p_inspection_id, p_kind, v_name, p_content_type, p_size_bytes, p_storage_path,
    p_sha256, coalesce(p_internal, false), v_actor)
  returning id into v_id;
  return private.attachment_json(v_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachment_upload_begin(p_kind text, p_file_name text, p_content_type text, p_size_bytes bigint, p_customer_id uuid DEFAULT NULL::uuid, p_inspection_id uuid DEFAULT NULL::uuid, p_internal boolean DEFAULT false, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_customer uuid := private.attachment_target(p_actor, p_customer_id, p_inspection_id, p_kind, p_internal);
  v_name text := trim(p_file_name);
  v_row public.attachment_uploads;
begin
  -- The same field rules as attachment_register, so nothing is begun that could not be registered.
  if v_name is null or char_length(v_name) not between 1 and 255 or v_name ~ '[[:cntrl:]/\\]' then
    perform private.fail_field('file_name', 'A file name of 1 to 255 characters, without / or \');
  end if;
  if p_content_type is null or p_content_type not in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') then
    perform private.fail_field('file', 'Only PDF, JPEG, PNG, WebP and XLSX files are accepted');
  end if;
  if p_size_bytes is null or p_size_bytes not between 1 and 20971520 then
    perform private.fail_field('file', 'Files must be between 1 byte and 20 MB');
  end if;
  insert into public.attachment_uploads (user_id, customer_id, inspection_id, kind, internal, file_name, content_type,
    size_bytes, storage_path, expires_at)
  values (v_actor, v_customer, p_inspection_id, p_kind, coalesce(p_internal, false), v_name, p_content_type,
    p_size_bytes, v_customer::text || '/' || gen_random_uuid()::text, now() + interval '30 minutes')
  returning * into v_row;
  return private.attachment_upload_json(v_row);
end;
$function$;

CREATE OR REPLACE FUNCTION public.attachments_export(p_inspection_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_kind text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_role text;
  v_mine uuid;
  v_customer uuid := p_customer_id;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_id uuid := (p_after ->> 'id')::uuid;
  v_rows json;
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
  select json_agg(json_build_object(
      'id', a.id, 'file_name', a.file_name, 'kind', a.kind, 'inspection_number', a.inspection_number,
      'content_type', a.content_type, 'size_bytes', a.size_bytes,
      'uploaded_by_name', private.staff_display_name(a.uploaded_by), 'created_at', a.created_at)
    order by a.created_at desc, a.id)
  into v_rows
  from (
    select a.id, a.file_name, a.kind, a.content_type, a.size_bytes, a.uploaded_by, a.created_at,
           (select i.number from public.inspection_applications i where i.id = a.inspection_id) as inspection_number
    from public.attachments a
    where (p_inspection_id is null or a.inspection_id = p_inspection_id)
      and (v_customer is null or a.customer_id = v_customer)
      and (p_kind is null or a.kind = p_kind)
      and (v_role <> 'customer' or not a.internal)
      and (p_after is null or a.created_at < v_at or (a.created_at = v_at and a.id > v_id))
    order by a.created_at desc, a.id
    limit v_limit) a;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

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
      select jsonb_agg(private.attachment_json(f.id) order by f.created_at desc, f.id)
      from (
        select a.id, a.created_at from public.attachments a
        where (p_inspection_id is null or a.inspection_id = p_inspection_id)
          and (v_customer is null or a.customer_id = v_customer)
          and (p_kind is null or a.kind = p_kind)
          and (v_role <> 'customer' or not a.internal)
        order by a.created_at desc, a.id
        limit p_limit offset v_offset) f
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

CREATE OR REPLACE FUNCTION public.audit_export(p_actor_id uuid DEFAULT NULL::uuid, p_table text DEFAULT NULL::text, p_action text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_security_only boolean DEFAULT false, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_id bigint := (p_after ->> 'id')::bigint;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  perform private.check_audit_action(p_action);
  select json_agg(json_build_object(
      'id', a.id, 'created_at', a.created_at, 'actor_email', p.email, 'actor_name', p.display_name,
      'action', a.action, 'event', private.audit_event(a.table_name, a.action, a.before, a.after),
      'table_name', a.table_name, 'row_id', a.row_id,
      'subject', private.audit_subject(a.table_name, a.row_id, a.before, a.after),
      'security_event', a.security_event,
      'before', a.before, 'after', a.after, 'refs', private.audit_ref_labels(a.before, a.after),
      'changed', (
        select string_agg(k.key, ', ' order by k.key)
        from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
              union
              select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
        where a.before -> k.key is distinct from a.after -> k.key))
    order by a.created_at desc, a.id desc)
  into v_rows
  from (
    select * from public.audit_log l
    where (p_actor_id is null or l.actor_id = p_actor_id)
      and (p_table is null or l.table_name = p_table)
      and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
      and (p_from is null or l.created_at >= p_from)
      and (p_to is null or l.created_at < p_to)
      and (not coalesce(p_security_only, false) or l.security_event)
      and private.audit_listed(l.table_name, l.action, l.before, l.after)
      and (p_after is null or (l.created_at, l.id) < (v_at, v_id))
    order by l.created_at desc, l.id desc
    limit v_limit) a
  left join public.profiles p on p.id = a.actor_id;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.audit_list(p_actor_id uuid DEFAULT NULL::uuid, p_table text DEFAULT NULL::text, p_action text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_security_only boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  perform private.check_audit_action(p_action);
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', a.id,
          'created_at', a.created_at,
          'actor_id', a.actor_id,
          'actor_email', p.email,
          'actor_name', p.display_name,
          'action', a.action,
          'event', private.audit_event(a.table_name, a.action, a.before, a.after),
          'table_name', a.table_name,
          'row_id', a.row_id,
          'subject', private.audit_subject(a.table_name, a.row_id, a.before, a.after),
          'security_event', a.security_event,
          'before', a.before,
          'after', a.after,
          'refs', private.audit_ref_labels(a.before, a.after),
          -- Keys whose value differs (every key of an insert or delete).
          'changed', coalesce((
            select jsonb_agg(k.key order by k.key)
            from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
                  union
                  select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
            where a.before -> k.key is distinct from a.after -> k.key
          ), '[]'::jsonb)
        ) order by a.created_at desc, a.id desc)
      from (
        select * from public.audit_log l
        where (p_actor_id is null or l.actor_id = p_actor_id)
          and (p_table is null or l.table_name = p_table)
          and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
          and (p_from is null or l.created_at >= p_from)
          and (p_to is null or l.created_at < p_to)
          and (not coalesce(p_security_only, false) or l.security_event)
          and private.audit_listed(l.table_name, l.action, l.before, l.after)
        order by l.created_at desc, l.id desc
        limit p_limit offset v_offset
      ) a
      left join public.profiles p on p.id = a.actor_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.audit_log l
      where (p_actor_id is null or l.actor_id = p_actor_id)
        and (p_table is null or l.table_name = p_table)
        and private.audit_action_matches(p_action, l.table_name, l.action, l.before, l.after)
        and (p_from is null or l.created_at >= p_from)
        and (p_to is null or l.created_at < p_to)
        and (not coalesce(p_security_only, false) or l.security_event)
        and private.audit_listed(l.table_name, l.action, l.before, l.after)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.audit_tables(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  return coalesce((
    select jsonb_agg(distinct c.relname::text order by c.relname::text)
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_proc f on f.oid = t.tgfoid
    join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where f.proname = 'audit_row' and fn.nspname = 'private' and n.nspname = 'public' and not t.tgisinternal
  ), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.customer_create(p_data jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  r public.customers := jsonb_populate_record(null::public.customers,
    private.pick(p_data, array['code', 'name', 'business_number', 'contact_name', 'email', 'phone', 'address', 'active']));
  v_id uuid;
begin
  perform private.begin_action_for(p_actor, 'customers:write');
  if exists (select 1 from public.customers c where c.code = upper(trim(r.code))) then
    perform private.fail('conflict', 'A customer with this code already exists',
      jsonb_build_array(jsonb_build_object('path', 'code', 'message', 'A customer with this code already exists')));
  end if;
  insert into public.customers (code, name, business_number, contact_name, email, phone, address, active)
  values (upper(trim(r.code)), trim(r.name), r.business_number, r.contact_name, r.email, r.phone, r.address, coalesce(r.active, true))
  returning id into v_id;
  return private.customer_json(v_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.customer_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'customers:read');
  v := private.customer_json(p_id);
  if v is null then perform private.fail('not_found', 'Customer not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.customer_update(p_id uuid, p_patch jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.customers;
  r public.customers;
begin
  perform private.begin_action_for(p_actor, 'customers:write');
  select * into cur from public.customers where id = p_id for update;
  if not found then perform private.fail('not_found', 'Customer not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name', 'business_number', 'contact_name', 'email', 'phone', 'address', 'active']));
  if upper(trim(r.code)) <> cur.code and exists (select 1 from public.customers c where c.code = upper(trim(r.code))) then
    perform private.fail('conflict', 'A customer with this code already exists',
      jsonb_build_array(jsonb_build_object('path', 'code', 'message', 'A customer with this code already exists')));
  end if;
  update public.customers
  set code = upper(trim(r.code)), name = trim(r.name), business_number = r.business_number, contact_name = r.contact_name,
      email = r.email, phone = r.phone, address = r.address, active = r.active
  where id = p_id;
  return private.customer_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.customers_export(p_q text DEFAULT NULL::text, p_active boolean DEFAULT NULL::boolean, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'customers:read');
  select json_agg(json_build_object(
      'code', c.code, 'name', c.name, 'business_number', c.business_number, 'contact_name', c.contact_name,
      'email', c.email, 'phone', c.phone, 'address', c.address, 'active', c.active,
      'user_count', (select count(*) from public.profiles p where p.customer_id = c.id and p.active),
      'open_inspections', (select count(*) from public.inspection_applications i
                           where i.customer_id = c.id and i.status not in ('completed', 'cancelled')),
      'created_at', c.created_at)
    order by c.name, c.code)
  into v_rows
  from (
    select * from public.customers c
    where (p_active is null or c.active = p_active)
      and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)
      and (p_after is null or (c.name, c.code) > (p_after ->> 'name', p_after ->> 'code'))
    order by c.name, c.code
    limit v_limit) c;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.customers_list(p_q text DEFAULT NULL::text, p_active boolean DEFAULT NULL::boolean, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action_for(p_actor, 'customers:read');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(c) || jsonb_build_object(
          'user_count', (select count(*) from public.profiles p where p.customer_id = c.id and p.active),
          'open_inspections', (select count(*) from public.inspection_applications i
                               where i.customer_id = c.id and i.status not in ('completed', 'cancelled')))
        order by c.name, c.code)
      from (
        select * from public.customers c
        where (p_active is null or c.active = p_active)
          and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)
        order by c.name, c.code
        limit p_limit offset v_offset) c
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.customers c
      where (p_active is null or c.active = p_active)
        and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_kpis(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return (
    select jsonb_build_object(
      'active_skus', count(*) filter (where i.active),
      'stock_value', coalesce(sum(coalesce(t.on_hand, 0) * i.unit_cost), 0),
      'stock_units', coalesce(sum(coalesce(t.on_hand, 0)), 0),
      'low_stock', count(*) filter (where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point),
      'pending_approval', (select count(*) from public.flows f where f.status = 'submitted'),
      'awaiting_commit', (select count(*) from public.flows f where f.status = 'approved'),
      'open_inspections', (select count(*) from public.inspection_applications a where a.status not in ('completed', 'cancelled')))
    from public.items i
    left join public.item_stock_totals t on t.item_id = i.id
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_recent_activity(p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', 'limit must be 1..50');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('flow_id', f.id, 'number', f.number, 'kind', f.kind, 'status', f.status, 'at', f.updated_at,
             'by', (select p.display_name from public.profiles p where p.id = case f.status
                      when 'draft' then f.created_by when 'submitted' then f.submitted_by when 'approved' then f.approved_by
                      when 'committed' then f.committed_by else f.cancelled_by end)) order by f.updated_at desc)
    from (select * from public.flows order by updated_at desc limit p_limit) f), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_stock_breakdown(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return jsonb_build_object(
    'by_engine', coalesce((
      select jsonb_agg(jsonb_build_object('engine_id', e.id, 'code', coalesce(e.code, '—'), 'name_ko', e.name_ko, 'name_zh', e.name_zh,
               'name_en', e.name_en, 'units', x.units, 'value', x.value) order by x.value desc)
      from (
        select i.engine_id, sum(coalesce(t.on_hand, 0)) as units, sum(coalesce(t.on_hand, 0) * i.unit_cost) as value
        from public.items i left join public.item_stock_totals t on t.item_id = i.id
        group by i.engine_id
      ) x
      left join public.engines e on e.id = x.engine_id), '[]'::jsonb),
    'by_location', coalesce((
      select jsonb_agg(jsonb_build_object('location_id', l.id, 'code', l.code, 'name', l.name, 'country', l.country,
               'units', coalesce(x.units, 0), 'value', coalesce(x.value, 0)) order by l.code)
      from public.locations l
      left join (
        select s.location_id, sum(s.on_hand) as units, sum(s.on_hand * i.unit_cost) as value
        from public.stocks s join public.items i on i.id = s.item_id
        group by s.location_id
      ) x on x.location_id = l.id
      where l.active or coalesce(x.units, 0) > 0), '[]'::jsonb));
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_top_movers(p_days integer DEFAULT 30, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > 366 or p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', 'days must be 1..366 and limit 1..50');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
             'unit', i.unit, 'inbound', m.inbound, 'outbound', m.outbound, 'moved', m.moved) order by m.moved desc, i.sku)
    from (
      select t.item_id,
             sum(t.qty) filter (where t.kind = 'inbound') as inbound,
             sum(t.qty) filter (where t.kind = 'outbound') as outbound,
             sum(t.qty) as moved
      from public.flow_daily_totals t
      where t.day >= v_today - (p_days - 1)
      group by t.item_id
      order by sum(t.qty) desc
      limit p_limit
    ) m
    join public.items i on i.id = m.item_id), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_trend(p_days integer DEFAULT 30, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > 366 then
    perform private.fail('bad_request', 'days must be between 1 and 366');
  end if;
  return (
    with moved as (
      select t.day, t.kind, sum(t.qty) as qty
      from public.flow_daily_totals t
      where t.day >= v_today - (p_days - 1) and t.kind in ('inbound', 'outbound')
      group by 1, 2
    )
    select jsonb_agg(jsonb_build_object(
      'day', d.day,
      'inbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'inbound'), 0),
      'outbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'outbound'), 0)) order by d.day)
    from (select generate_series(v_today - (p_days - 1), v_today, interval '1 day')::date as day) d
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.email_preferences_update(p_patch jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'profile:update');
  v_role text := private.actor_role(p_actor);
  v_kinds text[] := private.email_kinds_for(v_role);
  v_key text;
  v_value jsonb;
begin
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    perform private.fail('bad_request', 'Send an object of kinds and true or false');
  end if;
  for v_key, v_value in select * from jsonb_each(p_patch) loop
    if not (v_key = any (v_kinds)) then
      perform private.fail_field(v_key, 'This kind of email is not sent to you');
    end if;
    if jsonb_typeof(v_value) <> 'boolean' then
      perform private.fail_field(v_key, 'Choose on or off');
    end if;
  end loop;
  insert into public.email_preferences (user_id) values (v_actor) on conflict (user_id) do nothing;
  update public.email_preferences e set
    inspection_scheduled = coalesce((p_patch ->> 'inspection_scheduled')::boolean, e.inspection_scheduled),
    inspection_report_ready = coalesce((p_patch ->> 'inspection_report_ready')::boolean, e.inspection_report_ready),
    inspection_completed = coalesce((p_patch ->> 'inspection_completed')::boolean, e.inspection_completed),
    thread_message = coalesce((p_patch ->> 'thread_message')::boolean, e.thread_message),
    approval_digest = coalesce((p_patch ->> 'approval_digest')::boolean, e.approval_digest)
  where e.user_id = v_actor;
  return jsonb_build_object('preferences', private.email_preferences_json(v_actor, v_role));
end;
$function$;

CREATE OR REPLACE FUNCTION public.engine_create(p_data jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  r public.engines := jsonb_populate_record(null::public.engines,
    private.pick(p_data, array['code', 'name_ko', 'name_zh', 'name_en', 'description', 'active']));
  v public.engines;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  insert into public.engines (code, name_ko, name_zh, name_en, description, active)
  values (r.code, r.name_ko, r.name_zh, r.name_en, r.description, coalesce(r.active, true))
  returning * into v;
  return to_jsonb(v);
end;
$function$;

CREATE OR REPLACE FUNCTION public.engine_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select to_jsonb(e) into v from public.engines e where e.id = p_id;
  if v is null then perform private.fail('not_found', 'Engine not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.engine_update(p_id uuid, p_patch jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.engines;
  r public.engines;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  select * into cur from public.engines where id = p_id for update;
  if not found then perform private.fail('not_found', 'Engine not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name_ko', 'name_zh', 'name_en', 'description', 'active']));
  update public.engines
  set code = r.code, name_ko = r.name_ko, name_zh = r.name_zh, name_en = r.name_en, description = r.description, active = r.active
  where id = p_id
  returning * into r;
  return to_jsonb(r);
end;
$function$;

CREATE OR REPLACE FUNCTION public.engines_list(p_active boolean DEFAULT NULL::boolean, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.code)
      from (select * from public.engines where p_active is null or active = p_active order by code limit p_limit offset v_offset) e
    ), '[]'::jsonb),
    'count', (select count(*) from public.engines where p_active is null or active = p_active),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_approve(p_id uuid, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'flows:approve');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'approved', 'submitted');
  if v_flow.created_by = v_actor then
    perform private.fail('forbidden', 'The creator of a flow cannot approve it');
  end if;
  update public.flows set status = 'approved', approved_by = v_actor, approved_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_cancel(p_id uuid, p_reason text DEFAULT NULL::text, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'cancelled', 'draft', 'submitted', 'approved');
  -- Once approved, only those who may approve may cancel.
  if v_flow.status = 'approved' and private.actor_role(p_actor) not in ('admin', 'manager') then
    perform private.fail('forbidden', 'Only a manager can cancel an approved flow');
  end if;
  update public.flows
  set status = 'cancelled', cancelled_by = v_actor, cancelled_at = now(), cancel_reason = nullif(trim(p_reason), '')
  where id = p_id;
  return private.flow_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_commit(p_id uuid, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'flows:commit');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_short record;
  -- The flow's movements in ledger order (line, then from before to): a transfer has two per line.
  v_line_ids uuid[];
  v_items uuid[];
  v_locations uuid[];
  v_deltas numeric[];
begin
  perform private.require_status(v_flow, 'committed', 'approved');

  select coalesce(array_agg(fl.id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(fl.item_id order by fl.line_no, d.seq), '{}'),
         coalesce(array_agg(d.location_id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(d.delta order by fl.line_no, d.seq), '{}')
  into v_line_ids, v_items, v_locations, v_deltas
  from public.flow_lines fl
  cross join lateral (
    values
      (case when v_flow.kind in ('outbound', 'transfer') then v_flow.from_location_id end, -fl.qty, 1),
      (case when v_flow.kind in ('inbound', 'transfer', 'adjustment') then v_flow.to_location_id end, fl.qty, 2)
  ) as d(location_id, delta, seq)
  where fl.flow_id = p_id and d.location_id is not null;

  -- Stock rows to be, created empty where missing (in lock order), then locked in that order.
  insert into public.stocks (item_id, location_id, on_hand)
  select distinct m.item_id, m.location_id, 0 from unnest(v_items, v_locations) as m(item_id, location_id) order by 1, 2
  on conflict do nothing;
  perform 1 from public.stocks s
  where (s.item_id, s.location_id) in (select m.item_id, m.location_id from unnest(v_items, v_locations) as m(item_id, location_id))
  order by s.item_id, s.location_id
  for update;

  select d.item_id, d.location_id, s.on_hand as available, -sum(d.delta) as requested
  into v_short
  from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
  join public.stocks s on s.item_id = d.item_id and s.location_id = d.location_id
  group by d.item_id, d.location_id, s.on_hand
  having s.on_hand + sum(d.delta) < 0
  order by d.item_id, d.location_id
  limit 1;
  if found then
    perform private.fail('insufficient_stock', 'Not enough stock to commit this flow',
      jsonb_build_object('item_id', v_short.item_id, 'location_id', v_short.location_id,
        'available', v_short.available, 'requested', v_short.requested,
        'sku', (select sku from public.items where id = v_short.item_id),
        'location_code', (select code from public.locations where id = v_short.location_id)));
  end if;

  -- The ledger rows, each with the running balance of its stock row (from the locked on_hand),
  -- in ledger order; then each stock row moves by the sum of its movements.
  insert into public.stock_movements (flow_id, flow_line_id, item_id, location_id, delta, balance_after, actor_id)
  select p_id, m.flow_line_id, m.item_id, m.location_id, m.delta,
         s.on_hand + sum(m.delta) over (partition by m.item_id, m.location_id order by m.ord), v_actor
  from unnest(v_line_ids, v_items, v_locations, v_deltas) with ordinality as m(flow_line_id, item_id, location_id, delta, ord)
  join public.stocks s on s.item_id = m.item_id and s.location_id = m.location_id
  order by m.ord;
  update public.stocks s set on_hand = s.on_hand + m.delta, updated_at = now()
  from (select d.item_id, d.location_id, sum(d.delta) as delta
        from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
        group by d.item_id, d.location_id) m
  where s.item_id = m.item_id and s.location_id = m.location_id;

  -- Item totals (a transfer's two movements cancel out), and a low-stock notice when this commit
  -- takes an item from at or above its reorder point to below it.
  with changed as (
    select d.item_id, sum(d.delta) as delta from unnest(v_items, v_deltas) as d(item_id, delta)
    group by d.item_id having sum(d.delta) <> 0
  ), updated as (
    insert into public.item_stock_totals as t (item_id, on_hand, updated_at)
    select c.item_id, c.delta, now() from changed c
    order by c.item_id
    on conflict (item_id) do update set on_hand = t.on_hand + excluded.on_hand, updated_at = now()
    returning t.item_id, t.on_hand
  )
  insert into public.notifications (kind, item_id, payload)
  select 'low_stock', u.item_id, jsonb_build_object(
    'sku', i.sku, 'name_ko', i.name_ko, 'on_hand', u.on_hand, 'reorder_point', i.reorder_point,
    'flow_id', p_id, 'flow_number', v_flow.number)
  from updated u
  join changed c on c.item_id = u.item_id
  join public.items i on i.id = u.item_id
  where u.on_hand < i.reorder_point and u.on_hand - c.delta >= i.reorder_point;

  update public.flows set status = 'committed', committed_by = v_actor, committed_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_counts(p_flow_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_flow_id is null or not exists (select 1 from public.flows f where f.id = p_flow_id) then
    perform private.fail('not_found', 'Flow not found');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'item_id', r.item_id,
             'expected_qty', (r.resolved ->> 'on_hand')::numeric,
             'counted_qty', (r.resolved ->> 'qty')::numeric) order by r.row_no)
    from public.imports i
    join public.import_rows r on r.import_id = i.id
    join public.flows f on f.id = i.flow_id
    where i.flow_id = p_flow_id and i.kind = 'stocktake' and f.kind = 'adjustment'
      and r.status in ('new', 'changed') and (r.resolved ->> 'counted')::boolean), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_create(p_kind text, p_lines jsonb, p_from_location_id uuid DEFAULT NULL::uuid, p_to_location_id uuid DEFAULT NULL::uuid, p_customer_id uuid DEFAULT NULL::uuid, p_partner text DEFAULT NULL::text, p_reference text DEFAULT NULL::text, p_note text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v_flow public.flows;
begin
  if p_kind not in ('inbound', 'outbound', 'transfer', 'adjustment') then
    perform private.fail('validation_failed', 'Unknown flow kind', jsonb_build_object('kind', p_kind));
  end if;
  if p_lines is null or jsonb_typeof(p_lines) <> 'array' or jsonb_array_length(p_lines) = 0 then
    perform private.fail('validation_failed', 'A new flow needs at least one line',
      jsonb_build_array(jsonb_build_object('path', 'lines', 'message', 'At least one line')));
  end if;
  perform private.check_flow_refs(p_from_location_id, p_to_location_id, p_customer_id);
  insert into public.flows (number, kind, from_location_id, to_location_id, customer_id, partner, reference, note, created_by)
  values (private.next_flow_number(p_kind), p_kind, p_from_location_id, p_to_location_id, p_customer_id,
          nullif(trim(p_partner), ''), nullif(trim(p_reference), ''), nullif(trim(p_note), ''), v_actor)
  returning * into v_flow;
  perform private.flow_set_lines(v_flow, p_lines);
  return private.flow_json(v_flow.id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  v := private.flow_json(p_id);
  if v is null then perform private.fail('not_found', 'Flow not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_reverse(p_id uuid, p_note text DEFAULT NULL::text, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_new public.flows;
  v_kind text;
begin
  perform private.require_status(v_flow, 'reversed', 'committed');
  if exists (select 1 from public.flows where reversal_of = p_id and status <> 'cancelled') then
    perform private.fail('conflict', 'This flow already has a reversal');
  end if;
  v_kind := case v_flow.kind when 'inbound' then 'outbound' when 'outbound' then 'inbound' else v_flow.kind end;
  insert into public.flows (number, kind, from_location_id, to_location_id, customer_id, partner, reference, note, reversal_of, created_by)
  values (
    private.next_flow_number(v_kind), v_kind,
    case v_flow.kind when 'inbound' then v_flow.to_location_id when 'transfer' then v_flow.to_location_id end,
    case v_flow.kind when 'outbound' then v_flow.from_location_id when 'transfer' then v_flow.from_location_id
                     when 'adjustment' then v_flow.to_location_id end,
    v_flow.customer_id, v_flow.partner, v_flow.number,
    coalesce(nullif(trim(p_note), ''), 'Reversal of ' || v_flow.number), p_id, v_actor)
  returning * into v_new;
  insert into public.flow_lines (flow_id, line_no, item_id, qty)
  select v_new.id, line_no, item_id, case when v_flow.kind = 'adjustment' then -qty else qty end
  from public.flow_lines where flow_id = p_id;
  return private.flow_json(v_new.id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_submit(p_id uuid, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
begin
  perform private.require_status(v_flow, 'submitted', 'draft');
  if not exists (select 1 from public.flow_lines where flow_id = p_id) then
    perform private.fail('validation_failed', 'A flow needs at least one line before it is submitted');
  end if;
  update public.flows set status = 'submitted', submitted_by = v_actor, submitted_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flow_update(p_id uuid, p_patch jsonb, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_flow public.flows;
  r public.flows;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  v_flow := private.lock_flow(p_id, p_kind);
  perform private.require_status(v_flow, 'edited', 'draft');
  r := jsonb_populate_record(v_flow, private.pick(p_patch,
    array['from_location_id', 'to_location_id', 'customer_id', 'partner', 'reference', 'note']));
  perform private.check_flow_refs(r.from_location_id, r.to_location_id, r.customer_id);
  update public.flows
  set from_location_id = r.from_location_id, to_location_id = r.to_location_id, customer_id = r.customer_id,
      partner = nullif(trim(r.partner), ''), reference = nullif(trim(r.reference), ''), note = nullif(trim(r.note), '')
  where id = p_id
  returning * into v_flow;
  if p_patch ? 'lines' then
    perform private.flow_set_lines(v_flow, p_patch -> 'lines');
  end if;
  return private.flow_json(p_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flows_export(p_kind text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_q text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_customer_id uuid DEFAULT NULL::uuid, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select json_agg(json_build_object(
      'number', x.number, 'kind', x.kind, 'status', x.status, 'created_at', x.created_at,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'to_location_code', (select l.code from public.locations l where l.id = x.to_location_id),
      'customer_name', (select c.name from public.customers c where c.id = x.customer_id),
      'partner', x.partner, 'reference', x.reference, 'note', x.note,
      'created_by_name', (select p.display_name from public.profiles p where p.id = x.created_by),
      'submitted_at', x.submitted_at, 'approved_at', x.approved_at, 'committed_at', x.committed_at, 'cancelled_at', x.cancelled_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.*, coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join public.flow_lines fl on fl.flow_id = f.id
    where (p_kind is null or f.kind = p_kind)
      and (p_status is null or f.status = p_status)
      and (p_customer_id is null or f.customer_id = p_customer_id)
      and (p_from is null or f.created_at >= p_from)
      and (p_to is null or f.created_at < p_to)
      and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.flows_list(p_kind text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_q text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_customer_id uuid DEFAULT NULL::uuid, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(f) || jsonb_build_object(
          'from_location_code', (select l.code from public.locations l where l.id = f.from_location_id),
          'to_location_code', (select l.code from public.locations l where l.id = f.to_location_id),
          'customer_name', (select c.name from public.customers c where c.id = f.customer_id),
          'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
          'line_count', (select count(*) from public.flow_lines fl where fl.flow_id = f.id),
          'total_qty', (select coalesce(sum(abs(fl.qty)), 0) from public.flow_lines fl where fl.flow_id = f.id),
          'short_lines', case when f.status in ('draft', 'submitted', 'approved') and f.kind <> 'inbound'
                              then jsonb_array_length(private.flow_shortfalls(f.id)) else 0 end)
        order by f.created_at desc, f.number desc)
      from (
        select * from public.flows f
        where (p_kind is null or f.kind = p_kind)
          and (p_status is null or f.status = p_status)
          and (p_customer_id is null or f.customer_id = p_customer_id)
          and (p_from is null or f.created_at >= p_from)
          and (p_to is null or f.created_at < p_to)
          and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
        order by f.created_at desc, f.number desc
        limit p_limit offset v_offset) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.flows f
      where (p_kind is null or f.kind = p_kind)
        and (p_status is null or f.status = p_status)
        and (p_customer_id is null or f.customer_id = p_customer_id)
        and (p_from is null or f.created_at >= p_from)
        and (p_to is null or f.created_at < p_to)
        and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.import_count_sheet(p_location_id uuid, p_after_sku text DEFAULT NULL::text, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if not exists (select 1 from public.locations l where l.id = p_location_id) then
    perform private.fail('not_found', 'Location not found');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en,
                                        'unit', x.unit, 'on_hand', x.on_hand) order by x.sku)
    from (select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, coalesce(s.on_hand, 0) as on_hand
          from public.items i left join public.stocks s on s.item_id = i.id and s.location_id = p_location_id
          where i.active and (p_after_sku is null or i.sku > p_after_sku)
          order by i.sku limit least(greatest(coalesce(p_limit, 2000), 1), 5000)) x), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.import_mapping_get(p_kind text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read');
begin
  return coalesce((select m.mapping from public.import_mappings m where m.user_id = v_actor and m.kind = p_kind), '{}'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.import_upload_begin(p_id uuid, p_storage_path text, p_file_name text, p_size bigint, p_expires_at timestamp with time zone, p_actor uuid DEFAULT NULL::uuid)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
begin
  if p_id is null or p_storage_path is null or p_expires_at is null then
    perform private.fail('bad_request', 'An upload needs its id, path and expiry');
  end if;
  insert into public.import_uploads (id, user_id, storage_path, file_name, size_bytes, expires_at)
  values (p_id, v_actor, p_storage_path, left(coalesce(nullif(p_file_name, ''), 'import'), 255), coalesce(p_size, 0), p_expires_at);
end;
$function$;

CREATE OR REPLACE FUNCTION public.import_upload_taken(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v_count int;
begin
  delete from public.import_uploads u where u.id = p_id and u.user_id = v_actor;
  get diagnostics v_count = row_count;
  return v_count > 0;
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_cancel(p_id uuid, p_reason text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v public.inspection_applications := private.inspection_for_write(p_id, case when v_staff then null else private.actor_customer_id(p_actor) end);
  v_reason text := nullif(trim(p_reason), '');
begin
  if v_staff then
    perform private.inspection_require_status(v, 'cancelled', 'submitted', 'scheduled', 'in_progress', 'report_ready');
  else
    perform private.inspection_require_status(v, 'cancelled by the customer', 'submitted');
  end if;
  if char_length(v_reason) > 500 then
    perform private.fail_field('reason', 'At most 500 characters');
  end if;
  update public.inspection_applications
  set status = 'cancelled', cancelled_at = now(), cancelled_by = v_actor, cancel_reason = v_reason
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'cancelled', v_actor, jsonb_build_object('reason', v_reason));
  return private.inspection_json(p_id, v_staff, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_complete(p_id uuid, p_result text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'completed', 'report_ready');
  if p_result is null or p_result not in ('pass', 'fail', 'pending') then
    perform private.fail_field('result', 'Choose pass, fail or pending');
  end if;
  update public.inspection_applications set status = 'completed', completed_at = now(), result = p_result
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'completed', v_actor, jsonb_build_object('result', p_result));
  return private.inspection_json(p_id, true, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_create(p_data jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_own uuid := private.actor_customer_id(p_actor);
  r public.inspection_applications := jsonb_populate_record(null::public.inspection_applications,
    private.pick(p_data, array['customer_id', 'product', 'quantity', 'factory_name', 'factory_address', 'factory_contact',
      'inspection_type', 'requested_date', 'notes']));
  v public.inspection_applications;
begin
  if v_staff then
    if r.customer_id is null then
      perform private.fail_field('customer_id', 'Choose the customer');
    end if;
    if not exists (select 1 from public.customers c where c.id = r.customer_id and c.active) then
      perform private.fail_field('customer_id', 'Customer not found or inactive');
    end if;
  else
    -- A customer applies for their own company only; naming another is "not found".
    if r.customer_id is not null and r.customer_id <> v_own then
      perform private.fail('not_found', 'Customer not found');
    end if;
    r.customer_id := v_own;
  end if;
  if nullif(trim(r.product), '') is null then perform private.fail_field('product', 'Enter the product'); end if;
  if nullif(trim(r.factory_name), '') is null then perform private.fail_field('factory_name', 'Enter the factory'); end if;
  if r.inspection_type is null or r.inspection_type not in ('pre_production', 'during_production', 'pre_shipment', 'loading') then
    perform private.fail_field('inspection_type', 'Choose the inspection type');
  end if;
  if r.requested_date is null then perform private.fail_field('requested_date', 'Choose the requested date'); end if;

  insert into public.inspection_applications (number, customer_id, applicant_id, product, quantity, factory_name,
    factory_address, factory_contact, inspection_type, requested_date, notes)
  values (private.next_inspection_number(), r.customer_id, v_actor, trim(r.product), r.quantity, trim(r.factory_name),
    nullif(trim(r.factory_address), ''), nullif(trim(r.factory_contact), ''), r.inspection_type, r.requested_date,
    nullif(trim(r.notes), ''))
  returning * into v;
  perform private.inspection_event(v, 'submitted', v_actor);
  return private.inspection_json(v.id, v_staff, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v jsonb;
begin
  v := private.inspection_json(p_id, private.is_staff_role(private.actor_role(p_actor)), v_actor);
  if v is null then perform private.fail('not_found', 'Inspection not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_report(p_id uuid, p_result text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'marked report ready', 'in_progress');
  if p_result is not null and p_result not in ('pass', 'fail', 'pending') then
    perform private.fail_field('result', 'Choose pass, fail or pending');
  end if;
  update public.inspection_applications set status = 'report_ready', report_ready_at = now(), result = coalesce(p_result, result)
  where id = p_id returning * into v;
  perform private.inspection_event(v, 'report_ready', v_actor, jsonb_build_object('result', v.result));
  return private.inspection_json(p_id, true, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_schedule(p_id uuid, p_scheduled_date date, p_inspector_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
  v_was text := v.status;
begin
  perform private.inspection_require_status(v, 'scheduled', 'submitted', 'scheduled');
  if p_scheduled_date is null then
    perform private.fail_field('scheduled_date', 'Choose the inspection date');
  end if;
  if p_inspector_id is null or not exists (
      select 1 from public.profiles p where p.id = p_inspector_id and p.active and private.is_staff_role(p.role)) then
    perform private.fail_field('inspector_id', 'The inspector must be an active staff member');
  end if;
  update public.inspection_applications
  set status = 'scheduled', scheduled_date = p_scheduled_date, inspector_id = p_inspector_id,
      scheduled_at = case when v_was = 'submitted' then now() else scheduled_at end
  where id = p_id
  returning * into v;
  perform private.inspection_event(v, case when v_was = 'submitted' then 'scheduled' else 'rescheduled' end, v_actor,
    jsonb_build_object('scheduled_date', p_scheduled_date, 'inspector_name',
      (select p.display_name from public.profiles p where p.id = p_inspector_id)));
  return private.inspection_json(p_id, true, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_set_internal_notes(p_id uuid, p_internal_notes text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
  v_notes text := nullif(trim(p_internal_notes), '');
begin
  if char_length(v_notes) > 4000 then
    perform private.fail_field('internal_notes', 'At most 4000 characters');
  end if;
  if v_notes is distinct from v.internal_notes then
    update public.inspection_applications set internal_notes = v_notes where id = p_id returning * into v;
    perform private.inspection_event(v, 'notes_updated', v_actor, '{}'::jsonb, true);
  end if;
  return private.inspection_json(p_id, true, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspection_start(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write');
  v public.inspection_applications := private.inspection_for_write(p_id, null);
begin
  perform private.inspection_require_status(v, 'started', 'scheduled');
  update public.inspection_applications set status = 'in_progress', started_at = now() where id = p_id returning * into v;
  perform private.inspection_event(v, 'started', v_actor);
  return private.inspection_json(p_id, true, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspections_export(p_status text DEFAULT NULL::text, p_open boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_inspector_id uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_rows jsonb;
begin
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select jsonb_agg(jsonb_build_object(
      'number', x.number, 'status', x.status, 'inspection_type', x.inspection_type, 'customer_name', x.customer_name,
      'product', x.product, 'quantity', x.quantity, 'factory_name', x.factory_name, 'factory_address', x.factory_address,
      'requested_date', x.requested_date, 'scheduled_date', x.scheduled_date, 'result', x.result,
      'inspector_name', private.staff_display_name(x.inspector_id), 'notes', x.notes,
      'created_at', x.created_at, 'completed_at', x.completed_at, 'updated_at', x.updated_at)
      || case when v_staff then jsonb_build_object('internal_notes', private.inspection_internal_notes(x.id)) else '{}'::jsonb end
    order by x.created_at desc, x.number desc)
  into v_rows
  from (
    select i.id, i.number, i.status, i.inspection_type, c.name as customer_name, i.product, i.quantity, i.factory_name,
           i.factory_address, i.requested_date, i.scheduled_date, i.result, i.inspector_id, i.notes,
           i.created_at, i.completed_at, i.updated_at
    from public.inspection_applications i
    join public.customers c on c.id = i.customer_id
    where (v_staff or i.customer_id = v_customer)
      and (p_status is null or i.status = p_status)
      and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
      and (p_customer_id is null or i.customer_id = p_customer_id)
      and (p_inspector_id is null or i.inspector_id = p_inspector_id)
      and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
           or (v_staff and c.name ilike v_pattern))
      and (p_after is null or (i.created_at, i.number) < (v_at, v_number))
    order by i.created_at desc, i.number desc
    limit v_limit) x;
  return private.export_batch(v_rows::json, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.inspections_list(p_status text DEFAULT NULL::text, p_open boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_inspector_id uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_ids uuid[];
  v_count int;
begin
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select array_agg(x.id order by x.created_at desc, x.number desc) into v_ids
  from (
    select i.id, i.created_at, i.number from public.inspection_applications i
    join public.customers c on c.id = i.customer_id
    where (v_staff or i.customer_id = v_customer)
      and (p_status is null or i.status = p_status)
      and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
      and (p_customer_id is null or i.customer_id = p_customer_id)
      and (p_inspector_id is null or i.inspector_id = p_inspector_id)
      and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
           or (v_staff and c.name ilike v_pattern))
    order by i.created_at desc, i.number desc
    limit p_limit offset v_offset) x;
  select count(*) into v_count
  from public.inspection_applications i
  join public.customers c on c.id = i.customer_id
  where (v_staff or i.customer_id = v_customer)
    and (p_status is null or i.status = p_status)
    and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
    and (p_customer_id is null or i.customer_id = p_customer_id)
    and (p_inspector_id is null or i.inspector_id = p_inspector_id)
    and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
         or (v_staff and c.name ilike v_pattern));
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.inspection_json(u.id, v_staff, v_actor) - 'timeline' order by u.ord)
      from unnest(v_ids) with ordinality as u(id, ord)), '[]'::jsonb),
    'count', v_count, 'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.item_create(p_data jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  r public.items;
  v public.items;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  -- Before the record is built: building it rounds to the column's scale.
  perform private.check_item_numbers(p_data);
  r := jsonb_populate_record(null::public.items, private.pick(p_data,
    array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active']));
  insert into public.items (sku, name_ko, name_zh, name_en, unit, engine_id, reorder_point, unit_cost, customer_id, barcode, active)
  values (r.sku, r.name_ko, r.name_zh, r.name_en, coalesce(r.unit, 'EA'), r.engine_id, coalesce(r.reorder_point, 0),
          coalesce(r.unit_cost, 0), r.customer_id, r.barcode, coalesce(r.active, true))
  returning * into v;
  insert into public.item_stock_totals (item_id, on_hand) values (v.id, 0);
  return private.item_json(v);
end;
$function$;

CREATE OR REPLACE FUNCTION public.item_delete(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.items;
begin
  perform private.begin_action_for(p_actor, 'records:delete');
  select * into cur from public.items where id = p_id for update;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  if exists (select 1 from public.stocks where item_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'An item with stock on hand cannot be deleted',
      jsonb_build_object('on_hand', (select sum(on_hand) from public.stocks where item_id = p_id)));
  end if;
  if exists (select 1 from public.stocks where item_id = p_id)
     or exists (select 1 from public.flow_lines where item_id = p_id) then
    update public.items set active = false where id = p_id returning * into cur;
    return jsonb_build_object('deleted', false, 'deactivated', true, 'item', private.item_json(cur));
  end if;
  delete from public.items where id = p_id;
  return jsonb_build_object('deleted', true, 'deactivated', false, 'item', to_jsonb(cur));
end;
$function$;

CREATE OR REPLACE FUNCTION public.item_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  i public.items;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select * into i from public.items where id = p_id;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  return private.item_json(i) || jsonb_build_object('stocks', coalesce((
    select jsonb_agg(jsonb_build_object(
      'location_id', l.id, 'location_code', l.code, 'location_name', l.name, 'country', l.country,
      'on_hand', coalesce(s.on_hand, 0), 'updated_at', s.updated_at) order by l.code)
    from public.locations l
    left join public.stocks s on s.location_id = l.id and s.item_id = p_id
    where l.active or s.on_hand > 0
  ), '[]'::jsonb));
end;
$function$;

CREATE OR REPLACE FUNCTION public.item_update(p_id uuid, p_patch jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.items;
  r public.items;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  perform private.check_item_numbers(p_patch);
  select * into cur from public.items where id = p_id for update;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch,
    array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active']));
  if r.unit is distinct from cur.unit and exists (select 1 from public.stocks where item_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'The unit of an item in stock cannot change');
  end if;
  update public.items
  set sku = r.sku, name_ko = r.name_ko, name_zh = r.name_zh, name_en = r.name_en, unit = r.unit, engine_id = r.engine_id,
      reorder_point = r.reorder_point, unit_cost = r.unit_cost, customer_id = r.customer_id, barcode = r.barcode, active = r.active
  where id = p_id
  returning * into r;
  return private.item_json(r);
end;
$function$;

CREATE OR REPLACE FUNCTION public.items_export(p_q text DEFAULT NULL::text, p_engine_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_sort text DEFAULT 'sku'::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_desc boolean := left(coalesce(p_sort, 'sku'), 1) = '-';
  v_sort text := ltrim(coalesce(p_sort, 'sku'), '-');
  v_key text;
  v_field text;
  v_type text;
  v_where text := 'true';
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select k, f, t into v_key, v_field, v_type from (values
    ('sku', 'i.sku', 'sku', 'text'),
    ('name', 'i.name_ko', 'name_ko', 'text'),
    ('unit_cost', 'i.unit_cost', 'unit_cost', 'numeric'),
    ('on_hand', 'coalesce(t.on_hand, 0)', 'on_hand', 'numeric'),
    ('created_at', 'i.created_at', 'created_at', 'timestamptz'),
    ('updated_at', 'i.updated_at', 'updated_at', 'timestamptz')) s(name, k, f, t)
  where s.name = v_sort;
  if v_key is null then
    perform private.fail('bad_request', 'Unknown sort', jsonb_build_object('sort', p_sort));
  end if;
  if nullif(trim(p_q), '') is not null then
    v_where := v_where || ' and (i.sku ilike $1 or i.name_ko ilike $1 or i.name_zh ilike $1 or i.name_en ilike $1 or i.barcode = $5)';
  end if;
  if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $2'; end if;
  if p_active is not null then v_where := v_where || ' and i.active = $3'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $4'; end if;
  if p_after is not null then
    v_where := v_where || format(' and (%1$s %2$s ($6 ->> %3$L)::%4$s or (%1$s = ($6 ->> %3$L)::%4$s and i.sku > ($6 ->> ''sku'')))',
      v_key, case when v_desc then '<' else '>' end, v_field, v_type);
  end if;
  execute format(
    'select json_agg(json_build_object(
        ''id'', i.id, ''sku'', i.sku, ''name_ko'', i.name_ko, ''name_zh'', i.name_zh, ''name_en'', i.name_en, ''unit'', i.unit,
        ''engine_code'', e.code, ''barcode'', i.barcode, ''reorder_point'', i.reorder_point, ''unit_cost'', i.unit_cost,
        ''on_hand'', coalesce(t.on_hand, 0), ''customer_name'', c.name, ''active'', i.active,
        ''created_at'', i.created_at, ''updated_at'', i.updated_at) order by x.ord)
     from (select i.id, row_number() over (order by %2$s %3$s, i.sku) as ord
           from public.items i left join public.item_stock_totals t on t.item_id = i.id
           where %1$s order by %2$s %3$s, i.sku limit %4$s) x
     join public.items i on i.id = x.id
     left join public.item_stock_totals t on t.item_id = i.id
     left join public.engines e on e.id = i.engine_id
     left join public.customers c on c.id = i.customer_id',
    v_where, v_key, case when v_desc then 'desc' else 'asc' end, v_limit)
  into v_rows using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q), p_after;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.items_list(p_q text DEFAULT NULL::text, p_engine_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_sort text DEFAULT 'sku'::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_order text;
  v_where text := 'true';
  v_data jsonb;
  v_count bigint;
  v_exact boolean := true;
  v_plan json;
  v_ids uuid[];
begin
  perform private.begin_action_for(p_actor, 'records:read');
  v_order := case p_sort
    when 'sku' then 'i.sku asc'
    when '-sku' then 'i.sku desc'
    when 'name' then 'i.name_ko asc, i.sku asc'
    when '-name' then 'i.name_ko desc, i.sku asc'
    when 'unit_cost' then 'i.unit_cost asc, i.sku asc'
    when '-unit_cost' then 'i.unit_cost desc, i.sku asc'
    when 'on_hand' then 'coalesce(t.on_hand, 0) asc, i.sku asc'
    when '-on_hand' then 'coalesce(t.on_hand, 0) desc, i.sku asc'
    when 'created_at' then 'i.created_at asc, i.sku asc'
    when '-created_at' then 'i.created_at desc, i.sku asc'
    when 'updated_at' then 'i.updated_at asc, i.sku asc'
    when '-updated_at' then 'i.updated_at desc, i.sku asc'
  end;
  if v_order is null then
    perform private.fail('bad_request', 'Unknown sort', jsonb_build_object('sort', p_sort));
  end if;
  if nullif(trim(p_q), '') is not null then
    v_where := v_where || ' and (i.sku ilike $1 or i.name_ko ilike $1 or i.name_zh ilike $1 or i.name_en ilike $1 or i.barcode = $5)';
  end if;
  if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $2'; end if;
  if p_active is not null then v_where := v_where || ' and i.active = $3'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $4'; end if;

  -- Exact while at most 1,000 items match (a scan of at most 1,001); beyond that the planner's
  -- estimate from the table's statistics, never below 1,001, and count_exact says so. Counting
  -- every item of a large catalogue on every page cost more than the page itself.
  execute format('select count(*) from (select 1 from public.items i where %s limit 1001) x', v_where)
    into v_count using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  if v_count > 1000 then
    execute format('explain (format json) select 1 from public.items i where %s', v_where)
      into v_plan using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
    v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
    v_exact := false;
  end if;
  -- The page's ids first (an index can serve the order and the limit), then their rows.
  execute format(
    'select coalesce(array_agg(x.id), ''{}'') from (
       select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
       where %s order by %s limit %s offset %s) x',
    v_where, v_order, p_limit, v_offset)
    into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  select coalesce(jsonb_agg(to_jsonb(i) || jsonb_build_object('on_hand', coalesce(t.on_hand, 0), 'engine_code', e.code) order by p.ord), '[]'::jsonb)
  into v_data
  from unnest(v_ids) with ordinality as p(id, ord)
  join public.items i on i.id = p.id
  left join public.item_stock_totals t on t.item_id = i.id
  left join public.engines e on e.id = i.engine_id;
  return jsonb_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.ledger_export(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_before bigint := (p_after ->> 'id')::bigint;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  -- One row as json straight from the record: the cheapest way to a million objects.
  select json_agg(x order by x.id desc)
  into v_rows
  from (
    select m.id, m.created_at, f.number as flow_number, f.kind as flow_kind, i.sku, i.name_ko, l.code as location_code,
           m.delta, m.balance_after
    from (
      select m.id, m.flow_id, m.item_id, m.location_id, m.delta, m.balance_after, m.created_at
      from public.stock_movements m
      where (p_item_id is null or m.item_id = p_item_id)
        and (p_location_id is null or m.location_id = p_location_id)
        and (p_from is null or m.created_at >= p_from)
        and (p_to is null or m.created_at < p_to)
        and (v_before is null or m.id < v_before)
      order by m.id desc
      limit v_limit) m
    join public.flows f on f.id = m.flow_id
    join public.items i on i.id = m.item_id
    join public.locations l on l.id = m.location_id) x;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.ledger_export_text(p_format text, p_kinds jsonb DEFAULT NULL::jsonb, p_row integer DEFAULT 2, p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
 SET "DateStyle" TO 'ISO, YMD'
 SET extra_float_digits TO '1'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_before bigint := (p_after ->> 'id')::bigint;
  v_kinds jsonb := coalesce(p_kinds, '{}'::jsonb);
  v_text text;
  v_count int;
  v_last bigint;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_format is null or p_format not in ('csv', 'xlsx') then
    perform private.fail('bad_request', 'format must be csv or xlsx');
  end if;
  if p_row is null or p_row < 2 then
    perform private.fail('bad_request', 'row must be 2 or more');
  end if;

  select
    coalesce(
      string_agg(
        x.id::text || ',' || pg_catalog.date_trunc('second', x.created_at at time zone 'Asia/Seoul')::text || ','
          || private.csv_text(x.flow_number) || ',' || private.csv_text(x.flow_kind) || ','
          || private.csv_text(x.sku) || ',' || private.csv_text(x.name_ko) || ',' || private.csv_text(x.location_code) || ','
          || pg_catalog.trim_scale(x.delta)::text || ',' || pg_catalog.trim_scale(x.balance_after)::text || E'\n',
        '' order by x.id desc) filter (where p_format = 'csv'),
      string_agg(
        '<row r=''' || x.r || '''><c r=''A' || x.r || ''' s=''2''><v>' || x.id::text || '</v></c>'
          || private.xlsx_time('B' || x.r, x.created_at)
          || private.xlsx_str('C' || x.r, x.flow_number)
          || private.xlsx_str('D' || x.r, x.flow_kind)
          || private.xlsx_str('E' || x.r, x.sku)
          || private.xlsx_str('F' || x.r, x.name_ko)
          || private.xlsx_str('G' || x.r, x.location_code)
          || private.xlsx_qty('H' || x.r, x.delta)
          || private.xlsx_qty('I' || x.r, x.balance_after)
          || '</row>',
        '' order by x.id desc) filter (where p_format = 'xlsx')),
    count(*)::int,
    min(x.id)
  into v_text, v_count, v_last
  from (
    select m.id, m.created_at, f.number as flow_number, coalesce(v_kinds ->> f.kind, f.kind) as flow_kind, i.sku, i.name_ko,
           l.code as location_code, m.delta, m.balance_after,
           -- a window function also keeps this subquery whole, so x.* above are plain columns
           (p_row - 1 + row_number() over (order by m.id desc))::text as r
    from (
      select m.id, m.flow_id, m.item_id, m.location_id, m.delta, m.balance_after, m.created_at
      from public.stock_movements m
      where (p_item_id is null or m.item_id = p_item_id)
        and (p_location_id is null or m.location_id = p_location_id)
        and (p_from is null or m.created_at >= p_from)
        and (p_to is null or m.created_at < p_to)
        and (v_before is null or m.id < v_before)
      order by m.id desc
      limit v_limit) m
    join public.flows f on f.id = m.flow_id
    join public.items i on i.id = m.item_id
    join public.locations l on l.id = m.location_id) x;

  return json_build_object(
    'text', coalesce(v_text, ''),
    'count', v_count,
    'next', case when v_count = v_limit then json_build_object('id', v_last) end);
end;
$function$;

CREATE OR REPLACE FUNCTION public.ledger_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 50, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_rows jsonb;
  v_count int;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    perform private.fail('bad_request', 'limit must be between 1 and 200');
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', m.id, 'flow_id', m.flow_id, 'flow_line_id', m.flow_line_id, 'item_id', m.item_id, 'location_id', m.location_id,
      'delta', m.delta, 'balance_after', m.balance_after, 'actor_id', m.actor_id, 'created_at', m.created_at,
      'flow_number', f.number, 'flow_kind', f.kind, 'sku', i.sku, 'location_code', l.code) order by m.id desc), '[]'::jsonb),
    count(*)
  into v_rows, v_count
  from (
    select * from public.stock_movements m
    where (p_item_id is null or m.item_id = p_item_id)
      and (p_location_id is null or m.location_id = p_location_id)
      and (p_from is null or m.created_at >= p_from)
      and (p_to is null or m.created_at < p_to)
      and (p_before is null or m.id < p_before)
    order by m.id desc
    limit p_limit) m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id;
  return jsonb_build_object(
    'data', v_rows,
    'limit', p_limit,
    'next_before', case when v_count = p_limit then (v_rows -> (v_count - 1) ->> 'id')::bigint end);
end;
$function$;

CREATE OR REPLACE FUNCTION public.location_create(p_data jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  r public.locations := jsonb_populate_record(null::public.locations, private.pick(p_data, array['code', 'name', 'country', 'active']));
  v public.locations;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  insert into public.locations (code, name, country, active)
  values (r.code, r.name, r.country, coalesce(r.active, true))
  returning * into v;
  return to_jsonb(v);
end;
$function$;

CREATE OR REPLACE FUNCTION public.location_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  select to_jsonb(l) into v from public.locations l where l.id = p_id;
  if v is null then perform private.fail('not_found', 'Location not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.location_update(p_id uuid, p_patch jsonb, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cur public.locations;
  r public.locations;
begin
  perform private.begin_action_for(p_actor, 'records:write');
  select * into cur from public.locations where id = p_id for update;
  if not found then perform private.fail('not_found', 'Location not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name', 'country', 'active']));
  if cur.active and not r.active and exists (select 1 from public.stocks where location_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'A location that still holds stock cannot be deactivated');
  end if;
  update public.locations set code = r.code, name = r.name, country = r.country, active = r.active
  where id = p_id
  returning * into r;
  return to_jsonb(r);
end;
$function$;

CREATE OR REPLACE FUNCTION public.locations_list(p_active boolean DEFAULT NULL::boolean, p_country text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action_for(p_actor, 'records:read');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(l) order by l.code)
      from (select * from public.locations
            where (p_active is null or active = p_active) and (p_country is null or country = p_country)
            order by code limit p_limit offset v_offset) l
    ), '[]'::jsonb),
    'count', (select count(*) from public.locations
              where (p_active is null or active = p_active) and (p_country is null or country = p_country)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.message_send(p_inspection_id uuid, p_body text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_inspection public.inspection_applications;
  v_body text := trim(p_body);
  m public.messages;
begin
  select * into v_inspection from public.inspection_applications i
  where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer);
  if not found then perform private.fail('not_found', 'Inspection not found'); end if;
  if coalesce(char_length(v_body), 0) not between 1 and 4000 then
    perform private.fail_field('body', 'Write 1 to 4000 characters');
  end if;
  insert into public.messages (inspection_id, customer_id, sender_id, from_staff, body,
    read_by_staff_at, read_by_customer_at)
  values (v_inspection.id, v_inspection.customer_id, v_actor, v_staff, v_body,
    case when v_staff then now() end, case when not v_staff then now() end)
  returning * into m;
  return private.message_json(m.id, v_staff, v_actor);
end;
$function$;

CREATE OR REPLACE FUNCTION public.messages_list(p_inspection_id uuid, p_limit integer DEFAULT 200, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
begin
  if p_limit is null or p_limit < 1 or p_limit > 500 then
    perform private.fail('bad_request', 'limit must be between 1 and 500');
  end if;
  if not exists (select 1 from public.inspection_applications i
                 where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.message_json(m.id, v_staff, v_actor) order by m.created_at, m.id)
      from (select m.id, m.created_at from public.messages m
            where m.inspection_id = p_inspection_id and (v_staff or m.customer_id = v_customer)
            order by m.created_at desc, m.id desc limit p_limit) m), '[]'::jsonb),
    'count', (select count(*) from public.messages m where m.inspection_id = p_inspection_id and (v_staff or m.customer_id = v_customer)));
end;
$function$;

CREATE OR REPLACE FUNCTION public.messages_mark_read(p_inspection_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:write', 'own-records:write');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_count int;
begin
  if not exists (select 1 from public.inspection_applications i
                 where i.id = p_inspection_id and (v_staff or i.customer_id = v_customer)) then
    perform private.fail('not_found', 'Inspection not found');
  end if;
  if v_staff then
    update public.messages set read_by_staff_at = now()
    where inspection_id = p_inspection_id and not from_staff and read_by_staff_at is null;
  else
    update public.messages set read_by_customer_at = now()
    where inspection_id = p_inspection_id and customer_id = v_customer and from_staff and read_by_customer_at is null;
  end if;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inspection_id', p_inspection_id, 'marked', v_count);
end;
$function$;

CREATE OR REPLACE FUNCTION public.messages_unread(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'records:read', 'own-records:read');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_rows jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object('inspection_id', u.inspection_id, 'number', i.number, 'unread', u.n)
           order by u.latest desc), '[]'::jsonb)
  into v_rows
  from (
    select m.inspection_id, count(*) as n, max(m.created_at) as latest
    from public.messages m
    where case when v_staff then not m.from_staff and m.read_by_staff_at is null
               else m.from_staff and m.read_by_customer_at is null and m.customer_id = v_customer end
    group by m.inspection_id) u
  join public.inspection_applications i on i.id = u.inspection_id;
  return jsonb_build_object(
    'total', coalesce((select sum((r ->> 'unread')::int) from jsonb_array_elements(v_rows) r), 0),
    'inspections', v_rows);
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
  insert into public.notification_reads (notification_id, user_id)
  select n.id, v_actor from public.notifications n
  where v_ids is null or n.id = any (v_ids)
  on conflict (user_id, notification_id) do nothing;
  get diagnostics v_marked = row_count;
  return jsonb_build_object(
    'marked', v_marked,
    'unread', (
      select count(*) from public.notifications n
      where not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = v_actor)
    )
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.ops_maintenance_set(p_active boolean, p_message text DEFAULT NULL::text, p_ends_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'audit:read');
begin
  if p_active is null then
    perform private.fail_field('active', 'Required');
  end if;
  if char_length(p_message) > 500 then
    perform private.fail_field('message', 'At most 500 characters');
  end if;
  update public.ops_maintenance set
    active = p_active,
    message = case when p_active then nullif(trim(p_message), '') end,
    ends_at = case when p_active then p_ends_at end,
    updated_by = v_actor,
    updated_at = now()
  where id;
  return public.ops_maintenance_state();
end;
$function$;

CREATE OR REPLACE FUNCTION public.ops_status(p_since timestamp with time zone, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_since timestamptz := coalesce(p_since, now() - interval '24 hours');
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  return jsonb_build_object(
    -- Per hour: requests, 5xx, and the histogram (the page estimates p95 from it).
    'traffic', coalesce((
      with buckets as (
        select date_trunc('hour', m.minute) as hour, x.i, sum(x.v)::int as v
        from public.request_metrics m, unnest(m.histogram) with ordinality x (v, i)
        where m.minute >= v_since
        group by 1, 2
      ), totals as (
        select date_trunc('hour', minute) as hour, sum(requests)::bigint as requests, sum(errors_5xx)::bigint as errors_5xx
        from public.request_metrics where minute >= v_since
        group by 1
      )
      select jsonb_agg(jsonb_build_object('hour', t.hour, 'requests', t.requests, 'errors_5xx', t.errors_5xx,
                                          'histogram', (select jsonb_agg(b.v order by b.i) from buckets b where b.hour = t.hour))
                       order by t.hour)
      from totals t
    ), '[]'::jsonb),
    'samples', coalesce((
      select jsonb_agg(jsonb_build_object('at', s.sampled_at, 'connections', s.connections, 'max_connections', s.max_connections,
                                          'database_bytes', s.database_bytes) order by s.sampled_at)
      from public.ops_samples s where s.sampled_at >= v_since
    ), '[]'::jsonb),
    'alerts', coalesce((
      select jsonb_agg(to_jsonb(a) - 'created_at' - 'updated_at' order by a.rule) from public.ops_alerts a
    ), '[]'::jsonb),
    'history', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.created_at desc, e.id desc)
      from (select * from public.ops_alert_events order by created_at desc, id desc limit 50) e
    ), '[]'::jsonb),
    'backups', coalesce((
      select jsonb_agg(to_jsonb(b) order by b.finished_at desc)
      from (select * from public.ops_backups order by finished_at desc limit 10) b
    ), '[]'::jsonb),
    'last_backup', (select to_jsonb(b) from public.ops_backups b where b.kind = 'database' and b.ok order by b.finished_at desc limit 1),
    'jobs', coalesce((
      select jsonb_agg(to_jsonb(j) order by j.started_at desc, j.id desc)
      from (select * from public.ops_job_runs order by started_at desc, id desc limit 30) j
    ), '[]'::jsonb),
    'maintenance', public.ops_maintenance_state()
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.password_change(p_password text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_user uuid := private.begin_action_for(p_actor, 'profile:update');
begin
  perform private.password_apply(v_user, p_password, 'password_changed', v_user, false);
  return jsonb_build_object('user_id', v_user);
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_shipment_get(p_id uuid, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if exists (select 1 from public.flows f
             where f.id = p_id and f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft') then
    v := private.shipment_json(p_id);
  end if;
  if v is null then perform private.fail('not_found', 'Shipment not found'); end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_shipments(p_status text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.shipment_json(f.id) order by f.created_at desc, f.number desc)
      from (select f.id, f.created_at, f.number from public.flows f
            where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
              and (p_status is null or f.status = p_status)
            order by f.created_at desc, f.number desc limit p_limit offset v_offset) f), '[]'::jsonb),
    'count', (select count(*) from public.flows f
              where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
                and (p_status is null or f.status = p_status)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_shipments_export(p_status text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select json_agg(json_build_object(
      'number', x.number, 'status', x.status, 'reference', x.reference,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'created_at', x.created_at, 'committed_at', x.committed_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.number, f.status, f.reference, f.from_location_id, f.created_at, f.committed_at,
           coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join public.flow_lines fl on fl.flow_id = f.id
    where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
      and (p_status is null or f.status = p_status)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_stock(p_q text DEFAULT NULL::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_customer uuid;
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'on_hand', coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = i.id), 0),
          'locations', coalesce((
            select jsonb_agg(jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country, 'on_hand', s.on_hand) order by l.code)
            from public.stocks s join public.locations l on l.id = s.location_id
            where s.item_id = i.id and s.on_hand <> 0), '[]'::jsonb))
        order by i.sku)
      from (select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit from public.items i
            where i.customer_id = v_customer and i.active
              and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)
            order by i.sku limit p_limit offset v_offset) i), '[]'::jsonb),
    'count', (select count(*) from public.items i
              where i.customer_id = v_customer and i.active
                and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.portal_stock_export(p_q text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  select json_agg(json_build_object(
      'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
      'on_hand', coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = i.id), 0),
      'locations', (select string_agg(l.code || ' ' || trim_scale(s.on_hand)::text, ', ' order by l.code)
                    from public.stocks s join public.locations l on l.id = s.location_id
                    where s.item_id = i.id and s.on_hand <> 0))
    order by i.sku)
  into v_rows
  from (select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit from public.items i
        where i.customer_id = v_customer and i.active
          and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)
          and (p_after is null or i.sku > (p_after ->> 'sku'))
        order by i.sku limit v_limit) i;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.staff_directory(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'users:read');
  return coalesce((
    select jsonb_agg(jsonb_build_object('id', p.id, 'display_name', p.display_name, 'role', p.role)
      order by lower(p.display_name), p.id)
    from public.profiles p
    where p.active and p.customer_id is null and private.is_staff_role(p.role)), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.stocks_export(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_engine_id uuid DEFAULT NULL::uuid, p_low boolean DEFAULT false, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_code text := trim(p_q);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if coalesce(p_low, false) then
    select json_agg(json_build_object(
        'sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en, 'unit', x.unit,
        'location_code', null, 'location_name', null, 'on_hand', x.on_hand, 'item_on_hand', x.on_hand,
        'reorder_point', x.reorder_point, 'shortage', x.shortage, 'unit_cost', x.unit_cost, 'updated_at', x.updated_at)
      order by x.shortage desc, x.sku)
    into v_rows
    from (
      select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.reorder_point, i.unit_cost, t.on_hand, t.shortage, i.updated_at
      from public.item_stock_totals t join public.items i on i.id = t.item_id
      where t.shortage is not null
        and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
        and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
        and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
             or i.name_en ilike v_pattern or i.barcode = v_code)
        and (p_after is null or t.shortage < (p_after ->> 'shortage')::numeric
             or (t.shortage = (p_after ->> 'shortage')::numeric and i.sku > (p_after ->> 'sku')))
      order by t.shortage desc, i.sku
      limit v_limit) x;
    return private.export_batch(v_rows, v_limit);
  end if;
  select json_agg(json_build_object(
      'sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en, 'unit', x.unit,
      'location_code', x.location_code, 'location_name', x.location_name, 'on_hand', x.on_hand,
      'item_on_hand', x.item_on_hand, 'reorder_point', x.reorder_point,
      'shortage', case when x.reorder_point > 0 and x.item_on_hand < x.reorder_point then x.reorder_point - x.item_on_hand end,
      'unit_cost', x.unit_cost, 'updated_at', x.updated_at)
    order by x.sku, x.location_code)
  into v_rows
  from (
    select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, l.code as location_code, l.name as location_name, s.on_hand,
           coalesce(t.on_hand, 0) as item_on_hand, i.reorder_point, i.unit_cost, s.updated_at
    from public.stocks s
    join public.items i on i.id = s.item_id
    join public.locations l on l.id = s.location_id
    left join public.item_stock_totals t on t.item_id = s.item_id
    where (p_item_id is null or s.item_id = p_item_id)
      and (p_location_id is null or s.location_id = p_location_id)
      and (p_engine_id is null or i.engine_id = p_engine_id)
      and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
           or i.name_en ilike v_pattern or i.barcode = v_code)
      and (p_after is null or (i.sku, l.code) > (p_after ->> 'sku', p_after ->> 'location_code'))
    order by i.sku, l.code
    limit v_limit) x;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.stocks_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_engine_id uuid DEFAULT NULL::uuid, p_low boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_code text := trim(p_q);
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations): the rows of
    -- item_stock_totals whose shortage is set, read through its partial index, never all items.
    return jsonb_build_object(
      'data', coalesce((
        select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'reorder_point', i.reorder_point, 'on_hand', i.on_hand, 'shortage', i.shortage,
          'engine_id', i.engine_id, 'low', true,
          'locations', coalesce((select jsonb_agg(jsonb_build_object('location_id', s.location_id, 'location_code', l.code, 'on_hand', s.on_hand) order by l.code)
                                 from public.stocks s join public.locations l on l.id = s.location_id
                                 where s.item_id = i.id and (p_location_id is null or s.location_id = p_location_id)), '[]'::jsonb))
          order by i.shortage desc, i.sku)
        from (
          select i.*, t.on_hand, t.shortage from public.item_stock_totals t join public.items i on i.id = t.item_id
          where t.shortage is not null
            and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
            and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
            and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
                 or i.name_en ilike v_pattern or i.barcode = v_code)
          order by t.shortage desc, i.sku
          limit p_limit offset v_offset) i
      ), '[]'::jsonb),
      -- Without an engine or a search, the count needs no item: the low rows alone, from the
      -- partial index (every totals row has its item, so the join filtered nothing).
      'count', case when p_engine_id is null and not v_has_q then (
        select count(*) from public.item_stock_totals t
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id)))
      else (
        select count(*) from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)) end,
      'page', p_page, 'limit', p_limit);
  end if;

  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', x.item_id, 'location_id', x.location_id, 'on_hand', x.on_hand, 'updated_at', x.updated_at,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
        'engine_id', i.engine_id, 'reorder_point', i.reorder_point, 'unit_cost', i.unit_cost,
        'item_on_hand', coalesce(t.on_hand, 0), 'low', i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point,
        'location_code', l.code, 'location_name', l.name, 'country', l.country)
        order by i.sku, l.code)
      from (
        select s.* from public.stocks s
        join public.items i on i.id = s.item_id
        join public.locations l on l.id = s.location_id
        where (p_item_id is null or s.item_id = p_item_id)
          and (p_location_id is null or s.location_id = p_location_id)
          and (p_engine_id is null or i.engine_id = p_engine_id)
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)
        order by i.sku, l.code
        limit p_limit offset v_offset) x
      join public.items i on i.id = x.item_id
      join public.locations l on l.id = x.location_id
      left join public.item_stock_totals t on t.item_id = x.item_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.stocks s join public.items i on i.id = s.item_id
      where (p_item_id is null or s.item_id = p_item_id)
        and (p_location_id is null or s.location_id = p_location_id)
        and (p_engine_id is null or i.engine_id = p_engine_id)
        and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
             or i.name_en ilike v_pattern or i.barcode = v_code)),
    'page', p_page, 'limit', p_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.user_create_prepare(p_email text, p_display_name text DEFAULT NULL::text, p_role text DEFAULT NULL::text, p_customer_id uuid DEFAULT NULL::uuid, p_locale text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'users:manage');
  v_email text := lower(trim(p_email));
  v_name text := nullif(trim(p_display_name), '');
  v_locale text;
begin
  if v_email is null or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' or char_length(v_email) > 254 then
    perform private.fail_field('email', 'Enter a valid email address');
  end if;
  if p_role is null or p_role not in ('admin', 'manager', 'korean_team', 'chinese_staff', 'customer') then
    perform private.fail_field('role', 'Choose a role');
  end if;
  if char_length(v_name) > 100 then
    perform private.fail_field('display_name', 'At most 100 characters');
  end if;
  v_locale := coalesce(p_locale, case when p_role = 'chinese_staff' then 'zh' else 'ko' end);
  if v_locale not in ('ko', 'zh', 'en') then
    perform private.fail_field('locale', 'Choose ko, zh or en');
  end if;
  perform private.check_customer_link(p_role, p_customer_id);
  if exists (select 1 from public.profiles p where lower(p.email) = v_email)
     or exists (select 1 from auth.users u where lower(u.email) = v_email and u.deleted_at is null) then
    perform private.fail('conflict', 'A user with this email already exists',
      jsonb_build_array(jsonb_build_object('path', 'email', 'message', 'A user with this email already exists')));
  end if;
  return jsonb_build_object(
    'email', v_email,
    'display_name', coalesce(v_name, split_part(v_email, '@', 1)),
    'role', p_role,
    'customer_id', p_customer_id,
    'locale', v_locale,
    'created_by', v_actor
  );
end;
$function$;

CREATE OR REPLACE FUNCTION public.user_customer_options(p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform private.begin_action_for(p_actor, 'users:manage');
  return coalesce((
    select jsonb_agg(jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) order by c.name, c.code)
    from public.customers c
    where c.active
  ), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.user_get(p_id uuid DEFAULT NULL::uuid, p_email text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v jsonb;
begin
  perform private.begin_action_for(p_actor, 'users:manage');
  v := private.user_row(coalesce(p_id, (select p.id from public.profiles p where lower(p.email) = lower(trim(p_email)))));
  if v is null then
    perform private.fail('not_found', 'User not found');
  end if;
  return v;
end;
$function$;

CREATE OR REPLACE FUNCTION public.user_update(p_user_id uuid, p_role text DEFAULT NULL::text, p_customer_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_display_name text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_cur public.profiles;
  v_role text;
  v_name text := trim(p_display_name);
begin
  perform private.begin_action_for(p_actor, 'users:manage');
  select * into v_cur from public.profiles where id = p_user_id;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;
  if p_role is not null and p_role not in ('admin', 'manager', 'korean_team', 'chinese_staff', 'customer') then
    perform private.fail_field('role', 'Choose a role');
  end if;
  if v_name is not null and char_length(v_name) not between 1 and 100 then
    perform private.fail_field('display_name', 'Between 1 and 100 characters');
  end if;
  v_role := coalesce(p_role, v_cur.role);
  if p_role is not null or p_customer_id is not null then
    perform private.check_customer_link(
      v_role,
      case when v_role = 'customer' then coalesce(p_customer_id, v_cur.customer_id) else p_customer_id end,
      v_cur.customer_id
    );
  end if;

  if p_role is not null or p_customer_id is not null or p_active is not null then
    perform public.admin_set_user_access(p_user_id, p_role, p_customer_id, p_active, p_actor);
  end if;
  if v_name is not null and v_name is distinct from v_cur.display_name then
    update public.profiles set display_name = v_name where id = p_user_id;
  end if;
  return private.user_row(p_user_id);
end;
$function$;

CREATE OR REPLACE FUNCTION public.users_export(p_q text DEFAULT NULL::text, p_role text DEFAULT NULL::text, p_active boolean DEFAULT NULL::boolean, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'users:manage');
  select json_agg(json_build_object(
      'id', p.id, 'email', p.email, 'display_name', p.display_name, 'role', p.role,
      'customer_name', (select c.name from public.customers c where c.id = p.customer_id),
      'locale', p.locale, 'active', p.active, 'created_at', p.created_at)
    order by lower(p.email), p.id)
  into v_rows
  from (
    select * from public.profiles p
    where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
      and (p_role is null or p.role = p_role)
      and (p_active is null or p.active = p_active)
      and (p_after is null or (lower(p.email), p.id) > (lower(p_after ->> 'email'), (p_after ->> 'id')::uuid))
    order by lower(p.email), p.id
    limit v_limit) p;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

CREATE OR REPLACE FUNCTION public.users_list(p_q text DEFAULT NULL::text, p_role text DEFAULT NULL::text, p_active boolean DEFAULT NULL::boolean, p_page integer DEFAULT 1, p_limit integer DEFAULT 20, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action_for(p_actor, 'users:manage');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.user_row(f.id) order by f.ord)
      from (
        select p.id, row_number() over (order by lower(p.email), p.id) as ord
        from public.profiles p
        where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
          and (p_role is null or p.role = p_role)
          and (p_active is null or p.active = p_active)
        order by lower(p.email), p.id
        limit p_limit offset v_offset
      ) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.profiles p
      where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
        and (p_role is null or p.role = p_role)
        and (p_active is null or p.active = p_active)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$function$;

-- The operations tables of 20261207140100 let admins read them through the matrix too (the
-- status page's audit:read), not a role list.
drop policy "admins read request metrics" on public.request_metrics;
create policy "admins read request metrics" on public.request_metrics for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read alert states" on public.ops_alerts;
create policy "admins read alert states" on public.ops_alerts for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read alert history" on public.ops_alert_events;
create policy "admins read alert history" on public.ops_alert_events for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read job runs" on public.ops_job_runs;
create policy "admins read job runs" on public.ops_job_runs for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read backups" on public.ops_backups;
create policy "admins read backups" on public.ops_backups for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read samples" on public.ops_samples;
create policy "admins read samples" on public.ops_samples for select to authenticated
  using ((select private.may('audit:read')));
drop policy "admins read maintenance mode" on public.ops_maintenance;
create policy "admins read maintenance mode" on public.ops_maintenance for select to authenticated
  using ((select private.may('audit:read')));
