/* The indicator chart on the projector, drawn by Plotly (loaded by the page, from the laptop):
 * one line per area, each with its own marker, the target dashed and labelled. */

import { targetLabelPlace } from "../target_label.js";
import { LINE_COLOURS, LINE_SYMBOLS, TARGET_COLOUR } from "./colours.js";
import { LANG, T, numbers } from "./locale.js";

const LABEL_GAP = 2;  // px between the target line and its label

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
    const line = { color: TARGET_COLOUR, width: Math.max(2, font / 8), dash: "dash" };
    const text = `${T.indicator_target}: ${numbers.format(item.target)}` +
      (item.unit ? ` ${item.unit}` : "");
    shapes.push({
      type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: item.target, y1: item.target,
      line,
    });
    annotations.push({
      // At the start of the line, above it, until placeTargetLabel finds where it covers
      // no point (it needs the drawn chart's geometry).
      xref: "paper", x: 0, xanchor: "left", yref: "y", y: item.target, yanchor: "bottom",
      yshift: LABEL_GAP, text, showarrow: false, font: { size: font * 0.95, color: TARGET_COLOUR },
      bgcolor: "rgba(255,255,255,0.85)",
    });
    // The legend's entry for the line, shown only where no place on it is free (the last
    // trace: nothing to draw, only its key).
    data.push({ type: "scatter", mode: "lines", name: text, x: [item.periods[0]], y: [null],
                line, hoverinfo: "skip", showlegend: false });
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
  window.Plotly.react(chart, figure.data, figure.layout, figure.config)
    .then(() => placeTargetLabel(chart, item));
  followBox(chart, item);
  return true;
}

/* Move the target's label to where it covers no data point, measured on the drawn chart;
 * the chart says where it went (data-target-place) for the browser tests. */
function placeTargetLabel(chart, item) {
  const drawn = chart._fullLayout;
  const label = chart.querySelector(".annotation");
  const area = chart.querySelector(".nsewdrag");  // the plot area
  if (!drawn || !label || !area || !drawn.annotations.length || !chart.isConnected) return;
  const plot = area.getBoundingClientRect();
  const box = label.getBoundingClientRect();
  if (!plot.height || !box.width) return;
  const markers = [...chart.querySelectorAll(".scatterlayer .point")].map((point) => {
    const r = point.getBoundingClientRect();
    return [r.left - 1, r.top - 1, r.right + 1, r.bottom + 1];
  });
  const place = targetLabelPlace(plot, plot.top + drawn.yaxis.l2p(item.target), box.width,
                                 box.height, markers, LABEL_GAP);
  // The label's left edge, as a share of the plot's width (the annotation's paper x).
  const x = (place.left - plot.left) / plot.width;
  const yanchor = place.above ? "bottom" : "top";
  const free = place.covered === 0;
  const now = drawn.annotations[0];
  const done = () => { chart.dataset.targetPlace = free ? `${place.along}-${yanchor}` : "legend"; };
  if (Math.abs(now.x - x) < 0.001 && now.yanchor === yanchor && now.visible === free) {
    done();
    return;
  }
  // No free place on the line (many points close to the target): the legend names it.
  window.Plotly.update(chart, { showlegend: free ? false : true }, {
    "annotations[0].x": x, "annotations[0].yanchor": yanchor,
    "annotations[0].yshift": place.above ? LABEL_GAP : -LABEL_GAP,
    "annotations[0].visible": free,
  }, [chart.data.length - 1]).then(done, () => {});
}

function followBox(chart, item) {
  if (chart.resizeWatch || !window.ResizeObserver) return;
  chart.resizeWatch = new ResizeObserver(() => {
    const drawn = chart._fullLayout;  // Plotly's layout: the size it drew at
    if (!drawn || !chart.isConnected || !chart.clientHeight) return;
    if (Math.abs(drawn.width - chart.clientWidth) > 1 ||
        Math.abs(drawn.height - chart.clientHeight) > 1) {
      // Rejected only when the chart was hidden meanwhile: the next change redraws it.
      window.Plotly.Plots.resize(chart).then(() => placeTargetLabel(chart, item), () => {});
    }
  });
  chart.resizeWatch.observe(chart);
}
