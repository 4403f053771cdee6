"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { BalanceSeries } from "./ledger-series";

// Colours that keep 4.5:1 against white, one per location.
const COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e"];

/**
 * The running balance per location as step lines. The box has a fixed height before and after
 * the chart draws (it measures its width on the client), so the page never shifts.
 */
export function LedgerChart({ series, title, summary }: { series: BalanceSeries; title: string; summary: string }) {
  return (
    <figure className="m-0">
      <figcaption className="sr-only">{title}</figcaption>
      <div className="h-64 w-full" role="img" aria-label={summary} data-testid="ledger-chart">
        <LineChart responsive style={{ width: "100%", height: "100%" }} data={series.points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fill: "#334155", fontSize: 12 }} minTickGap={24} />
          <YAxis tick={{ fill: "#334155", fontSize: 12 }} allowDecimals={false} width={56} />
          <Tooltip />
          <Legend wrapperStyle={{ color: "#334155", fontSize: 12 }} />
          {series.locations.map((code, i) => (
            <Line key={code} type="stepAfter" dataKey={code} name={code} stroke={COLOURS[i % COLOURS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}
