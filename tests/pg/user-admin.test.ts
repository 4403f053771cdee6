import { describeUserAdminContract } from "../db/user-admin-contract";
import { openPgTestDb } from "../helpers/pg";

describeUserAdminContract(openPgTestDb);
