import { describeSessionsContract } from "../db/sessions-contract";
import { openPgTestDb } from "../helpers/pg";

describeSessionsContract(openPgTestDb);
