import type { AbstractIntlMessages } from "next-intl";
import { getMessages } from "next-intl/server";
import { clientMessages, type ClientArea } from "@/lib/i18n/messages";
import { MoreMessages } from "./more-messages";

/** The messages a part of the app's client components read, on top of the root layout's. */
export async function AreaMessages({ area, children }: { area: Exclude<ClientArea, "root">; children: React.ReactNode }) {
  return <MoreMessages messages={clientMessages(await getMessages(), area) as AbstractIntlMessages}>{children}</MoreMessages>;
}
