import type { Actor } from "@/lib/auth";

const ROLE_LABELS: Record<Actor["role"], string> = {
  admin: "Administrator",
  manager: "Manager",
  korean_team: "Korean team",
  chinese_staff: "Chinese staff",
  customer: "Customer",
};

/** The top bar: who is signed in, in which role, and a sign-out that works without JavaScript. */
export function AppHeader({ actor, area }: { actor: Actor; area: string }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-3">
          <span className="text-lg font-semibold">Duly ERP</span>
          <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{area}</span>
        </div>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="signed-in-user">{actor.displayName || actor.email}</span>
          <span data-testid="signed-in-role" className="rounded bg-brand-50 px-2 py-0.5 text-brand-700">
            {ROLE_LABELS[actor.role]}
          </span>
          <form action="/api/v1/auth/logout" method="post">
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
