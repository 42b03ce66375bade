// Charts for observation roll-ups, drawn by ECharts (a heat map, growth lines and a side-by-side
// comparison grow past what hand-drawn SVG stays readable at). Only the pieces used are registered,
// from `echarts/core`, to keep the bundle small; the SVG renderer keeps charts sharp in print and in
// a saved PDF. Each chart is an image with a text summary; its numbers are in the table beside it.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { ComposeOption } from "echarts/core";
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { Icon } from "../../../components/Icon.js";
import { formatShare } from "./format.js";

echarts.use([HeatmapChart, LineChart, BarChart, GridComponent, TooltipComponent, VisualMapComponent, LegendComponent, SVGRenderer]);

type ChartOption = ComposeOption<
  HeatmapSeriesOption | LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption | LegendComponentOption
>;

const AXIS_TEXT = "#565e6b";
const GRID = "#e2e5e9";
/** Colour-blind-safe series colours (Okabe–Ito), in the order series are drawn. */
export const SERIES_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

/** A phone-sized screen, where category labels slant to fit. */
const isNarrowScreen = (): boolean => typeof window !== "undefined" && window.matchMedia("(max-width: 600px)").matches;

/** Mounts an ECharts instance on a div, keeps it sized to its box (and to the page when printing), and disposes it. */
function useEChart(option: ChartOption, height: number) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: "svg" });
    chart.current = instance;
    const resize = () => instance.resize();
    const observer = new ResizeObserver(resize);
    observer.observe(element);
    const print = window.matchMedia("print");
    print.addEventListener("change", resize);
    return () => {
      observer.disconnect();
      print.removeEventListener("change", resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return { ref, style: { width: "100%", height } };
}

/** A chart's frame: title, what it shows, its CSV, the chart, its summary in words and its table. */
export function ChartFrame({
  title,
  description,
  csvUrl,
  summary,
  table,
  children,
  isTableOpen,
}: {
  title: string;
  description?: ReactNode;
  csvUrl?: string;
  summary: string;
  table: ReactNode;
  children?: ReactNode;
  /** Show the table by default (the printable report does). */
  isTableOpen?: boolean;
}) {
  const id = useId();
  return (
    <section className="obs-chart" aria-labelledby={`${id}-title`}>
      <div className="obs-chart__head">
        <div>
          <h2 className="obs-chart__title" id={`${id}-title`}>
            {title}
          </h2>
          {description ? <p className="obs-chart__description">{description}</p> : null}
        </div>
        {csvUrl ? (
          <a className="button button--small obs-chart__csv" href={csvUrl} download>
            <Icon name="download" size={15} />
            Download CSV<span className="visually-hidden">: {title}</span>
          </a>
        ) : null}
      </div>
      {children}
      <p className="obs-chart__summary">{summary}</p>
      <details className="obs-chart__table" open={isTableOpen}>
        <summary>
          Show table<span className="visually-hidden">: {title}</span>
        </summary>
        {table}
      </details>
    </section>
  );
}

export type HeatCell = { count: number; share: number | null };

/** The characteristic × level heat map: colour by share of the row, each cell labelled with its count and share. */
export function HeatMapChart({ rows, levels, summary }: { rows: { name: string; cells: HeatCell[] }[]; levels: string[]; summary: string }) {
  // On a phone five level names do not fit side by side: they slant.
  const isNarrow = isNarrowScreen();
  const data = rows.flatMap((r, y) => r.cells.map((c, x) => [x, rows.length - 1 - y, c.share ?? 0, c.count]));
  const option: ChartOption = {
    animation: false,
    grid: { top: 8, right: 8, bottom: isNarrow ? 64 : 28, left: isNarrow ? 92 : 104, containLabel: false },
    tooltip: {
      formatter: (p: unknown) => {
        const v = (p as { value: [number, number, number, number] }).value;
        return `${rows[rows.length - 1 - v[1]]?.name ?? ""} · ${levels[v[0]] ?? ""}: ${v[3]} (${formatShare(v[2])})`;
      },
    },
    xAxis: { type: "category", data: levels, axisLabel: { color: AXIS_TEXT, interval: 0, fontSize: 11, rotate: isNarrow ? 40 : 0 }, axisTick: { show: false }, splitArea: { show: false } },
    yAxis: { type: "category", data: [...rows].reverse().map((r) => r.name), axisLabel: { color: AXIS_TEXT, fontSize: 12 }, axisTick: { show: false } },
    visualMap: { show: false, min: 0, max: 1, dimension: 2, inRange: { color: ["#f4f7fb", "#9ecae1", "#2171b5", "#08306b"] } },
    series: [
      {
        type: "heatmap",
        data,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: {
          show: true,
          fontSize: 11,
          formatter: (p: unknown) => {
            const v = (p as { value: [number, number, number, number] }).value;
            return v[3] === 0 ? "–" : `${v[3]}\n${formatShare(v[2])}`;
          },
          lineHeight: 15,
          color: "#111",
          textBorderColor: "#fff",
          textBorderWidth: 2,
        },
      },
    ],
  };
  const { ref, style } = useEChart(option, Math.max(180, rows.length * 46 + (isNarrow ? 72 : 36)));
  return <div ref={ref} style={style} className="obs-chart__canvas" role="img" aria-label={summary} />;
}

export type LineSeries = { name: string; values: (number | null)[] };

/** Shares over periods (terms or years), one line per series; gaps where a period has no observations. */
export function GrowthChart({ periods, series, summary }: { periods: string[]; series: LineSeries[]; summary: string }) {
  const option: ChartOption = {
    animation: false,
    color: SERIES_COLORS,
    grid: { top: 36, right: 16, bottom: 28, left: 44 },
    legend: { top: 0, left: 0, textStyle: { color: AXIS_TEXT, fontSize: 12 }, itemWidth: 16 },
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (typeof v === "number" ? formatShare(v) : "–") },
    xAxis: { type: "category", data: periods, axisLabel: { color: AXIS_TEXT, fontSize: 11 }, axisLine: { lineStyle: { color: GRID } } },
    yAxis: { type: "value", min: 0, max: 1, splitLine: { lineStyle: { color: GRID } }, axisLabel: { color: AXIS_TEXT, fontSize: 11, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: series.map((s) => ({ type: "line", name: s.name, data: s.values, connectNulls: false, symbolSize: 6, lineStyle: { width: 2 } })),
  };
  const { ref, style } = useEChart(option, 260);
  return <div ref={ref} style={style} className="obs-chart__canvas" role="img" aria-label={summary} />;
}

/** Side by side: for each category (a level), one bar per group (two schools or two periods). */
export function ComparisonChart({ categories, groups, summary }: { categories: string[]; groups: LineSeries[]; summary: string }) {
  const option: ChartOption = {
    animation: false,
    color: SERIES_COLORS,
    grid: { top: 36, right: 16, bottom: isNarrowScreen() ? 56 : 28, left: 44 },
    legend: { top: 0, left: 0, textStyle: { color: AXIS_TEXT, fontSize: 12 }, itemWidth: 16 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: unknown) => (typeof v === "number" ? formatShare(v) : "–") },
    xAxis: { type: "category", data: categories, axisLabel: { color: AXIS_TEXT, fontSize: 11, interval: 0, rotate: isNarrowScreen() ? 40 : 0 } },
    yAxis: { type: "value", min: 0, max: 1, splitLine: { lineStyle: { color: GRID } }, axisLabel: { color: AXIS_TEXT, fontSize: 11, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: groups.map((g) => ({ type: "bar", name: g.name, data: g.values, barMaxWidth: 28 })),
  };
  const { ref, style } = useEChart(option, 260);
  return <div ref={ref} style={style} className="obs-chart__canvas" role="img" aria-label={summary} />;
}
