// Browser tests run in parallel workers, each against its own production server and data folder,
// so no test sees another's writes or sign-outs. Worker N (Playwright's TEST_PARALLEL_INDEX, which
// stays the same when a worker is replaced after a failure) talks to the server on E2E_PORT + N.

export const E2E_BASE_PORT = Number(process.env.E2E_PORT ?? 3210);

/** How many workers, hence servers: E2E_WORKERS, else 2 (this machine's cores). */
export const E2E_WORKERS = Math.max(1, Number(process.env.E2E_WORKERS ?? 2));

/** The port of the server this worker uses (the first one in the runner process itself). */
export function e2ePort(): number {
  return E2E_BASE_PORT + Number(process.env.TEST_PARALLEL_INDEX ?? 0);
}
