import { AppShell } from "@/components/shell/app-shell";
import { AreaMessages } from "@/components/shell/area-messages";
import { STAFF_NAV, TRANSLATION_NAV } from "@/components/shell/nav-items";
import { translationEnabled } from "@/components/translation/load";
import { requireActor } from "@/lib/auth/page";

// Every staff page: signed in with a staff role (customers are sent to /portal).
export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor("staff:access");
  return (
    <AreaMessages area="staff">
      <AppShell actor={actor} nav={translationEnabled() ? [...STAFF_NAV, TRANSLATION_NAV] : STAFF_NAV} area="staff">
        {children}
      </AppShell>
    </AreaMessages>
  );
}
