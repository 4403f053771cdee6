import { openPgliteTestDb } from "../helpers/pglite";
import { describeLedgerExport } from "./ledger-export-contract";

describeLedgerExport(openPgliteTestDb);
