/* A small SVG line chart for phones: one line per area, the target dashed.
 *
 * Phones on venue Wi-Fi should not download plotly.js (1.5 MB gzipped) for one chart; and
 * this module itself is imported only when a phone shows an indicator (item.js). */

import { el } from "../dom.js";
import { targetLabelPlace } from "../target_label.js";

const NS = "http://www.w3.org/2000/svg";

function svg(name, attrs) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

const LABEL_FONT = 12;  // px in the chart's 340 x 200 box
const MARKER_RADIUS = 2.5;

/* A text's width and height at `size` px in the page's font (the chart may not be in the
 * page yet, so it cannot measure its own text). */
function textSize(text, size, weight = 600) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${weight} ${size}px ${getComputedStyle(document.body).fontFamily}`;
  const metrics = context.measureText(text);
  const ascent = metrics.fontBoundingBoxAscent || size * 0.8;
  const descent = metrics.fontBoundingBoxDescent || size * 0.2;
  return { width: metrics.width, height: ascent + descent, ascent };
}

function number(value) {
  return (Math.round(value * 10) / 10).toLocaleString(document.documentElement.lang || "nl");
}

/** Fill `box` with the chart of `indicator` (its lines, a legend and the figures as a table
 * for screen readers) in the colours of `palette` (the projector's: session/palette.json);
 * false when there is nothing to draw. */
export function drawLineChart(box, indicator, texts, palette) {
  const colour = (n) => palette.lines[n % palette.lines.length];
  const targetSwatch = `repeating-linear-gradient(90deg,${palette.target} 0 4px,transparent 4px 7px)`;
  const width = 340, height = 200, left = 40, right = 18, top = 10, bottom = 28;
  const periods = indicator.periods;
  const values = [];
  for (const series of indicator.series) {
    for (const point of series.points) if (point[1] !== null) values.push(point[1]);
  }
  if (indicator.target !== null) values.push(indicator.target);
  if (!values.length || !periods.length) return false;
  let low = Math.min(...values), high = Math.max(...values);
  const pad = (high - low) * 0.1 || 1;
  low -= pad; high += pad;
  const x = (i) => (periods.length === 1 ? (left + width - right) / 2
    : left + i * (width - left - right) / (periods.length - 1));
  const y = (v) => top + (high - v) * (height - top - bottom) / (high - low);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const title = svg("title");
  title.textContent = `${indicator.label} (${indicator.unit})`;
  chart.append(title);
  for (const v of [low + pad, (low + high) / 2, high - pad]) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#d0d4d8" }));
    const label = svg("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 12,
                                fill: "#3a3a3a" });
    label.textContent = number(v);
    chart.append(label);
  }
  // As many period labels as fit side by side: every n-th, counted back from the newest
  // (always labelled); each centred under its point but never past the chart's edge.
  const widest = Math.max(...periods.map((period) => textSize(period, 12, 400).width));
  const spacing = periods.length > 1 ? x(1) - x(0) : width;
  const every = Math.max(1, Math.ceil((widest + 6) / spacing));
  periods.forEach((period, i) => {
    if ((periods.length - 1 - i) % every) return;
    const half = textSize(period, 12, 400).width / 2;
    const at = Math.min(Math.max(x(i), half), width - half);
    const label = svg("text", { x: at, y: height - 8, "text-anchor": "middle", "font-size": 12,
                                fill: "#3a3a3a" });
    label.textContent = period;
    chart.append(label);
  });
  // Worded as on the projector.
  const targetText = `${texts.indicator_target}: ${number(indicator.target)}` +
    (indicator.unit ? ` ${indicator.unit}` : "");
  let label = null;  // drawn last, over the lines
  if (indicator.target !== null) {
    const lineY = y(indicator.target);
    chart.append(svg("line", { x1: left, x2: width - right, y1: lineY, y2: lineY,
      stroke: palette.target, "stroke-dasharray": "5 4", "stroke-width": 1.5 }));
    // Labelled on the line itself, as on the projector, where it covers no point; a
    // white halo keeps it readable over a line.
    const markers = [];
    for (const series of indicator.series) {
      for (const point of series.points) {
        const i = periods.indexOf(point[0]);
        if (point[1] !== null && i >= 0) {
          const [cx, cy, r] = [x(i), y(point[1]), MARKER_RADIUS + 1];
          markers.push([cx - r, cy - r, cx + r, cy + r]);
        }
      }
    }
    const size = textSize(targetText, LABEL_FONT);
    const plot = { left: left + 2, right: width - right - 2, top, bottom: height - bottom };
    const place = targetLabelPlace(plot, lineY, size.width, size.height, markers, 3);
    // Where every place on the line covers a point, the legend names the line alone.
    if (place.covered === 0) {
      label = svg("text", { x: place.left, y: place.top + size.ascent,
        "text-anchor": "start", "font-size": LABEL_FONT, "font-weight": 600, fill: palette.target,
        stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", class: "target-label",
        "data-place": `${place.along}-${place.above ? "above" : "below"}` });
      label.textContent = targetText;
    }
  }
  indicator.series.forEach((series, n) => {
    let path = "";
    let pen = "M";
    for (const point of series.points) {
      const i = periods.indexOf(point[0]);
      if (point[1] === null || i < 0) { pen = "M"; continue; }
      path += `${pen}${x(i).toFixed(1)} ${y(point[1]).toFixed(1)} `;
      pen = "L";
      chart.append(svg("circle", { cx: x(i), cy: y(point[1]), r: MARKER_RADIUS, fill: colour(n) }));
    }
    if (path) chart.append(svg("path", { d: path, fill: "none", stroke: colour(n), "stroke-width": 2.2 }));
  });
  if (label) chart.append(label);
  box.append(chart);

  const entry = (background, text) => el("li", null, [el("i", { style: `background:${background}` }), text]);
  box.append(el("ul", { className: "legend" }, indicator.series
    .map((series, n) => entry(colour(n), series.area))
    .concat(indicator.target !== null ? [entry(targetSwatch, targetText)] : [])));

  // The same figures as a table for screen readers. Tables ignore width: 1px; hide a
  // wrapper instead, or the page scrolls sideways.
  const head = el("tr", null, [""].concat(periods).map((text) => el("th", null, [text])));
  const rows = indicator.series.map((series) => el("tr", null, [el("th", null, [series.area])]
    .concat(periods.map((period) => {
      const point = series.points.find((p) => p[0] === period);
      return el("td", null, [point && point[1] !== null ? number(point[1]) : "-"]);
    }))));
  box.append(el("div", { className: "visually-hidden" }, [el("table", null, [head].concat(rows))]));
  return true;
}
