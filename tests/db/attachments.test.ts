import { openPgliteTestDb } from "../helpers/pglite";
import { describeAttachmentsContract } from "./attachments-contract";

describeAttachmentsContract(openPgliteTestDb);
