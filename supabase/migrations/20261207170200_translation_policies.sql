-- Who reads a cached translation, decided once per row by one function (20261207160100 had the
-- policy look into translation_sources itself, filtering on columns no index leads and calling
-- the readability check outside a sub-select):
-- - translations: staff, or whoever may read one of the originals it was made for
--   (private.translation_readable, which looks at the sources as the definer);
-- - translation_sources (which record a translation was made for): staff only. Customers never
--   need the rows: they read translations through the policy above and the API.

create or replace function private.translation_readable(p_translation_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.translation_sources s
    where s.translation_id = p_translation_id
      and private.translation_source_readable(s.source_type, s.source_id, s.field)
  )
$$;
revoke all on function private.translation_readable(uuid) from public;
grant execute on function private.translation_readable(uuid) to authenticated, service_role;

drop policy "readers of an original read its translations" on public.translations;
create policy "readers of an original read its translations" on public.translations for select to authenticated
  using ((select private.may('records:read')) or (select private.translation_readable(translations.id)));

drop policy "readers of an original read what its translations were made for" on public.translation_sources;
create policy "staff read what translations were made for" on public.translation_sources for select to authenticated
  using ((select private.may('records:read')));
