import { openPgliteTestDb } from "../helpers/pglite";
import { describeInspectionContract } from "./inspections-contract";

describeInspectionContract(openPgliteTestDb);
