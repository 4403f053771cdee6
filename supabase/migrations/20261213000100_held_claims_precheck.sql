-- private.held runs on every checked call (begin_action) and in the role helpers the policies use.
-- It parsed the token's claims twice on each of them (auth.role() and auth.jwt() each cast the
-- whole claims text to jsonb), although almost no caller is held. Now a caller whose profile is
-- not flagged and whose claims text does not contain "recovery" is answered without parsing.
--
-- The text test can only let more callers through to the full check, never fewer: the claims are
-- the verified token's JSON as PostgREST (Supabase) or lib/auth (embedded) serialises it, where
-- the amr method "recovery" is written as those plain letters. Anything else that contains the
-- word (an email, a name) just takes the full check, with the same answer as before.

create or replace function private.held(p_must_change boolean)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  if not coalesce(p_must_change, false)
    and strpos(coalesce(current_setting('request.jwt.claims', true), '') || coalesce(current_setting('request.jwt.claim', true), ''), 'recovery') = 0 then
    return false;
  end if;
  return auth.role() is distinct from 'service_role'
    and (coalesce(p_must_change, false) or coalesce(auth.jwt() -> 'amr' @> '[{"method": "recovery"}]'::jsonb, false));
end;
$$;
revoke all on function private.held(boolean) from public, anon;
grant execute on function private.held(boolean) to authenticated, service_role;
