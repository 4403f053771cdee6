import { describeLedgerExport } from "../api/ledger-export-contract";
import { openPgTestDb } from "../helpers/pg";

describeLedgerExport(openPgTestDb);
