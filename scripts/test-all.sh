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
npx vitest run

stage "playwright: end-to-end tests against the production build (npm run test:e2e)"
npm run test:e2e

stage "all tests passed in $((SECONDS - started)) s"
