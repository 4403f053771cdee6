"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { formatQty } from "@/lib/format";
import { isLocale, itemName } from "@/lib/i18n/locales";
import { api } from "@/components/toolkit/api";
import type { PickedItem } from "./form-types";

const SEARCH_DELAY_MS = 200;

/** The code a scanner (or a person) typed matches this item exactly: barcode, or SKU ignoring case. */
function exactMatch(items: PickedItem[], code: string): PickedItem | undefined {
  const lower = code.toLowerCase();
  return items.find((i) => i.barcode === code) ?? items.find((i) => i.sku.toLowerCase() === lower);
}

/**
 * Item search for flow lines, also the target of a barcode scanner. A scanner types the code fast
 * and presses Enter: Enter (with no option highlighted) looks the code up exactly and adds the
 * item at once, so scanning the same code again only raises its quantity.
 */
export function ItemPicker({ onPick, invalid }: { onPick: (item: PickedItem) => void; invalid?: boolean }) {
  const t = useTranslations("flows.form");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PickedItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [message, setMessage] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  // Every search or lookup takes a ticket; answers for an older ticket are dropped, so a slow
  // search can never reopen the list after a scan has already added its item.
  const ticket = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (q === "") return;
    const mine = ++ticket.current;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await api<PickedItem[]>("GET", `/api/v1/items?active=true&limit=8&q=${encodeURIComponent(q)}`, { signal: controller.signal });
        if (mine !== ticket.current) return;
        if (!res.ok) {
          setMessage(t("searchFailed"));
          return;
        }
        setResults(res.data);
        setActive(-1);
        setOpen(true);
        setMessage(res.data.length === 0 ? t("noResults") : "");
      } catch {
        // Aborted: a newer query replaced this one.
      }
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, t]);

  function reset() {
    ticket.current++;
    setQuery("");
    setResults([]);
    setOpen(false);
    setActive(-1);
  }

  function pick(item: PickedItem) {
    onPick(item);
    reset();
    setMessage(t("added", { sku: item.sku }));
    inputRef.current?.focus();
  }

  async function lookUpExact(code: string) {
    const mine = ++ticket.current;
    const res = await api<PickedItem[]>("GET", `/api/v1/items?active=true&limit=25&q=${encodeURIComponent(code)}`);
    if (mine !== ticket.current) return;
    if (!res.ok) {
      setMessage(t("searchFailed"));
      return;
    }
    const item = exactMatch(res.data, code);
    if (item) {
      pick(item);
      return;
    }
    setResults(res.data);
    setOpen(res.data.length > 0);
    setMessage(t("noExactMatch", { code }));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (results.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a + step + results.length) % results.length);
    } else if (e.key === "Escape") {
      setOpen(false);
      setActive(-1);
    } else if (e.key === "Enter") {
      // Never submit the form from here: a scanner's Enter means "add this item".
      e.preventDefault();
      if (open && active >= 0 && results[active]) pick(results[active]);
      else if (query.trim() !== "") void lookUpExact(query.trim());
    }
  }

  const showList = open && results.length > 0;
  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="block text-sm font-medium text-slate-800">
        {t("itemSearch")}
      </label>
      <input
        ref={inputRef}
        id={`${id}-input`}
        type="search"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${id}-opt-${active}` : undefined}
        aria-describedby={`${id}-hint ${id}-status`}
        aria-invalid={invalid || undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          if (e.target.value.trim() === "") reset();
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => results.length > 0 && setOpen(true)}
        placeholder={t("itemSearchPlaceholder")}
        className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        data-testid="item-search"
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">
        {t("itemSearchHint")}
      </p>
      <p id={`${id}-status`} role="status" className="mt-1 min-h-4 text-xs text-slate-800">
        {message}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label={t("itemResults")}
        hidden={!showList}
        className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-300 bg-white py-1 text-sm shadow-lg"
      >
        {results.map((item, i) => (
          <li
            key={item.id}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the input keeps focus and its blur does not close the list first.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(item);
            }}
            className={`flex cursor-pointer justify-between gap-3 px-3 py-2 ${i === active ? "bg-brand-50" : "hover:bg-slate-100"}`}
          >
            <span>
              <span className="font-mono text-slate-900">{item.sku}</span> <span className="text-slate-800">{itemName(item, locale)}</span>
            </span>
            <span className="whitespace-nowrap text-slate-700">
              {t("onHand", { qty: formatQty(Number(item.on_hand ?? 0), locale), unit: item.unit })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
