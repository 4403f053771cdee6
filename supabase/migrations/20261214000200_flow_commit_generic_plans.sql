-- flow_commit keeps one plan per statement for the connection's life.
--
-- Its statements take the flow's movements as arrays (unnest of line numbers, items, locations,
-- deltas). PL/pgSQL plans such a statement with the values of the call first, and because a plan
-- made for the actual arrays always looks cheaper than one made for any arrays, it went on
-- planning all eight statements again on every commit: half of the function's own time. Forced
-- generic plans are made once: the movements are joined to stocks by key, the same plan for one
-- line or hundreds (`perf` and pg_stat_user_functions on the 1M-row bench database,
-- docs/performance.md):
--   one-line outbound commit, own time per call: 1,489 -> 694 us; outbound cycles/s +28 %;
--   300-line outbound commit, whole call: 52.9 / 46.5 -> 37.3 ms.
-- The setting holds for the call (and the triggers it fires), not for the session.

alter function public.flow_commit(uuid, text, uuid) set plan_cache_mode = force_generic_plan;
