import { describeDemoHistoryContract } from "../db/demo-history-contract";
import { openPgTestDb } from "../helpers/pg";

describeDemoHistoryContract(openPgTestDb);
