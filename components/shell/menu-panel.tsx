"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

type Props = { openLabel: string; closeLabel: string; children: React.ReactNode };

/**
 * The navigation and user menu of narrow screens, behind a menu button (a disclosure). Below the
 * `lg` breakpoint the panel opens under the header row and pushes the page down; from `lg` up the
 * button is gone and the panel is `display: contents`, so its children sit in the header as on a
 * desktop. Opening moves focus into the panel; Escape closes it and gives focus back to the
 * button; following a link closes it.
 */
export function MenuPanel({ openLabel, closeLabel, children }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  // A navigation (also by the browser's back button) closes the menu.
  if (pathname !== shownPath) {
    setShownPath(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    // The current page's link if there is one, else the first thing to use.
    const target = panel.current?.querySelector<HTMLElement>('a[aria-current="page"]') ?? panel.current?.querySelector<HTMLElement>("a, button, select");
    target?.focus();
    function onKey(e: KeyboardEvent) {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="ml-auto inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50 lg:hidden"
        data-testid="menu-button"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
        </svg>
        <span>{open ? closeLabel : openLabel}</span>
      </button>
      <div
        ref={panel}
        id={id}
        // A click on a link closes the menu even when it leads to the page already open.
        onClick={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
        className={`${open ? "flex" : "hidden"} w-full basis-full flex-col gap-3 border-t border-slate-200 pt-3 lg:contents`}
        data-testid="menu-panel"
      >
        {children}
      </div>
    </>
  );
}
