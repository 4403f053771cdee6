import { openPgliteTestDb } from "../helpers/pglite";
import { describeDirectUploads } from "./attachment-uploads-contract";

describeDirectUploads(openPgliteTestDb);
