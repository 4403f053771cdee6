-- private.profile_json inlined where it is called, as 20261223000100 meant it to be.
--
-- 20261223000100 removed the function's `SET search_path` so that the planner would inline it,
-- but it stayed declared IMMUTABLE, and its body is not: jsonb_build_object is STABLE (a
-- timestamptz's text depends on the session's time zone). The planner inlines a SQL function
-- only when its body is no more volatile than its declaration, so it never was: public.me(),
-- which every API request calls through public.me_counting, and private.user_row, once per row
-- of the users' list, still parsed and planned its body on each call. STABLE is what it is.

alter function private.profile_json(public.profiles) stable;
