import { describeTransportValuesContract } from "../db/transport-values-contract";
import { openPgTestDb } from "../helpers/pg";

describeTransportValuesContract(openPgTestDb);
