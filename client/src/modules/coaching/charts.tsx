// Hand-written SVG charts for the coaching dashboard: small, dependency-free and accessible. Each
// chart is an image with a text summary (role="img"); the numbers live in the table beside it.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Icon } from "../../components/Icon.js";
import { formatHours } from "./format.js";

/** The rendered width of an element, following resizes (for drawing SVG at its real pixel size). */
export function useElementWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      // A container that is not laid out yet (0 wide) keeps the last good width.
      const measured = Math.floor(element.getBoundingClientRect().width);
      if (measured > 0) setWidth(Math.max(200, measured));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** A round upper bound and tick step for an axis (1, 2, 2.5 or 5 × 10ⁿ). */
export function niceScale(max: number, tickCount = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 0.25 };
  const rough = max / tickCount;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  return { max: Math.ceil(max / step) * step, step };
}

/** A chart's frame: title, what it shows, its CSV, the chart, its summary in words and its table. */
export function ChartCard({
  title,
  description,
  csvUrl,
  summary,
  table,
  children,
  tableLabel = "Show table",
}: {
  title: string;
  description?: ReactNode;
  csvUrl: string;
  summary: string;
  /** The chart's numbers as a DataTable (it brings its own frame, and cards on a phone). */
  table: ReactNode;
  children: ReactNode;
  tableLabel?: string;
}) {
  const id = useId();
  return (
    <section className="chart-card" aria-labelledby={`${id}-title`}>
      <div className="chart-card__head">
        <div>
          <h2 className="chart-card__title" id={`${id}-title`}>
            {title}
          </h2>
          {description ? <p className="chart-card__description">{description}</p> : null}
        </div>
        <a className="button button--small" href={csvUrl} download>
          <Icon name="download" size={15} />
          Download CSV<span className="visually-hidden">: {title}</span>
        </a>
      </div>
      {children}
      <p className="chart-card__summary">{summary}</p>
      <details className="chart-card__table">
        <summary>
          {tableLabel}
          <span className="visually-hidden">: {title}</span>
        </summary>
        {table}
      </details>
    </section>
  );
}

export type StackSeries = { key: string; label: string; shortLabel: string; values: Record<string, number> };
export type StackLayer = { id: string; name: string; color: string };

const AXIS_TEXT = "#565e6b";
const GRID = "#e2e5e9";

