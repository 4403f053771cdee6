import "server-only";
import type { Caller } from "@/lib/db";
import { listEngines, type Engine } from "@/lib/data/engines";
import { listLocations, type Location } from "@/lib/data/locations";
import { itemName, type Locale } from "@/lib/i18n/locales";

// Engines and locations as choices in filters and forms. There are a handful of each, so one
// page of 100 is all of them.

export function engineLabel(engine: Pick<Engine, "code" | "name_ko" | "name_zh" | "name_en">, locale: Locale): string {
  return `${itemName(engine, locale)} (${engine.code})`;
}

export async function engineChoices(as: Caller, locale: Locale) {
  const { data } = await listEngines(as, { page: 1, limit: 100 });
  return {
    engines: data,
    options: data.map((e: Engine) => ({ value: e.id, label: engineLabel(e, locale) })),
  };
}

export async function locationChoices(as: Caller) {
  const { data } = await listLocations(as, { page: 1, limit: 100 });
  return data.map((l: Location) => ({ value: l.id, label: `${l.code} · ${l.name}` }));
}
