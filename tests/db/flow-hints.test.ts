import { openPgliteTestDb } from "../helpers/pglite";
import { describeFlowHintsContract } from "./flow-hints-contract";

describeFlowHintsContract(openPgliteTestDb);
