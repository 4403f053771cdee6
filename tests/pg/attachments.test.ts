import { describeAttachmentsContract } from "../db/attachments-contract";
import { openPgTestDb } from "../helpers/pg";

describeAttachmentsContract(openPgTestDb);
