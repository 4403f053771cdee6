-- The token-reading policy asks the permission matrix (private.may) instead of naming the admin
-- role, as every other policy does since 20261206070100_role_helpers: who sees everyone's tokens
-- is whoever may manage users, decided in one place.
drop policy "Users read their own tokens, admins every token" on public.personal_access_tokens;
create policy "Users read their own tokens, admins every token"
  on public.personal_access_tokens for select to authenticated
  using (user_id = (select private.actor(null)) or (select private.may('users:manage')));
