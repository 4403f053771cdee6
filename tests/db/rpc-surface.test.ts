import { openPgliteTestDb } from "../helpers/pglite";
import { describeRpcSurfaceContract } from "./rpc-surface-contract";

describeRpcSurfaceContract(openPgliteTestDb);
