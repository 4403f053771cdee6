import { describeFlowHintsContract } from "../db/flow-hints-contract";
import { openPgTestDb } from "../helpers/pg";

describeFlowHintsContract(openPgTestDb);
