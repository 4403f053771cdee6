import { describe } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { databaseForSuite, type MakeDb, type TestDb } from "../helpers/test-db";
import { describeCatalog } from "./foundation/catalog";
import { describeCustomerPolicies } from "./foundation/customers";
import { describeFunctions } from "./foundation/functions";
import { describeProfilePolicies } from "./foundation/profiles";

// The foundation's database contract, run unchanged on PGlite and on real Postgres (the project
// chooses the engine: tests/helpers/contract-db.ts). One database per suite, opened before its
// tests and closed (dropped) after them.

function withDatabase(name: string, makeDb: MakeDb, body: (getDb: () => TestDb) => void) {
  describe(name, () => {
    body(databaseForSuite(makeDb));
  });
}

/** Policies on customers and profiles, per role both ways, and the catalog rules. */
function describeFoundationPolicies(makeDb: MakeDb) {
  withDatabase("foundation: policies and catalog", makeDb, (getDb) => {
    describeCustomerPolicies(getDb);
    describeProfilePolicies(getDb);
    describeCatalog(getDb);
  });
}

/** The functions the API calls, through the port and as SQL, and the transport's semantics. */
function describeFoundationFunctions(makeDb: MakeDb) {
  withDatabase("foundation: functions", makeDb, (getDb) => {
    describeFunctions(getDb);
  });
}

describeFoundationPolicies(contractDb);
describeFoundationFunctions(contractDb);
