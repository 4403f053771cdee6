import { can, type Role } from "@/lib/auth/permissions";
import type { FlowStatus } from "@/lib/schemas/flows";

// Which workflow buttons a user sees on a flow. The database functions enforce the same rules
// again; this only keeps the page from offering what would be refused.

export type FlowActionFlags = {
  edit: boolean;
  submit: boolean;
  approve: boolean;
  commit: boolean;
  cancel: boolean;
  reverse: boolean;
  /** A manager looking at their own submitted flow: someone else has to approve it. */
  ownFlowNeedsOtherApprover: boolean;
};

type FlowState = { status: FlowStatus; created_by: string | null; hasActiveReversal: boolean };
type User = { id: string; role: Role };

export function allowedActions(flow: FlowState, user: User): FlowActionFlags {
  const write = can(user.role, "records:write");
  const approver = can(user.role, "flows:approve");
  const isCreator = flow.created_by !== null && flow.created_by === user.id;
  return {
    edit: flow.status === "draft" && write,
    submit: flow.status === "draft" && write,
    approve: flow.status === "submitted" && approver && !isCreator,
    commit: flow.status === "approved" && can(user.role, "flows:commit"),
    // Once approved, only those who may approve may cancel (flow_cancel checks the same).
    cancel: ((flow.status === "draft" || flow.status === "submitted") && write) || (flow.status === "approved" && approver),
    reverse: flow.status === "committed" && write && !flow.hasActiveReversal,
    ownFlowNeedsOtherApprover: flow.status === "submitted" && approver && isCreator,
  };
}
