import { openPgliteTestDb } from "../helpers/pglite";
import { describeSessionsContract } from "./sessions-contract";

describeSessionsContract(openPgliteTestDb);
