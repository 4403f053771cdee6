-- Attachments: the functions the API calls around stored files (inspection reports, photos,
-- customers' documents), and on Supabase the private `attachments` bucket with policies on
-- storage.objects that mirror the ownership of the attachment rows.
--
-- Access intent
--   A file is stored first (by the server, through the storage port in lib/storage), then its
--   metadata is registered here; attachment_prepare runs every check of attachment_register
--   before any byte is stored, so a refused upload stores nothing.
--   Staff (every staff role: records:write) attach reports, photos and documents to any
--     customer or inspection, optionally marked internal (never shown to customers).
--   Customers attach documents to their own company or their own company's inspections, and
--     read their own company's attachments except internal ones. Another company's attachment
--     or inspection is `not_found`, exactly like one that does not exist.
--   Deleting: admin, manager, korean_team (records:delete). A customer asking to delete an
--     attachment they cannot read gets not_found, one they can read gets forbidden.
--   anon: nothing.
--   Reads (list, get) run as the caller (security invoker): with a user's own session the RLS
--   policies of 20261122000700 apply on top of the explicit checks here. Writes are security
--   definer and re-check the actor's role whatever the API checked.
--   This file is idempotent (create or replace, drop policy if exists) so that it can be applied
--   again, e.g. by the tests after they add a stand-in storage schema.

-- ---------------------------------------------------------------------------------------------
-- Shared pieces
-- ---------------------------------------------------------------------------------------------

-- The company of the acting user when they are a customer (null for staff). Works for the
-- service role acting for a user (p_actor) as well as for a user's own session. (Its own name,
-- not 20261122000710's private.actor_customer_id: replacing that one from here would override
-- whatever it becomes.)
create or replace function private.attachment_actor_company(p_actor uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.customer_id from public.profiles p
  where p.id = private.actor(p_actor) and p.active and p.role = 'customer'
$$;
revoke all on function private.attachment_actor_company(uuid) from public;
grant execute on function private.attachment_actor_company(uuid) to authenticated, service_role;

-- An attachment as the API shows it. Security invoker and only the columns granted to
-- authenticated: called from a user's session it reads through RLS like any other query.
-- The storage path is included for the server (downloads); the API does not return it.
create or replace function private.attachment_json(p_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
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
    'uploaded_by_name', private.staff_display_name(a.uploaded_by),
    'created_at', a.created_at)
  from public.attachments a
  where a.id = p_id
$$;
revoke all on function private.attachment_json(uuid) from public;
grant execute on function private.attachment_json(uuid) to authenticated, service_role;

-- Where a new file goes and whether the actor may put it there. Returns the owning customer.
-- Raises forbidden (customer naming another company, a customer uploading a staff kind or an
-- internal file), not_found (an inspection or customer the actor cannot see), or a field error.
create or replace function private.attachment_target(
  p_actor uuid,
  p_customer_id uuid,
  p_inspection_id uuid,
  p_kind text,
  p_internal boolean
)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_role text := private.actor_role(p_actor);
  v_mine uuid := private.attachment_actor_company(p_actor);
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
$$;
revoke all on function private.attachment_target(uuid, uuid, uuid, text, boolean) from public;

-- ---------------------------------------------------------------------------------------------
-- attachment_prepare: every check of attachment_register, before the bytes are stored.
-- Writes nothing; returns the owning customer and a fresh storage path "<customer>/<uuid>".
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_prepare(
  p_kind text,
  p_customer_id uuid default null,
  p_inspection_id uuid default null,
  p_internal boolean default false,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_customer uuid;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_customer := private.attachment_target(p_actor, p_customer_id, p_inspection_id, p_kind, p_internal);
  return jsonb_build_object(
    'customer_id', v_customer,
    'inspection_id', p_inspection_id,
    'storage_path', v_customer::text || '/' || gen_random_uuid()::text);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_register: the metadata of a file the server has just stored
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_register(
  p_storage_path text,
  p_file_name text,
  p_content_type text,
  p_size_bytes bigint,
  p_sha256 text,
  p_kind text,
  p_customer_id uuid default null,
  p_inspection_id uuid default null,
  p_internal boolean default false,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
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
$$;

-- ---------------------------------------------------------------------------------------------
-- attachments_list: an inspection's files, a customer's files, or (staff) all of them
-- ---------------------------------------------------------------------------------------------
-- Customers: only their own company (another company's customer id is forbidden, another
-- company's inspection not_found) and never internal files.

create or replace function public.attachments_list(
  p_inspection_id uuid default null,
  p_customer_id uuid default null,
  p_kind text default null,
  p_page int default 1,
  p_limit int default 20,
  p_actor uuid default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_role text;
  v_mine uuid;
  v_customer uuid := p_customer_id;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
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
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_get: one attachment (another company's, or an internal one for a customer, is
-- not_found)
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_role text;
  v_mine uuid;
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
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
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_delete: removes the metadata and returns it (the server then removes the bytes)
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_delete(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
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
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team');
  v := private.attachment_json(p_id);
  delete from public.attachments a where a.id = p_id;
  return v;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: signed-in users (the functions check the role) and the server; never anon
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.attachment_prepare(text, uuid, uuid, boolean, uuid),
  public.attachment_register(text, text, text, bigint, text, text, uuid, uuid, boolean, uuid),
  public.attachments_list(uuid, uuid, text, int, int, uuid),
  public.attachment_get(uuid, uuid),
  public.attachment_delete(uuid, uuid)
from public, anon;

grant execute on function
  public.attachment_prepare(text, uuid, uuid, boolean, uuid),
  public.attachment_register(text, text, text, bigint, text, text, uuid, uuid, boolean, uuid),
  public.attachments_list(uuid, uuid, text, int, int, uuid),
  public.attachment_get(uuid, uuid),
  public.attachment_delete(uuid, uuid)
to authenticated, service_role;

-- Write requests with an Idempotency-Key run these through rpc_idempotent.
insert into private.idempotent_functions (name) values ('attachment_register'), ('attachment_delete')
on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Supabase Storage: private bucket `attachments` and policies mirroring the attachment rows
-- ---------------------------------------------------------------------------------------------
-- The server reads and writes the bucket with the service role, after the checks above; these
-- policies are the second wall for anyone talking to Storage with a user's JWT (and the rule
-- for signed URLs created on a user's behalf). Object names are the rows' storage paths,
-- "<customer id>/<uuid>".
--   select: the user may read the attachment row of that path (staff: all; customers: their
--           company's, not internal).
--   insert: staff anywhere; customers only under their own company's folder.
--   delete: admin, manager, korean_team.
--   update: nobody (stored files are never changed).

create or replace function private.attachment_path_readable(p_path text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.attachments a
    where a.storage_path = p_path
      and ((select private.is_staff()) or (a.customer_id = (select private.my_customer_id()) and not a.internal)))
$$;
revoke all on function private.attachment_path_readable(text) from public;
grant execute on function private.attachment_path_readable(text) to authenticated, service_role;

-- Plain Postgres and PGlite (supabase/shim.sql) have no `storage` schema: files live in a local
-- folder there (lib/storage/local.ts) and this block does nothing, so the migration applies
-- unchanged everywhere.
do $storage$
begin
  if to_regclass('storage.buckets') is null or to_regclass('storage.objects') is null then
    raise notice 'attachments: no storage schema, bucket and storage policies skipped';
    return;
  end if;

  execute $sql$
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('attachments', 'attachments', false, 20971520, array['application/pdf', 'image/jpeg', 'image/png', 'image/webp',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'])
    on conflict (id) do update set public = false, file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types
  $sql$;

  execute 'drop policy if exists "attachments: read files of readable records" on storage.objects';
  execute $sql$
    create policy "attachments: read files of readable records"
      on storage.objects for select to authenticated
      using (bucket_id = 'attachments' and private.attachment_path_readable(name))
  $sql$;

  execute 'drop policy if exists "attachments: staff anywhere, customers in their own folder" on storage.objects';
  execute $sql$
    create policy "attachments: staff anywhere, customers in their own folder"
      on storage.objects for insert to authenticated
      with check (bucket_id = 'attachments'
        and ((select private.is_staff()) or split_part(name, '/', 1) = (select private.my_customer_id())::text))
  $sql$;

  execute 'drop policy if exists "attachments: staff who may delete remove files" on storage.objects';
  execute $sql$
    create policy "attachments: staff who may delete remove files"
      on storage.objects for delete to authenticated
      using (bucket_id = 'attachments' and (select private.has_role('admin', 'manager', 'korean_team')))
  $sql$;
end;
$storage$;
