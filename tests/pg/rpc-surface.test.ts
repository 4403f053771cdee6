import { describeRpcSurfaceContract } from "../db/rpc-surface-contract";
import { openPgTestDb } from "../helpers/pg";

describeRpcSurfaceContract(openPgTestDb);
