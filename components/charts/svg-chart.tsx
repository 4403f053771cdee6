// Charts drawn on the server as SVG, with no JavaScript in the browser (a charting library was
// the heaviest part of the dashboard's first visit). The plot stretches to its box
// (preserveAspectRatio="none", strokes kept 1 px wide by vector-effect); the axis labels and the
// legend are HTML around it, so text never scales with the box. Each bar and each point carries
// an SVG <title>, the browser's own tooltip on hover. The box has a fixed height, so nothing
// shifts when the page loads.

export type Series = { key: string; name: string; colour: string };

const PLOT_W = 1000; // viewBox units; the plot is stretched to its box
const PLOT_H = 100;
const TICKS = 4;

/** A round step for about `ticks` grid lines up to `max` (1, 2, 2.5 or 5 × 10ⁿ; whole numbers). */
export function niceScale(max: number, ticks = TICKS): { top: number; step: number } {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const whole = Number.isInteger(step) ? step : Math.ceil(step);
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

/** About `most` of the labels, evenly spread, the last one always; each with where it sits (0 to 1). */
export function sparseLabels(labels: string[], most: number, at: (i: number) => number): { text: string; at: number }[] {
  const every = Math.max(1, Math.ceil(labels.length / most));
  return labels.flatMap((text, i) => ((i % every === 0 && labels.length - 1 - i >= every / 2) || i === labels.length - 1 ? [{ text, at: at(i) }] : []));
}

function Frame({ height, ticks, frac, format, children, xLabels, series, label }: {
  height: number;
  ticks: number[];
  /** Where a value sits on the axis: 0 at the bottom, 1 at the top. */
  frac: (v: number) => number;
  format: (n: number) => string;
  children: React.ReactNode;
  xLabels: { text: string; at: number }[];
  series: Series[];
  label: string;
}) {
  return (
    <figure className="m-0" role="img" aria-label={label}>
      <div className="flex text-xs text-slate-700" style={{ height }}>
        <div className="relative w-12 shrink-0" aria-hidden="true">
          {ticks.map((v) => (
            <span key={v} className="absolute right-1 -translate-y-1/2 tabular-nums" style={{ top: `${(1 - frac(v)) * 100}%` }}>
              {format(v)}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1 border-b border-l border-slate-300">
          <svg viewBox={`0 0 ${PLOT_W} ${PLOT_H}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full overflow-visible" aria-hidden="true" focusable="false">
            {ticks.map((v) => (
              <line key={v} x1={0} x2={PLOT_W} y1={PLOT_H * (1 - frac(v))} y2={PLOT_H * (1 - frac(v))} stroke="#e2e8f0" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" />
            ))}
            {children}
          </svg>
        </div>
      </div>
      {/* Each label under its point, shifted by its own position so the first and last stay inside. */}
      <div className="relative ml-12 h-4 text-xs text-slate-700" aria-hidden="true">
        {xLabels.map((l) => (
          <span key={l.at} className="absolute top-0 whitespace-nowrap" style={{ left: `${l.at * 100}%`, transform: `translateX(${-l.at * 100}%)` }}>
            {l.text}
          </span>
        ))}
      </div>
      <ul className="mt-2 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs text-slate-700">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: s.colour }} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function ticksOf(top: number, step: number): number[] {
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/** Grouped bars: one group per row, one bar per series. */
export function BarChartSvg<Row extends { label: string; title: string }>({ rows, series, value, height, label, format, labelCount = 6 }: {
  rows: Row[];
  series: Series[];
  value: (row: Row, key: string) => number;
  height: number;
  label: string;
  format: (n: number) => string;
  /** How many x-axis labels at most (they must fit side by side on a phone). */
  labelCount?: number;
}) {
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => value(r, s.key))));
  const { top, step } = niceScale(max);
  const slot = PLOT_W / Math.max(1, rows.length);
  const barW = (slot * 0.8) / series.length;
  return (
    <Frame height={height} ticks={ticksOf(top, step)} frac={(v) => v / top} format={format} xLabels={sparseLabels(rows.map((r) => r.label), labelCount, (i) => (i + 0.5) / rows.length)} series={series} label={label}>
      {rows.map((r, i) =>
        series.map((s, j) => {
          const v = value(r, s.key);
          const h = (v / top) * PLOT_H;
          return (
            <rect key={`${i}-${s.key}`} x={i * slot + slot * 0.1 + j * barW} y={PLOT_H - h} width={barW} height={h} fill={s.colour}>
              <title>{`${r.title} · ${s.name}: ${format(v)}`}</title>
            </rect>
          );
        }),
      )}
    </Frame>
  );
}

/** Step lines (the value holds until the next point), one per series; a point may lack a series. */
export function StepChartSvg<Point extends { label: string; title: string }>({ points, series, value, height, label, format, testId, labelCount = 3 }: {
  points: Point[];
  series: Series[];
  value: (point: Point, key: string) => number | undefined;
  height: number;
  label: string;
  format: (n: number) => string;
  testId?: string;
  labelCount?: number;
}) {
  const values = points.flatMap((p) => series.map((s) => value(p, s.key) ?? 0));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const { top, step } = niceScale(max - min);
  // The axis runs from min (0 unless a balance went below it) to min + top.
  const frac = (v: number) => (v - min) / top;
  const x = (i: number) => (points.length <= 1 ? PLOT_W / 2 : (i / (points.length - 1)) * PLOT_W);
  const y = (v: number) => PLOT_H * (1 - frac(v));
  return (
    <div data-testid={testId}>
      <Frame height={height} ticks={ticksOf(top, step).map((t) => t + min)} frac={frac} format={format} xLabels={sparseLabels(points.map((p) => p.label), labelCount, (i) => (points.length <= 1 ? 0.5 : i / (points.length - 1)))} series={series} label={label}>
        {series.map((s) => {
          let d = "";
          points.forEach((p, i) => {
            const v = value(p, s.key);
            if (v === undefined) return;
            d += d ? ` H${x(i)} V${y(v)}` : `M${x(i)} ${y(v)}`;
          });
          return <path key={s.key} d={d} fill="none" stroke={s.colour} strokeWidth={2} vectorEffect="non-scaling-stroke" data-series={s.key} />;
        })}
      </Frame>
    </div>
  );
}
