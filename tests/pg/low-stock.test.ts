import { describeLowStockContract } from "../db/low-stock-contract";
import { openPgTestDb } from "../helpers/pg";

describeLowStockContract(openPgTestDb);
