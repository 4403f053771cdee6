import { describeExportsContract } from "../db/exports-contract";
import { openPgTestDb } from "../helpers/pg";

describeExportsContract(openPgTestDb);
