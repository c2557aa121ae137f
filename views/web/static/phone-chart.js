/* A small SVG line chart for phones: one line per area, the target dashed.
   Phones on venue Wi-Fi should not download plotly.js (1.5 MB gzipped) for one chart. */
(function (global) {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

  function el(name, attrs) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function format(value) {
    return (Math.round(value * 10) / 10).toLocaleString(document.documentElement.lang || "nl");
  }

  function lineChart(indicator, texts) {
    var width = 340, height = 200, left = 40, right = 18, top = 10, bottom = 28;
    var periods = indicator.periods;
    var values = [];
    indicator.series.forEach(function (s) {
      s.points.forEach(function (p) { if (p[1] !== null) { values.push(p[1]); } });
    });
    if (indicator.target !== null) { values.push(indicator.target); }
    if (!values.length || !periods.length) { return null; }
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var pad = (high - low) * 0.1 || 1;
    low -= pad; high += pad;
    function x(i) {
      return periods.length === 1 ? (left + width - right) / 2
        : left + i * (width - left - right) / (periods.length - 1);
    }
    function y(v) { return top + (high - v) * (height - top - bottom) / (high - low); }
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    var title = el("title");
    title.textContent = indicator.label + " (" + indicator.unit + ")";
    svg.appendChild(title);
    [low + pad, (low + high) / 2, high - pad].forEach(function (v) {
      svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#d0d4d8" }));
      var label = el("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 12, fill: "#3a3a3a" });
      label.textContent = format(v);
      svg.appendChild(label);
    });
    periods.forEach(function (period, i) {
      if (periods.length > 6 && i % 2 === 1 && i !== periods.length - 1) { return; }
      var label = el("text", { x: x(i), y: height - 8, "text-anchor": "middle", "font-size": 12, fill: "#3a3a3a" });
      label.textContent = period;
      svg.appendChild(label);
    });
    if (indicator.target !== null) {
      svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(indicator.target),
        y2: y(indicator.target), stroke: "#1b1b1b", "stroke-dasharray": "5 4", "stroke-width": 1.5 }));
      // Labelled on the line itself, as on the projector; at the start, where the newest
      // points (at the right) are not covered; a white halo keeps it readable over a line.
      var mark = el("text", { x: left + 4, y: y(indicator.target) - 5, "text-anchor": "start",
        "font-size": 12, "font-weight": 600, fill: "#1b1b1b", stroke: "#ffffff",
        "stroke-width": 3, "paint-order": "stroke", "class": "target-label" });
      mark.textContent = texts.indicator_target + " " + format(indicator.target);
      svg.appendChild(mark);
    }
    indicator.series.forEach(function (series, n) {
      var colour = COLOURS[n % COLOURS.length];
      var path = "";
      var pen = "M";
      series.points.forEach(function (point) {
        var i = periods.indexOf(point[0]);
        if (point[1] === null || i < 0) { pen = "M"; return; }
        path += pen + x(i).toFixed(1) + " " + y(point[1]).toFixed(1) + " ";
        pen = "L";
        svg.appendChild(el("circle", { cx: x(i), cy: y(point[1]), r: 2.5, fill: colour }));
      });
      if (path) {
        svg.appendChild(el("path", { d: path, fill: "none", stroke: colour, "stroke-width": 2.2 }));
      }
    });
    var box = document.createElement("div");
    box.className = "chart";
    box.appendChild(svg);
    var legend = document.createElement("ul");
    legend.className = "legend";
    indicator.series.forEach(function (series, n) {
      var li = document.createElement("li");
      var swatch = document.createElement("i");
      swatch.style.background = COLOURS[n % COLOURS.length];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(series.area));
      legend.appendChild(li);
    });
    if (indicator.target !== null) {
      var li = document.createElement("li");
      var swatch = document.createElement("i");
      swatch.style.background = "repeating-linear-gradient(90deg,#1b1b1b 0 4px,transparent 4px 7px)";
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(texts.indicator_target + " " + format(indicator.target)));
      legend.appendChild(li);
    }
    box.appendChild(legend);
    // The same figures as a table for screen readers.
    var table = document.createElement("table");
    // Tables ignore width: 1px; hide a wrapper instead, or the page scrolls sideways.
    var hidden = document.createElement("div");
    hidden.className = "visually-hidden";
    var head = document.createElement("tr");
    [""].concat(periods).forEach(function (text) {
      var th = document.createElement("th");
      th.textContent = text;
      head.appendChild(th);
    });
    table.appendChild(head);
    indicator.series.forEach(function (series) {
      var row = document.createElement("tr");
      var th = document.createElement("th");
      th.textContent = series.area;
      row.appendChild(th);
      periods.forEach(function (period) {
        var td = document.createElement("td");
        var point = series.points.filter(function (p) { return p[0] === period; })[0];
        td.textContent = point && point[1] !== null ? format(point[1]) : "-";
        row.appendChild(td);
      });
      table.appendChild(row);
    });
    hidden.appendChild(table);
    box.appendChild(hidden);
    return box;
  }

  global.DuidingChart = { lineChart: lineChart };
})(window);
