"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { UnreadBadge } from "@/components/messages/unread-badge";

export function NavLinks({ links, label }: { links: { href: string; label: string; badge?: "unread" }[]; label: string }) {
  const pathname = usePathname();
  // The longest matching link is the current one (/portal must not stay current on /portal/stock).
  const current = links
    .filter((link) => pathname === link.href || pathname.startsWith(`${link.href}/`))
    .reduce<string | null>((best, link) => (best === null || link.href.length > best.length ? link.href : best), null);
  return (
    // Narrow screens: two columns in the menu panel. Wide: one row under the header's top line,
    // wrapping rather than scrolling, so every entry stays in sight.
    <nav aria-label={label} className="lg:order-last lg:basis-full">
      <ul className="grid grid-cols-2 gap-1 text-sm lg:flex lg:flex-wrap lg:pb-2">
        {links.map((link) => {
          const active = link.href === current;
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap rounded-md px-3 py-2 lg:py-1.5 ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {link.label}
                {link.badge === "unread" ? <UnreadBadge /> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
