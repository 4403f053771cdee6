import { AreaMessages } from "@/components/shell/area-messages";
import "./print.css";

// Printable documents: outside the staff and portal shells, so nothing but the document (and a
// screen-only toolbar) is on the page. Each page checks who may open it.
export default function PrintLayout({ children }: { children: React.ReactNode }) {
  return (
    <AreaMessages area="print">
      <main className="print-root min-h-screen bg-slate-200 px-4 py-6">{children}</main>
    </AreaMessages>
  );
}
