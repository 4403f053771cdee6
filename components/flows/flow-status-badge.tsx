import { useTranslations } from "next-intl";
import { Badge, FLOW_STATUS_TONE } from "@/components/ui/badge";

/** A flow's status in the shared workflow colours, in the user's language. */
export function FlowStatusBadge({ status }: { status: string }) {
  const t = useTranslations("flows.statuses");
  return (
    <Badge tone={FLOW_STATUS_TONE[status] ?? "gray"} testId="flow-status">
      {t.has(status) ? t(status) : status}
    </Badge>
  );
}
