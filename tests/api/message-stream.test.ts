import { openPgliteTestDb } from "../helpers/pglite";
import { describeMessageStream } from "./message-stream-contract";

describeMessageStream(openPgliteTestDb);
