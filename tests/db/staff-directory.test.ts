import { openPgliteTestDb } from "../helpers/pglite";
import { describeStaffDirectoryContract } from "./staff-directory-contract";

describeStaffDirectoryContract(openPgliteTestDb);
