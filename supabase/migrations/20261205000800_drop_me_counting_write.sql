-- me_counting_write is replaced by me_counting (20261205000400_read_limits.sql), which counts reads
-- and writes and gets the profile through public.me() and its session check. Nothing calls the old
-- function any more, and every function left on the authenticated surface is one more thing a
-- signed-in user may call directly (/rest/v1/rpc): drop it.

drop function if exists public.me_counting_write(int, int);
