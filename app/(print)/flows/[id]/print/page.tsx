import { loadStaffDocument } from "@/components/print/load-document";
import { PrintView, printMetadata, type PrintRouteProps } from "@/components/print/print-view";

export const generateMetadata = (props: PrintRouteProps) => printMetadata("staff:access", loadStaffDocument, props);

// /flows/[id]/print — a flow's printable document (delivery note, goods receipt, transfer note or
// stocktake adjustment sheet) for staff, with values; ?lang=ko|zh|en picks the language.
export default function FlowPrintPage(props: PrintRouteProps) {
  return <PrintView {...props} permission="staff:access" load={loadStaffDocument} selfHref={(id) => `/flows/${id}/print`} />;
}
