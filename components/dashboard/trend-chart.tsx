import { BarChartSvg } from "@/components/charts/svg-chart";
import { formatQty } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";

const SERIES_COLOURS = { inbound: "#1d4ed8", outbound: "#b45309" };

/**
 * Daily inbound and outbound units, drawn on the server (no chart code in the browser); fixed
 * height so the page does not shift. Each bar's value shows on hover (its SVG title).
 */
export function TrendChart({ data, labels, locale }: {
  data: { day: string; inbound: number; outbound: number }[];
  labels: { inbound: string; outbound: string };
  locale: Locale;
}) {
  const rows = data.map((d) => ({ ...d, label: d.day.slice(5), title: d.day }));
  return (
    <div data-testid="trend-chart">
      <BarChartSvg
        rows={rows}
        series={[
          { key: "inbound", name: labels.inbound, colour: SERIES_COLOURS.inbound },
          { key: "outbound", name: labels.outbound, colour: SERIES_COLOURS.outbound },
        ]}
        value={(r, key) => (key === "inbound" ? r.inbound : r.outbound)}
        height={188}
        label={`${labels.inbound} / ${labels.outbound}`}
        format={(n) => formatQty(n, locale)}
      />
    </div>
  );
}
