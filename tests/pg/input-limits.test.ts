import { describeInputLimitsContract } from "../db/input-limits-contract";
import { openPgTestDb } from "../helpers/pg";

describeInputLimitsContract(openPgTestDb);
