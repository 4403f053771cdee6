import { describe } from "vitest";
import { databaseForSuite, type MakeDb, type TestDb } from "../test-db";
import { describeCatalog } from "./catalog";
import { describeCustomerPolicies } from "./customers";
import { describeFunctions } from "./functions";
import { describeProfilePolicies } from "./profiles";

// The foundation's database contract, run unchanged on PGlite (tests/db) and on real Postgres
// (tests/pg): each test file passes the engine's makeDb. One database per suite, opened before
// its tests and closed (dropped) after them.

function withDatabase(name: string, makeDb: MakeDb, body: (getDb: () => TestDb) => void) {
  describe(name, () => {
    body(databaseForSuite(makeDb));
  });
}

/** Policies on customers and profiles, per role both ways, and the catalog rules. */
export function describeFoundationPolicies(makeDb: MakeDb) {
  withDatabase("foundation: policies and catalog", makeDb, (getDb) => {
    describeCustomerPolicies(getDb);
    describeProfilePolicies(getDb);
    describeCatalog(getDb);
  });
}

/** The functions the API calls, through the port and as SQL, and the transport's semantics. */
export function describeFoundationFunctions(makeDb: MakeDb) {
  withDatabase("foundation: functions", makeDb, (getDb) => {
    describeFunctions(getDb);
  });
}
