import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/page";
import { landingPath } from "@/lib/auth/permissions";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

// /login — email and password; signed-in users go straight to their landing page
export default async function LoginPage() {
  const actor = await currentActor();
  if (actor) redirect(landingPath(actor.role));
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">Duly ERP</h1>
        <p className="mt-1 text-sm text-slate-600">두리무역 · Sign in to continue</p>
        <LoginForm />
      </div>
    </main>
  );
}
