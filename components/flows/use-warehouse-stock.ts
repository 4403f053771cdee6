"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "@/components/toolkit/api";

type ItemStocks = { stocks: { location_id: string; on_hand: number | string }[] };

/** On hand per warehouse of one item; `undefined` while it loads or if it could not be read. */
export type StockByWarehouse = Record<string, Record<string, number> | undefined>;

/**
 * Stock per warehouse of the form's items, read once per item (GET /api/v1/items/:id), so
 * changing the warehouse shows that warehouse's stock at once, without asking again.
 */
export function useWarehouseStock(itemIds: string[]): StockByWarehouse {
  const [stock, setStock] = useState<StockByWarehouse>({});
  // Items asked for already (answered or not), so each is read once.
  const asked = useRef(new Set<string>());
  const key = itemIds.filter((id) => !(id in stock)).join(",");

  useEffect(() => {
    if (key === "") return;
    const ids = key.split(",").filter((id) => !asked.current.has(id));
    // Not aborted when more items come: each answer fills its own item.
    for (const id of ids) {
      asked.current.add(id);
      void api<ItemStocks>("GET", `/api/v1/items/${id}`).then((res) => {
        if (!res.ok) return;
        const byWarehouse = Object.fromEntries(res.data.stocks.map((s) => [s.location_id, Number(s.on_hand)]));
        setStock((s) => ({ ...s, [id]: byWarehouse }));
      });
    }
  }, [key]);

  return stock;
}

/** How much a line takes from its warehouse: outbounds and transfers their quantity, adjustments a negative one. */
export function takenQty(kind: string, qty: number): number {
  if (!Number.isFinite(qty)) return 0;
  if (kind === "outbound" || kind === "transfer") return qty > 0 ? qty : 0;
  if (kind === "adjustment") return qty < 0 ? -qty : 0;
  return 0;
}
