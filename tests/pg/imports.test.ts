import { describeImportsContract } from "../db/imports-contract";
import { openPgTestDb } from "../helpers/pg";

describeImportsContract(openPgTestDb);
