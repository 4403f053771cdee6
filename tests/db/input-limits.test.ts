import { openPgliteTestDb } from "../helpers/pglite";
import { describeInputLimitsContract } from "./input-limits-contract";

describeInputLimitsContract(openPgliteTestDb);
