import { openPgliteTestDb } from "../helpers/pglite";
import { describeImportsContract } from "./imports-contract";

describeImportsContract(openPgliteTestDb);
