const TONES = {
  gray: "bg-slate-100 text-slate-800",
  blue: "bg-blue-100 text-blue-900",
  green: "bg-green-100 text-green-900",
  amber: "bg-amber-100 text-amber-900",
  red: "bg-red-100 text-red-900",
  purple: "bg-purple-100 text-purple-900",
} as const;
export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "gray", children, testId }: { tone?: BadgeTone; children: React.ReactNode; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}>
      {children}
    </span>
  );
}

/** Colours of the flow workflow's states, used wherever a status is shown. */
export const FLOW_STATUS_TONE: Record<string, BadgeTone> = {
  draft: "gray",
  submitted: "blue",
  approved: "purple",
  committed: "green",
  cancelled: "red",
};
