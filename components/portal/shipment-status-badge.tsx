import { useTranslations } from "next-intl";
import { Badge, FLOW_STATUS_TONE } from "@/components/ui/badge";

/** A shipment's status as the customer reads it (committed = shipped). */
export function ShipmentStatusBadge({ status }: { status: string }) {
  const t = useTranslations("portal.shipments.statuses");
  return (
    <Badge tone={FLOW_STATUS_TONE[status] ?? "gray"} testId="shipment-status">
      {t.has(status) ? t(status) : status}
    </Badge>
  );
}
