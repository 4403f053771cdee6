import { openPgliteTestDb } from "../helpers/pglite";
import { describeRoleHelpersContract } from "./role-helpers-contract";

describeRoleHelpersContract(openPgliteTestDb);
