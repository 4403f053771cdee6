"use client";

import { useCallback, useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import { adoptEarlyInput } from "./early-input";

// Form state for every form: values, one setter per field, field errors, the form's own error
// line, and a busy flag around the submit. An own small hook rather than react-hook-form +
// @hookform/resolvers: those would add their code to every page with a form (page weight matters,
// docs/performance.md) for what is here a few lines; the schemas stay the API's own zod schemas,
// passed to `check`, and each form keeps its own words for its fields (`messageFor`).
// Every form spreads `formProps` on its <form>: what was typed (and a submit pressed) before
// hydration then counts (./early-input.ts), and without JavaScript at all the browser's own submit
// is a POST, so no field, a password least of all, ends up in a URL.

type ChangeEvent = { target: { value: string; type?: string; checked?: boolean } };
export type FieldErrors = Partial<Record<string, string>>;
export type ZodIssue = z.core.$ZodIssue;

/**
 * A payload parsed with the API's schema: the data, or one message per field (the first issue of
 * each wins; an issue of the whole payload goes to `rootField`). Valid means no field errors.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  messageFor: (field: string, issue: ZodIssue) => string,
  rootField = "",
): { ok: true; data: z.output<S>; errors: FieldErrors } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, data: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? rootField);
    if (errors[field] === undefined) errors[field] = messageFor(field, issue);
  }
  return { ok: false, errors };
}

/**
 * The ref for a script-driven <form>: what was typed and submitted before hydration counts
 * (./early-input.ts). useForm's forms get it through `formProps`; a form without useForm (the API
 * reference's Try it) takes it alone.
 */
export function useEarlyInput(): (form: HTMLFormElement | null) => (() => void) | undefined {
  return useCallback((form: HTMLFormElement | null) => (form ? adoptEarlyInput(form) : undefined), []);
}

export function useForm<V extends Record<string, unknown>>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const ref = useEarlyInput();

  /** Sets one field (and clears its error). */
  function setValue<K extends keyof V>(field: K, value: V[K]) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((er) => (er[field as string] === undefined ? er : { ...er, [field]: undefined }));
  }

  /** An onChange handler for a field's input, select, textarea or checkbox. */
  const set = (field: keyof V) => (e: ChangeEvent) => setValue(field, (e.target.type === "checkbox" ? !!e.target.checked : e.target.value) as V[keyof V]);

  /**
   * Parses a payload with the API's schema and shows its field errors (see `parseForm`), so an
   * error whose field is now valid goes even when that field was not the one that changed (a
   * field hidden by another choice, a rule across fields). Returns the data, or null.
   */
  function check<S extends z.ZodType>(schema: S, payload: unknown, messageFor: (field: string, issue: ZodIssue) => string, rootField = ""): z.output<S> | null {
    const parsed = parseForm(schema, payload, messageFor, rootField);
    setErrors(parsed.errors);
    return parsed.ok ? parsed.data : null;
  }

  /** A submit handler: no double submit, the form error cleared first, busy while it runs. */
  const submit = (action: (form: HTMLFormElement | undefined) => Promise<unknown> | unknown) => async (e?: FormEvent<HTMLFormElement>) => {
    e?.preventDefault();
    const element = e?.currentTarget;
    if (inFlight.current) return;
    inFlight.current = true;
    setFormError(null);
    setBusy(true);
    try {
      await action(element);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  function reset(next: V = initial) {
    setValues(next);
    setErrors({});
    setFormError(null);
  }

  const formProps = { ref, method: "post" } as const;

  return { formProps, values, setValues, set, setValue, errors, setErrors, formError, setFormError, busy, submit, check, reset };
}
