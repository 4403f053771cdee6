"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Daily inbound and outbound units; fixed height so the page does not shift when it draws. */
export function TrendChart({ data, labels }: { data: { day: string; inbound: number; outbound: number }[]; labels: { inbound: string; outbound: string } }) {
  return (
    <div style={{ height: 240 }} role="img" aria-label={`${labels.inbound} / ${labels.outbound}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} minTickGap={16} />
          <YAxis fontSize={12} width={48} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="inbound" name={labels.inbound} fill="#1d4ed8" isAnimationActive={false} />
          <Bar dataKey="outbound" name={labels.outbound} fill="#b45309" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
