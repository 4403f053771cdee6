import { openPgliteTestDb } from "../helpers/pglite";
import { describeUserAdminContract } from "./user-admin-contract";

describeUserAdminContract(openPgliteTestDb);
