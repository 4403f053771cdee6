import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const STATUS_TONE: Record<string, BadgeTone> = {
  submitted: "blue",
  scheduled: "purple",
  in_progress: "amber",
  report_ready: "amber",
  completed: "green",
  cancelled: "red",
};

const RESULT_TONE: Record<string, BadgeTone> = { pass: "green", fail: "red", pending: "gray" };

/** An application's status in the workflow colours, in the user's language. */
export function InspectionStatusBadge({ status }: { status: string }) {
  const t = useTranslations("inspections.statuses");
  return (
    <Badge tone={STATUS_TONE[status] ?? "gray"} testId="inspection-status">
      {t.has(status) ? t(status) : status}
    </Badge>
  );
}

export function InspectionResultBadge({ result }: { result: string }) {
  const t = useTranslations("inspections.results");
  return (
    <Badge tone={RESULT_TONE[result] ?? "gray"} testId="inspection-result">
      {t.has(result) ? t(result) : result}
    </Badge>
  );
}
