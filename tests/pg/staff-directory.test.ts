import { describeStaffDirectoryContract } from "../db/staff-directory-contract";
import { openPgTestDb } from "../helpers/pg";

describeStaffDirectoryContract(openPgTestDb);
