import { openPgliteTestDb } from "../helpers/pglite";
import { describeUnreadStream } from "./unread-stream-contract";

describeUnreadStream(openPgliteTestDb);
