import { loadCustomerDocument } from "@/components/print/load-document";
import { PrintView, printMetadata, type PrintRouteProps } from "@/components/print/print-view";

export const generateMetadata = (props: PrintRouteProps) => printMetadata("portal:access", loadCustomerDocument, props);

// /portal/shipments/[id]/print — the delivery note of one of the customer's own shipments (no
// costs, no internal notes); another company's id is the not-found page with status 404.
export default function ShipmentPrintPage(props: PrintRouteProps) {
  return <PrintView {...props} permission="portal:access" load={loadCustomerDocument} selfHref={(id) => `/portal/shipments/${id}/print`} />;
}
