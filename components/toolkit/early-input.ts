// What a user does to a form before React has hydrated it. On a slow link (the Chinese team works
// from Yiwu over a slow cross-border connection) the server-rendered form is on screen long before
// its JavaScript runs. React keeps what was typed on the screen but not in the form's state, and a
// submit in that window is the browser's own: a GET to the page with every field, the password
// too, in the URL. So:
// - EARLY_SUBMIT_GUARD, an inline script at the top of <body> (app/layout.tsx), holds back the
//   browser's own submit of a script-driven form (no `action`, not a GET search) and notes it;
// - `adoptEarlyInput`, run by useForm when its form mounts, hands each field changed before
//   hydration to the form's own onChange, then sends a held submit through the form's onSubmit.

type EarlyForms = { ready: WeakSet<HTMLFormElement>; pending: WeakMap<HTMLFormElement, HTMLElement | null> };

declare global {
  interface Window {
    __earlyForms?: EarlyForms;
  }
}

/**
 * The guard, as the text of an inline script (it must run before any chunk arrives). A form that
 * useForm has taken over is `ready` and left to React; any other script-driven form is not sent
 * by the browser, and its submit waits in `pending` for useForm. Native forms (an `action`, or a
 * GET search such as components/ui/search-form.tsx) are left alone.
 */
export const EARLY_SUBMIT_GUARD = `(function(){var s=window.__earlyForms=window.__earlyForms||{ready:new WeakSet(),pending:new WeakMap()};document.addEventListener("submit",function(e){var f=e.target;if(!(f instanceof HTMLFormElement)||f.hasAttribute("action")||(f.getAttribute("method")||"").toLowerCase()==="get")return;e.preventDefault();if(!s.ready.has(f))s.pending.set(f,e.submitter||null);},true);})();`;

function earlyForms(): EarlyForms {
  return (window.__earlyForms ??= { ready: new WeakSet(), pending: new WeakMap() });
}

const NOT_TYPED = new Set(["hidden", "file", "submit", "button", "reset", "image"]);

/**
 * Replays a text field's value as the user's input. React's value tracker remembers the value it
 * last saw; setting the rendered value through the element (the tracker sees it) and then the
 * typed one through the prototype's setter (it does not) makes the input event a change to React,
 * so the field's onChange runs with the typed value, as if typed now.
 */
function replayText(el: HTMLInputElement | HTMLTextAreaElement, typed: string, proto: typeof HTMLInputElement.prototype | typeof HTMLTextAreaElement.prototype) {
  el.value = el.defaultValue;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, typed);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * What the user changed in a field before hydration (server-rendered = its default), as the
 * replay that hands it to the field's onChange; null if nothing changed. Read before any replay:
 * each onChange re-renders the form, and React then sets the other controlled fields back to the
 * values in its state.
 */
function earlyChange(el: Element): (() => void) | null {
  if (el instanceof HTMLInputElement) {
    if (el.type === "checkbox" || el.type === "radio") {
      // A radio group's change is the radio now chosen; the one it replaced follows from it.
      if (el.checked === el.defaultChecked || (el.type === "radio" && !el.checked)) return null;
      return () => {
        el.checked = el.defaultChecked;
        el.click();
      };
    }
    if (NOT_TYPED.has(el.type) || el.value === el.defaultValue) return null;
    const typed = el.value;
    return () => replayText(el, typed, HTMLInputElement.prototype);
  }
  if (el instanceof HTMLTextAreaElement) {
    if (el.value === el.defaultValue) return null;
    const typed = el.value;
    return () => replayText(el, typed, HTMLTextAreaElement.prototype);
  }
  if (el instanceof HTMLSelectElement) {
    if (Array.from(el.options).every((o) => o.selected === o.defaultSelected)) return null;
    const chosen = Array.from(el.selectedOptions, (o) => o.value);
    // React reads a select on its change event, without a tracker.
    return () => {
      for (const o of Array.from(el.options)) o.selected = chosen.includes(o.value);
      el.dispatchEvent(new Event("change", { bubbles: true }));
    };
  }
  return null;
}

/**
 * Called when a useForm form mounts (its ref): marks it ready for the guard and, once the commit
 * is over (an onChange during a commit would be undone by React's restore of controlled inputs),
 * replays what was typed before hydration and then a submit the guard held. On a form mounted by a
 * client-side navigation nothing differs from its defaults and nothing is pending. Returns the
 * ref's cleanup.
 */
export function adoptEarlyInput(form: HTMLFormElement): () => void {
  const forms = earlyForms();
  forms.ready.add(form);
  let submitTimer: ReturnType<typeof setTimeout> | undefined;
  const timer = setTimeout(() => {
    if (!form.isConnected) return;
    const replays = Array.from(form.elements, earlyChange);
    for (const replay of replays) replay?.();
    if (!forms.pending.has(form)) return;
    const submitter = forms.pending.get(form) ?? null;
    forms.pending.delete(form);
    // A turn later, so the submit handler is the one rendered with the replayed values.
    submitTimer = setTimeout(() => {
      if (form.isConnected) form.requestSubmit(submitter && submitter.isConnected && form.contains(submitter) ? submitter : undefined);
    }, 0);
  }, 0);
  return () => {
    clearTimeout(timer);
    clearTimeout(submitTimer);
    forms.ready.delete(form);
  };
}
