import { describeFoundationFunctions } from "../helpers/contract";
import { openPgliteTestDb } from "../helpers/pglite";

describeFoundationFunctions(openPgliteTestDb);
