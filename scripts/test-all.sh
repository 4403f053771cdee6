#!/usr/bin/env bash
# npm test: every suite. Vitest runs the unit and PGlite database tests, plus the real-Postgres
# suite when TEST_DATABASE_URL is set; then Playwright runs against a fresh production build.
set -euo pipefail

cd "$(dirname "$0")/.."

stage() { printf '\n==> %s\n' "$*"; }

started=$SECONDS

# The real-Postgres suite needs a local server; use the usual one when it is there and nothing
# else was chosen (a developer machine with Postgres on 5432 and a database named test).
if [[ -z "${TEST_DATABASE_URL:-}" ]] && command -v psql >/dev/null 2>&1 \
  && psql "postgres://postgres@127.0.0.1:5432/test" -tAc "select 1" >/dev/null 2>&1; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
fi

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  stage "vitest: unit, database (PGlite) and real-Postgres tests"
else
  stage "vitest: unit and database (PGlite) tests (real-Postgres suite skipped: TEST_DATABASE_URL is not set)"
fi
# The production build for the browser tests does not depend on vitest: it runs alongside (the
# build is mostly single-threaded and waits on the disk, so the two share the cores well), its
# output kept in a log shown only when it fails.
build_log="$(mktemp)"
SUPABASE_SERVICE_ROLE_KEY=duly-e2e-service-role-canary-5b0d7e2c9a41f6e3 npx next build > "$build_log" 2>&1 &
build_pid=$!
vitest_rc=0
npx vitest run || vitest_rc=$?
build_rc=0
wait "$build_pid" || build_rc=$?
if [[ "$vitest_rc" != 0 ]]; then exit "$vitest_rc"; fi
if [[ "$build_rc" != 0 ]]; then
  cat "$build_log" >&2
  exit "$build_rc"
fi
rm -f "$build_log"

stage "playwright: end-to-end tests against the production build built above (as npm run test:e2e does)"
npx playwright test

stage "all tests passed in $((SECONDS - started)) s"
