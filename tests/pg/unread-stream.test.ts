import { describeUnreadStream } from "../api/unread-stream-contract";
import { openPgTestDb } from "../helpers/pg";

describeUnreadStream(openPgTestDb);
