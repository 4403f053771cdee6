"use client";

import { useEffect, useState } from "react";
import type { ToasterProps } from "sonner";

// Toasts without their library on the first visit: sonner (about 11 kB compressed) is fetched the
// first time something shows a toast, which is always after a click and usually after a request,
// so no page pays for it up front. `toast.success(message)` and friends keep sonner's own calls;
// <LazyToaster> (root layout) mounts sonner's Toaster once the library is there, and a toast waits
// for that mount (sonner drops toasts that no Toaster is listening for).

type Sonner = typeof import("sonner");
type Kind = "success" | "error" | "info" | "warning";

let loading: Promise<Sonner> | undefined;
let show: ((toaster: Sonner["Toaster"]) => void) | undefined;
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});

function load(): Promise<Sonner> {
  loading ??= import("sonner").then((m) => {
    show?.(m.Toaster);
    return m;
  });
  return loading;
}

function shower(kind: Kind) {
  return (message: string) => {
    void load().then((m) => ready.then(() => m.toast[kind](message)));
  };
}

export const toast = { success: shower("success"), error: shower("error"), info: shower("info"), warning: shower("warning") };

/** Tells the toasts that the Toaster above it has mounted (effects run in tree order). */
function Ready() {
  useEffect(() => markReady(), []);
  return null;
}

export function LazyToaster(props: ToasterProps) {
  const [Toaster, setToaster] = useState<Sonner["Toaster"] | null>(null);
  useEffect(() => {
    show = (t) => setToaster(() => t);
    if (loading) void loading.then((m) => setToaster(() => m.Toaster));
    return () => {
      show = undefined;
    };
  }, []);
  if (!Toaster) return null;
  return (
    <>
      <Toaster {...props} />
      <Ready />
    </>
  );
}
