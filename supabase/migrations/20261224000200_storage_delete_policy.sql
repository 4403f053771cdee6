-- No storage object is removed with a user's own token, again.
--
-- 20261205000200_rpc_surface.sql dropped the delete policy on storage.objects: the server removes
-- an attachment's bytes with the service role, with its row and an audit row, and a user's token
-- that could delete objects directly could leave a row without its file, unrecorded.
-- 20261206070100_role_helpers.sql, rewriting every role check through private.may, re-created
-- that policy on Supabase (the only place with a storage schema), so since then admin, manager
-- and the Korean team could delete objects through Storage's API with their own tokens. The
-- attachments contract test missed it: it re-applied a hand-kept list of migrations' storage
-- parts that did not include that one. It now applies every migration's storage blocks in order.
do $storage$
begin
  if to_regclass('storage.objects') is null then
    return;
  end if;
  execute 'drop policy if exists "attachments: staff who may delete remove files" on storage.objects';
end;
$storage$;
