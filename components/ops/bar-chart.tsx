// A small bar chart as plain SVG, drawn on the server: no script reaches the browser. Bars are
// evenly spaced in the order given; the title and figures underneath make it readable without
// seeing it (and give screen readers the same numbers).

export type Bar = { label: string; value: number | null };

export function BarChart({ title, bars, empty, latest, max, tone = "#2563eb", testId }: { title: string; bars: Bar[]; empty: string; latest: string; max: string; tone?: string; testId?: string }) {
  const values = bars.map((b) => b.value ?? 0);
  const top = Math.max(1, ...values);
  const width = 240;
  const height = 64;
  const step = bars.length > 0 ? width / bars.length : width;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid={testId}>
      <figcaption className="mb-2 text-sm font-medium text-slate-900">{title}</figcaption>
      {bars.length === 0 ? (
        <p className="text-sm text-slate-700">{empty}</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={`${title}. ${latest}. ${max}`} preserveAspectRatio="none">
            {bars.map((b, i) => {
              const h = b.value === null ? 0 : Math.max(1, (b.value / top) * (height - 2));
              return (
                <rect key={i} x={i * step + step * 0.1} y={height - h} width={Math.max(1, step * 0.8)} height={h} fill={tone}>
                  <title>{`${b.label}: ${b.value ?? "–"}`}</title>
                </rect>
              );
            })}
          </svg>
          <p className="mt-1 flex justify-between text-xs text-slate-700">
            <span>{latest}</span>
            <span>{max}</span>
          </p>
        </>
      )}
    </figure>
  );
}
