import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";

export const fnHealthCheck = defineFunction(
  "health_check",
  z.object({}),
  z.object({ schema: z.string().nullable(), time: z.string() }),
);

export function healthCheck() {
  return call(fnHealthCheck, {}, service);
}
