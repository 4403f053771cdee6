import { AppShell } from "@/components/shell/app-shell";
import { AreaMessages } from "@/components/shell/area-messages";
import { PORTAL_NAV } from "@/components/shell/nav-items";
import { requireActor } from "@/lib/auth/page";

// Every customer portal page: signed in as a customer (staff are sent to /dashboard).
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor("portal:access");
  return (
    <AreaMessages area="portal">
      <AppShell actor={actor} nav={PORTAL_NAV} area="portal">
        {children}
      </AppShell>
    </AreaMessages>
  );
}
