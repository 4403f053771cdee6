import { openPgliteTestDb } from "../helpers/pglite";
import { describeAuditEventsContract } from "./audit-events-contract";

describeAuditEventsContract(openPgliteTestDb);
