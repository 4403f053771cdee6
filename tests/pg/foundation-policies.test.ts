import { describeFoundationPolicies } from "../helpers/contract";
import { openPgTestDb } from "../helpers/pg";

describeFoundationPolicies(openPgTestDb);
