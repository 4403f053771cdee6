import { openPgliteTestDb } from "../helpers/pglite";
import { describeExportsContract } from "./exports-contract";

describeExportsContract(openPgliteTestDb);
