import "@/lib/zod-setup";
import { z } from "zod";
import { pageQuery, searchQuery } from "./common";

// The customer portal's read endpoints: query strings.

export const portalShipmentsQuery = z.object({
  ...pageQuery,
  status: z.enum(["submitted", "approved", "committed", "cancelled"]).optional(),
});

export const portalStockQuery = z.object({ ...pageQuery, q: searchQuery.optional() });
