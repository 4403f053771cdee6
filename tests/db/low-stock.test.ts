import { openPgliteTestDb } from "../helpers/pglite";
import { describeLowStockContract } from "./low-stock-contract";

describeLowStockContract(openPgliteTestDb);
