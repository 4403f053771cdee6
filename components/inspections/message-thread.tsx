"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { toast } from "@/components/ui/toast";
import { api, newRequestKey } from "@/components/toolkit/api";
import { controlClass } from "@/components/flows/form-field";
import { AutoTranslateToggle } from "@/components/translation/auto-translate-toggle";
import { MessageText } from "@/components/translation/message-text";
import { Button } from "@/components/ui/button";
import type { Message } from "@/lib/data/messages";
import { formatDateTime } from "@/lib/format";
import { isLocale } from "@/lib/i18n/locales";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";

function merge(list: Message[], more: Message[]): Message[] {
  const seen = new Set(list.map((m) => m.id));
  const added = more.filter((m) => !seen.has(m.id));
  if (added.length === 0) return list;
  return [...list, ...added].sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/**
 * The message thread of one application, with a send box. New messages from the other side
 * arrive through the server-sent-events stream (fed by the database's notifications) and are
 * appended without a reload; the thread is marked read for the viewer's side when opened and
 * whenever a message arrives while it is open.
 */
export function MessageThread({
  inspectionId,
  initial,
  staffView,
  translation,
}: {
  inspectionId: string;
  initial: Message[];
  staffView: boolean;
  /** Present when machine translation is on: the user's automatic-translation switch. */
  translation?: { auto: boolean };
}) {
  const t = useTranslations("inspections.thread");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  const errorText = useErrorText();
  const id = useId();
  const [messages, setMessages] = useState(initial);
  const form = useForm({ body: "" });
  const { busy, formError: alert } = form;
  const body = form.values.body;
  const [live, setLive] = useState(false);
  const [auto, setAuto] = useState(translation?.auto ?? false);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const markRead = () => void api("POST", "/api/v1/messages", { body: { inspection_id: inspectionId } });
    markRead();
    const source = new EventSource(`/api/v1/inspections/${inspectionId}/messages/stream`);
    source.addEventListener("ready", () => {
      setLive(true);
      // Whatever arrived between the page's render and the stream opening (or while reconnecting).
      void api<Message[]>("GET", `/api/v1/inspections/${inspectionId}/messages`).then((res) => {
        if (res.ok) setMessages((list) => merge(list, res.data));
      });
    });
    source.addEventListener("message", (e: MessageEvent<string>) => {
      try {
        const msg = JSON.parse(e.data) as Message;
        setMessages((list) => merge(list, [msg]));
        if (!msg.mine) markRead();
      } catch {
        // A malformed event is dropped; the next reload shows the thread from the database.
      }
    });
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [inspectionId]);

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const send = form.submit(async () => {
    const text = body.trim();
    if (!text) return;
    const res = await api<Message>("POST", `/api/v1/inspections/${inspectionId}/messages`, { body: { body: text }, idempotencyKey: newRequestKey() });
    if (!res.ok) {
      const msg = errorText(res.error);
      form.setFormError(msg);
      toast.error(msg);
      return;
    }
    form.setValue("body", "");
    setMessages((list) => merge(list, [res.data]));
  });

  const who = (m: Message) => {
    if (m.mine) return t("you");
    // Customers see Duly's side as the company; staff see who wrote.
    if (m.from_staff && !staffView) return m.sender_name ? `${m.sender_name} · ${t("staff")}` : t("staff");
    return m.sender_name ?? "";
  };

  return (
    <div className="space-y-3">
      {translation ? <AutoTranslateToggle value={auto} onChange={setAuto} /> : null}
      <ol
        ref={listRef}
        aria-label={t("label")}
        aria-live="polite"
        className="max-h-[28rem] space-y-3 overflow-y-auto rounded-md border border-slate-200 bg-slate-50 p-3"
        data-testid="message-list"
        data-live={live ? "true" : "false"}
        tabIndex={0}
      >
        {messages.length === 0 ? (
          <li className="text-sm text-slate-700">{staffView ? t("emptyStaff") : t("empty")}</li>
        ) : (
          messages.map((m) => (
            <li key={m.id} className={`flex ${m.mine ? "justify-end" : "justify-start"}`} data-testid="message">
              <div className={`max-w-[85%] rounded-lg px-3 py-2 text-sm shadow-sm ${m.mine ? "bg-brand-50 text-slate-900" : "bg-white text-slate-900"}`}>
                <p className="text-xs font-medium text-slate-700">
                  {who(m)} ·{" "}
                  {/* Server and browser may word dates differently (ICU versions): the browser's wins. */}
                  <time dateTime={m.created_at} suppressHydrationWarning>
                    {formatDateTime(m.created_at, locale)}
                  </time>
                </p>
                {translation ? (
                  <MessageText id={m.id} body={m.body} mine={m.mine} target={locale} auto={auto} />
                ) : (
                  <p className="mt-1 whitespace-pre-line break-words" data-testid="message-body">
                    {m.body}
                  </p>
                )}
              </div>
            </li>
          ))
        )}
      </ol>
      <form {...form.formProps} onSubmit={send} className="space-y-2" data-testid="message-form">
        <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-800">
          {t("message")}
        </label>
        <textarea
          id={`${id}-body`}
          value={body}
          onChange={form.set("body")}
          rows={3}
          maxLength={4000}
          className={controlClass()}
          data-testid="message-input"
        />
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs text-slate-700">{live ? t("live") : ""}</p>
          <Button type="submit" variant="primary" disabled={busy || body.trim() === ""} data-testid="message-send">
            {busy ? t("sending") : t("send")}
          </Button>
        </div>
        {alert ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
            {alert}
          </p>
        ) : null}
      </form>
    </div>
  );
}
