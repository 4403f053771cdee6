"use client";

import { NextIntlClientProvider, useLocale, useMessages, type AbstractIntlMessages } from "next-intl";
import { useMemo } from "react";
import { FORMATS } from "@/i18n/formats";
import { COMPANY_TIME_ZONE } from "@/lib/format";

/**
 * Adds a part of the app's messages to those the root layout sent. A provider replaces its
 * parent's messages rather than adding to them, so the parent's are merged in here, in the
 * browser, instead of being sent a second time with the page.
 */
export function MoreMessages({ messages, children }: { messages: AbstractIntlMessages; children: React.ReactNode }) {
  const locale = useLocale();
  const parent = useMessages();
  const merged = useMemo(() => ({ ...parent, ...messages }), [parent, messages]);
  return (
    <NextIntlClientProvider locale={locale} timeZone={COMPANY_TIME_ZONE} formats={FORMATS} messages={merged}>
      {children}
    </NextIntlClientProvider>
  );
}
