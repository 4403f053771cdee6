import { openPgliteTestDb } from "../helpers/pglite";
import { describeRateLimitContract } from "./rate-limits-contract";

describeRateLimitContract(openPgliteTestDb);
