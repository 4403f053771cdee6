import { describe, expect, it } from "vitest";
import { ACTIONS, can, canAny, isStaff, landingPath, MATRIX, ROLES, STAFF_ROLES, type Action, type Role } from "@/lib/auth/permissions";

// The matrix from DESIGN §1, each rule both ways.

const allowed: Record<Role, Action[]> = {
  admin: ["staff:access", "users:manage", "users:read", "audit:read", "records:delete", "customers:delete", "flows:approve", "flows:commit"],
  manager: ["staff:access", "records:read", "records:write", "records:delete", "customers:write", "flows:approve", "flows:commit", "users:read"],
  korean_team: ["staff:access", "records:read", "records:write", "records:delete", "customers:write", "customers:delete"],
  chinese_staff: ["staff:access", "records:read", "records:write", "customers:read", "customers:write"],
  customer: ["portal:access", "own-records:read", "own-records:write"],
};

const denied: Record<Role, Action[]> = {
  admin: ["portal:access", "own-records:read", "own-records:write"],
  manager: ["users:manage", "audit:read", "portal:access"],
  korean_team: ["users:manage", "flows:approve", "flows:commit", "audit:read", "portal:access"],
  chinese_staff: ["records:delete", "customers:delete", "users:manage", "flows:approve", "flows:commit", "audit:read", "portal:access"],
  customer: ["staff:access", "records:read", "records:write", "records:delete", "customers:read", "users:read", "users:manage", "flows:approve", "audit:read"],
};

describe("can", () => {
  for (const role of ROLES) {
    it(`${role}: allowed ${allowed[role].join(", ")}`, () => {
      for (const action of allowed[role]) expect(can(role, action), `${role} ${action}`).toBe(true);
    });
    it(`${role}: denied ${denied[role].join(", ")}`, () => {
      for (const action of denied[role]) expect(can(role, action), `${role} ${action}`).toBe(false);
    });
  }

  it("every role reads and updates its own profile", () => {
    for (const role of ROLES) {
      expect(can(role, "profile:read")).toBe(true);
      expect(can(role, "profile:update")).toBe(true);
    }
  });

  it("only admin manages users and reads the audit trail", () => {
    expect(ROLES.filter((r) => can(r, "users:manage"))).toEqual(["admin"]);
    expect(ROLES.filter((r) => can(r, "audit:read"))).toEqual(["admin"]);
  });

  it("only admin and manager approve and commit flows", () => {
    expect(ROLES.filter((r) => can(r, "flows:approve"))).toEqual(["admin", "manager"]);
    expect(ROLES.filter((r) => can(r, "flows:commit"))).toEqual(["admin", "manager"]);
  });

  it("staff access and portal access never go together", () => {
    for (const role of ROLES) expect(can(role, "staff:access") && can(role, "portal:access"), role).toBe(false);
    expect(ROLES.filter((r) => can(r, "portal:access"))).toEqual(["customer"]);
  });

  it("a higher staff role may do everything a lower one may (admin ⊇ manager ⊇ korean_team ⊇ chinese_staff)", () => {
    const chain: Role[] = ["admin", "manager", "korean_team", "chinese_staff"];
    for (let i = 0; i + 1 < chain.length; i++) {
      for (const action of MATRIX[chain[i + 1]]) expect(can(chain[i], action), `${chain[i]} ${action}`).toBe(true);
    }
  });

  it("denies everything without a role", () => {
    for (const action of ACTIONS) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
    }
  });

  it("the matrix names only known actions", () => {
    for (const role of ROLES) for (const action of MATRIX[role]) expect(ACTIONS).toContain(action);
  });
});

describe("isStaff and landingPath", () => {
  it("staff are the four staff roles", () => {
    expect([...STAFF_ROLES].sort()).toEqual(["admin", "chinese_staff", "korean_team", "manager"]);
    for (const role of STAFF_ROLES) expect(isStaff(role)).toBe(true);
    expect(isStaff("customer")).toBe(false);
    expect(isStaff(null)).toBe(false);
    expect(isStaff(undefined)).toBe(false);
  });

  it("staff land on /dashboard, customers on /portal", () => {
    for (const role of STAFF_ROLES) expect(landingPath(role)).toBe("/dashboard");
    expect(landingPath("customer")).toBe("/portal");
  });
});

describe("canAny", () => {
  it("is true when the role may do at least one of the actions, false for none or an empty list", () => {
    expect(canAny("customer", ["records:read", "own-records:read"])).toBe(true);
    expect(canAny("chinese_staff", ["records:read", "own-records:read"])).toBe(true);
    expect(canAny("chinese_staff", ["records:delete", "flows:approve"])).toBe(false);
    expect(canAny("admin", [])).toBe(false);
    expect(canAny(null, ["profile:read"])).toBe(false);
    expect(canAny("manager", "flows:commit")).toBe(true);
  });
});
