import { describeFoundationPolicies } from "../helpers/contract";
import { openPgliteTestDb } from "../helpers/pglite";

describeFoundationPolicies(openPgliteTestDb);
