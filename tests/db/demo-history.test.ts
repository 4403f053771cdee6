import { openPgliteTestDb } from "../helpers/pglite";
import { describeDemoHistoryContract } from "./demo-history-contract";

describeDemoHistoryContract(openPgliteTestDb);