/** Stacked bars: one bar per bucket, one segment per category, in hours. */
export function StackedBarChart({ series, layers, summary }: { series: StackSeries[]; layers: StackLayer[]; summary: string }) {
  const { ref, width } = useElementWidth<HTMLDivElement>(640);
  const height = 260;
  const margin = { top: 12, right: 8, bottom: 30, left: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const totals = series.map((s) => layers.reduce((sum, l) => sum + (s.values[l.id] ?? 0), 0));
  const { max, step } = niceScale(Math.max(0, ...totals) / 60);
  const y = (hours: number) => margin.top + plotH - (hours / max) * plotH;
  const band = plotW / Math.max(1, series.length);
  const barW = Math.max(2, Math.min(44, band * 0.72));
  const labelEvery = Math.max(1, Math.ceil(52 / band));
  const ticks: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) ticks.push(t);

  return (
    <div ref={ref} className="chart">
      <svg width={width} height={height} role="img" aria-label={summary} className="chart__svg">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} stroke={GRID} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize="11" fill={AXIS_TEXT}>
              {formatHours(t * 60)} h
            </text>
          </g>
        ))}
        {series.map((s, i) => {
          const x = margin.left + i * band + (band - barW) / 2;
          let top = 0;
          return (
            <g key={s.key}>
              {layers.map((layer) => {
                const minutes = s.values[layer.id] ?? 0;
                if (minutes <= 0) return null;
                const y0 = y(top / 60);
                top += minutes;
                const y1 = y(top / 60);
                return (
                  <rect key={layer.id} x={x} y={y1} width={barW} height={Math.max(0.5, y0 - y1)} fill={layer.color} stroke="#fff" strokeWidth={0.75}>
                    <title>{`${s.label}: ${layer.name}, ${formatHours(minutes)} h`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 ? (
                <text
                  x={x + barW / 2 > width - 24 ? x + barW : x + barW / 2}
                  y={height - margin.bottom + 16}
                  // A label at the right edge ends at its bar instead of running off the chart.
                  textAnchor={x + barW / 2 > width - 24 ? "end" : "middle"}
                  fontSize="11"
                  fill={AXIS_TEXT}
                >
                  {s.shortLabel}
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} stroke="#8a929e" />
      </svg>
    </div>
  );
}

/** A legend of swatches, grouped (e.g. coaching categories, then support). */
export function Legend({ groups }: { groups: { label: string; items: StackLayer[] }[] }) {
  return (
    <div className="legend">
      {groups
        .filter((g) => g.items.length > 0)
        .map((group) => (
          <div key={group.label} className="legend__group">
            <span className="legend__label">{group.label}</span>
            <ul className="legend__items">
              {group.items.map((item) => (
                <li key={item.id}>
                  <span className="legend__swatch" style={{ background: item.color }} aria-hidden="true" />
                  {item.name}
                </li>
              ))}
            </ul>
          </div>
        ))}
    </div>
  );
}

export type SharePoint = { key: string; label: string; shortLabel: string; share: number | null };

/**
 * Coaching vs support per bucket as a 100% area: the coaching share below the line, support above,
 * so the trend and the split read at once.
 */
export function ShareTrendChart({
  points,
  summary,
  coachingColor,
  supportColor,
}: {
  points: SharePoint[];
  summary: string;
  coachingColor: string;
  supportColor: string;
}) {
  const { ref, width } = useElementWidth<HTMLDivElement>(640);
  const height = 200;
  const margin = { top: 10, right: 12, bottom: 30, left: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const known = points.flatMap((p, i) => (p.share === null ? [] : [{ ...p, i, share: p.share }]));
  const x = (i: number) => margin.left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (share: number) => margin.top + plotH - share * plotH;
  const line = known.map((p, k) => `${k === 0 ? "M" : "L"}${x(p.i).toFixed(1)},${y(p.share).toFixed(1)}`).join(" ");
  const first = known[0];
  const last = known[known.length - 1];
  const below = first && last ? `${line} L${x(last.i).toFixed(1)},${y(0)} L${x(first.i).toFixed(1)},${y(0)} Z` : "";
  const above = first && last ? `${line} L${x(last.i).toFixed(1)},${y(1)} L${x(first.i).toFixed(1)},${y(1)} Z` : "";
  const labelEvery = Math.max(1, Math.ceil(52 / (plotW / Math.max(1, points.length))));

  return (
    <div ref={ref} className="chart">
      <svg width={width} height={height} role="img" aria-label={summary} className="chart__svg">
        <path d={above} fill={supportColor} opacity={0.16} />
        <path d={below} fill={coachingColor} opacity={0.16} />
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} stroke={GRID} strokeDasharray={t === 0.5 ? "4 3" : undefined} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize="11" fill={AXIS_TEXT}>
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        <path d={line} fill="none" stroke={coachingColor} strokeWidth={2.5} strokeLinejoin="round" />
        {known.map((p) => (
          <circle key={p.key} cx={x(p.i)} cy={y(p.share)} r={known.length > 40 ? 2 : 3.5} fill="#fff" stroke={coachingColor} strokeWidth={2}>
            <title>{`${p.label}: ${Math.round(p.share * 100)}% coaching, ${100 - Math.round(p.share * 100)}% support`}</title>
          </circle>
        ))}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text
              key={p.key}
              x={x(i)}
              y={height - margin.bottom + 16}
              // The last label ends at the plot's edge instead of running off it.
              textAnchor={i === points.length - 1 && points.length > 1 ? "end" : "middle"}
              fontSize="11"
              fill={AXIS_TEXT}
            >
              {p.shortLabel}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}

/** Horizontal bars in HTML: each row reads as text ("name — value"), the bar is decoration. */
export function BarList({
  rows,
  color,
  label,
}: {
  rows: { key: string; label: ReactNode; value: number; valueText: string; detail?: string }[];
  color: string;
  label: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ol className="bar-list" aria-label={label}>
      {rows.map((row) => (
        <li key={row.key} className="bar-list__row">
          <div className="bar-list__text">
            <span className="bar-list__label">{row.label}</span>
            <span className="bar-list__value">
              {row.valueText}
              {row.detail ? <span className="bar-list__detail"> · {row.detail}</span> : null}
            </span>
          </div>
          <div className="bar-list__track" aria-hidden="true">
            <span className="bar-list__bar" style={{ width: `${(row.value / max) * 100}%`, background: color }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
