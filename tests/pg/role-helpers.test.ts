import { describeRoleHelpersContract } from "../db/role-helpers-contract";
import { openPgTestDb } from "../helpers/pg";

describeRoleHelpersContract(openPgTestDb);
