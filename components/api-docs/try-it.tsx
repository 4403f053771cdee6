"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { sendRaw, type ApiMethod } from "@/components/toolkit/api";
import { useEarlyInput } from "@/components/toolkit/use-form";

// "Try it" under one operation of the API reference (/docs/api): the reader fills the path and
// query parameters (and a JSON body for writes), sends the request from this page with their own
// session, and reads the answer as it came. It acts with the reader's own rights, as the app's
// pages do; the server checks everything, so nothing here decides what is allowed. What is typed
// and sent before the page's script has run is sent once it has (useEarlyInput), as on every
// other form.

export type TryItWords = {
  title: string;
  send: string;
  sending: string;
  body: string;
  answer: string;
  missing: string;
  badJson: string;
  network: string;
};

type Param = { name: string; in: "path" | "query"; required: boolean; place: string };

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 font-mono text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";

/** The URL for these values: path parameters filled in, empty query parameters left out. */
export function tryItUrl(path: string, params: readonly Param[], values: Record<string, string>): { url: string } | { missing: string } {
  let url = path;
  const query = new URLSearchParams();
  for (const p of params) {
    const v = (values[p.name] ?? "").trim();
    if (p.in === "path") {
      if (!v) return { missing: p.name };
      url = url.replace(`{${p.name}}`, encodeURIComponent(v));
    } else if (v) {
      query.set(p.name, v);
    }
  }
  const q = query.toString();
  return { url: q ? `${url}?${q}` : url };
}

export function TryIt({ method, path, params, hasBody, words }: { method: ApiMethod; path: string; params: Param[]; hasBody: boolean; words: TryItWords }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState("{}");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);
  const adopt = useEarlyInput();

  async function send(e: React.FormEvent) {
    e.preventDefault();
    setProblem(null);
    const target = tryItUrl(path, params, values);
    if ("missing" in target) return setProblem(words.missing.replace("{name}", target.missing));
    if (hasBody) {
      try {
        JSON.parse(body);
      } catch {
        return setProblem(words.badJson);
      }
    }
    setBusy(true);
    const res = await sendRaw(method, target.url, hasBody ? body : undefined);
    setBusy(false);
    if (!res) return setProblem(words.network);
    let text = res.text;
    if (res.contentType.includes("json")) {
      try {
        text = JSON.stringify(JSON.parse(res.text), null, 2);
      } catch {
        // not JSON after all: shown as it came
      }
    }
    setAnswer({ status: res.status, text });
  }

  return (
    <form ref={adopt} onSubmit={send} noValidate className="space-y-2 rounded border border-slate-200 p-3" data-testid="api-try-it">
      <h3 className="font-medium text-slate-900">
        {words.title}
      </h3>
      {params.map((p) => (
        <label key={`${p.in}-${p.name}`} className="block text-slate-800">
          <span className="font-mono">{p.name}</span> <span className="text-slate-600">({p.place})</span>
          {p.required ? <span aria-hidden="true"> *</span> : null}
          <input
            className={input}
            value={values[p.name] ?? ""}
            required={p.required}
            onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
          />
        </label>
      ))}
      {hasBody ? (
        <label className="block text-slate-800">
          {words.body}
          <textarea className={`${input} h-28`} value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} />
        </label>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? words.sending : words.send}
      </Button>
      {problem ? (
        <p role="alert" className="text-red-700">
          {problem}
        </p>
      ) : null}
      {answer ? (
        <div>
          <p role="status" className="font-medium text-slate-900" data-testid="api-try-status">
            {words.answer}: {answer.status}
          </p>
          <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-50" tabIndex={0} data-testid="api-try-body">
            {answer.text}
          </pre>
        </div>
      ) : null}
    </form>
  );
}
