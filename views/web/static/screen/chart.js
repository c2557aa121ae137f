/* The indicator chart on the projector, drawn by Plotly (loaded by the page, from the laptop):
 * one line per area, each with its own marker, the target dashed and labelled. */

import { LINE_COLOURS, LINE_SYMBOLS } from "./colours.js";
import { LANG, T, numbers } from "./locale.js";

function rootFontPx() {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function chartFigure(item) {
  const font = rootFontPx();
  const data = item.series.map((s, i) => ({
    type: "scatter", mode: "lines+markers", name: s.area,
    x: s.points.map((p) => p[0]),
    y: s.points.map((p) => p[1]),
    line: { color: LINE_COLOURS[i % LINE_COLOURS.length], width: Math.max(2, font / 6) },
    marker: { symbol: LINE_SYMBOLS[i % LINE_SYMBOLS.length], size: font * 0.55,
              color: LINE_COLOURS[i % LINE_COLOURS.length] },
    connectgaps: false,
    hovertemplate: `%{x}: %{y}${item.unit ? ` ${item.unit}` : ""}<extra>%{fullData.name}</extra>`,
  }));
  const shapes = [];
  const annotations = [];
  const hasTarget = item.target !== null && item.target !== undefined;
  if (hasTarget) {
    shapes.push({
      type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: item.target, y1: item.target,
      line: { color: "#333333", width: Math.max(2, font / 8), dash: "dash" },
    });
    annotations.push({
      // At the start of the line: the newest points, at the right, stay uncovered.
      xref: "paper", x: 0, xanchor: "left", yref: "y", y: item.target, yanchor: "bottom",
      text: `${T.indicator_target}: ${numbers.format(item.target)}${item.unit ? ` ${item.unit}` : ""}`,
      showarrow: false, font: { size: font * 0.95, color: "#222222" },
      bgcolor: "rgba(255,255,255,0.85)",
    });
  }
  // Keep the target inside the y range even when every value is on one side of it.
  const ys = [];
  for (const s of item.series) {
    for (const p of s.points) if (p[1] !== null && p[1] !== undefined) ys.push(p[1]);
  }
  if (hasTarget) ys.push(item.target);
  const yaxis = {
    title: { text: item.unit || "", font: { size: font } },
    tickfont: { size: font }, gridcolor: "#d0d0d0", zeroline: false,
    automargin: true, fixedrange: true,
  };
  if (ys.length) {
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
    yaxis.range = [lo - pad, hi + pad];
  }
  const layout = {
    autosize: true,
    margin: { l: font * 0.5, r: font * 0.5, t: font * 0.5, b: font * 0.5 },
    font: { family: "Segoe UI, Roboto, Liberation Sans, Arial, sans-serif", size: font,
            color: "#111111" },
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    separators: LANG === "nl" ? ",." : ".,",
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: font } },
    xaxis: {
      type: "category", categoryorder: "array", categoryarray: item.periods,
      tickfont: { size: font }, automargin: true, fixedrange: true,
      showgrid: false, linecolor: "#555555",
    },
    yaxis, shapes, annotations,
    hoverlabel: { font: { size: font * 0.85 } },
  };
  const config = { staticPlot: false, displayModeBar: false, responsive: true };
  return { data, layout, config };
}

/** Draw `item`'s chart into the card `node` (in the page and laid out); true when Plotly
 * drew it. The chart follows its box from then on: when the box changes size (the panels
 * beside or under it change, the round gets denser) the chart is laid out anew, so it is
 * never left at a size the page no longer gives it. */
export function drawChart(node, item) {
  const chart = node.querySelector(".chart");
  if (!chart || !window.Plotly) return false;
  const figure = chartFigure(item);
  window.Plotly.react(chart, figure.data, figure.layout, figure.config);
  followBox(chart);
  return true;
}

function followBox(chart) {
  if (chart.resizeWatch || !window.ResizeObserver) return;
  chart.resizeWatch = new ResizeObserver(() => {
    const drawn = chart._fullLayout;  // Plotly's layout: the size it drew at
    if (!drawn || !chart.isConnected || !chart.clientHeight) return;
    if (Math.abs(drawn.width - chart.clientWidth) > 1 ||
        Math.abs(drawn.height - chart.clientHeight) > 1) {
      // Rejected only when the chart was hidden meanwhile: the next change redraws it.
      window.Plotly.Plots.resize(chart).catch(() => {});
    }
  });
  chart.resizeWatch.observe(chart);
}
