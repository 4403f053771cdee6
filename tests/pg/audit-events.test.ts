import { describeAuditEventsContract } from "../db/audit-events-contract";
import { openPgTestDb } from "../helpers/pg";

describeAuditEventsContract(openPgTestDb);
