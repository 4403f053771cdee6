import { describeMessageStream } from "../api/message-stream-contract";
import { openPgTestDb } from "../helpers/pg";

describeMessageStream(openPgTestDb);
