import { describeInspectionContract } from "../db/inspections-contract";
import { openPgTestDb } from "../helpers/pg";

describeInspectionContract(openPgTestDb);
