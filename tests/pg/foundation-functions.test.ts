import { describeFoundationFunctions } from "../helpers/contract";
import { openPgTestDb } from "../helpers/pg";

describeFoundationFunctions(openPgTestDb);
