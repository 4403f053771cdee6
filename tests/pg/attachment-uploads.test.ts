import { describeDirectUploads } from "../api/attachment-uploads-contract";
import { openPgTestDb } from "../helpers/pg";

describeDirectUploads(openPgTestDb);
