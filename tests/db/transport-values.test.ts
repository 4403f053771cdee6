import { openPgliteTestDb } from "../helpers/pglite";
import { describeTransportValuesContract } from "./transport-values-contract";

describeTransportValuesContract(openPgliteTestDb);
