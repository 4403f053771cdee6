import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth";
import { can } from "@/lib/auth/permissions";
import { MenuPanel } from "./menu-panel";
import { NavLinks } from "./nav-links";
import type { NavItem } from "./nav-items";
import { UserMenu } from "./user-menu";

/** The frame of every signed-in page: brand, the navigation the role may use, the user menu. */
export async function AppShell({ actor, nav, area, children }: { actor: Actor; nav: NavItem[]; area: "staff" | "portal"; children: React.ReactNode }) {
  const t = await getTranslations("common");
  const password = await getTranslations("password");
  const email = await getTranslations("email");
  const links = nav.filter((item) => can(actor.role, item.permission)).map((item) => ({ href: item.href, label: t(`nav.${item.key}`), badge: item.badge }));
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("skipToContent")}
      </a>
      {/* Wide screens: brand and user menu on one line, the navigation under them. Narrow ones: brand
          and a menu button only, the rest in the menu panel (menu-panel.tsx). */}
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5 lg:pb-0 lg:pt-3">
          <div className="flex min-w-0 items-center gap-3">
            <Link href={area === "staff" ? "/dashboard" : "/portal"} className="text-lg font-semibold text-slate-900">
              {t("appName")}
            </Link>
            <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{t(`area.${area}`)}</span>
          </div>
          <MenuPanel openLabel={t("menu.open")} closeLabel={t("menu.close")}>
            <NavLinks links={links} label={t("area." + area)} />
            <div className="lg:ml-auto">
              <UserMenu
                name={actor.displayName || actor.email}
                roleLabel={t(`roles.${actor.role}`)}
                locale={actor.locale}
                labels={{ signOut: t("user.signOut"), signOutEverywhere: t("user.signOutEverywhere"), language: t("user.language"), languageFailed: t("user.languageFailed"), menu: t("user.menu"), tokens: t("user.tokens"), password: password("menu"), email: email("preferences.title") }}
                tokensHref={area === "staff" ? "/account/tokens" : "/portal/account/tokens"}
                accountHref={area === "staff" ? "/account" : "/portal/account"}
                languages={{ ko: t("languages.ko"), zh: t("languages.zh"), en: t("languages.en") }}
              />
            </div>
          </MenuPanel>
        </div>
      </header>
      <main id="main" className="mx-auto min-w-0 max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
