/* The projector page: draws the session state the server pushes on /screen; sends nothing.
 *
 * Participant text reaches the DOM only through textContent (see el()). The page is split
 * into panels; a panel is rebuilt only when the data it shows changed, and the Plotly chart
 * only when the item changes, so ten updates a second stay cheap.
 */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("boot").textContent);
  var T = boot.texts;
  var LANG = boot.language || "nl";
  var numbers = new Intl.NumberFormat(LANG, { maximumFractionDigits: 2 });
  var means = new Intl.NumberFormat(LANG, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var percent = new Intl.NumberFormat(LANG, { style: "percent", maximumFractionDigits: 0 });

  // Colour-blind safe (Okabe-Ito based); each pairs with the text colour that has the
  // higher contrast on it (all at least 4.5:1).
  var OPTION_COLOURS = [
    ["#0072B2", "#ffffff"], ["#56B4E9", "#000000"], ["#D55E00", "#000000"],
    ["#999999", "#000000"], ["#CC79A7", "#000000"], ["#E69F00", "#000000"],
  ];
  // Lines of the indicator chart: dark enough for 3:1 against white where possible, and
  // each with its own marker symbol so colour is never the only cue.
  var LINE_COLOURS = ["#0072B2", "#D55E00", "#007A5A", "#AA3377", "#000000", "#B07800",
                      "#5E3C99"];
  var LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross"];
  // Diverging stops for scales (ColorBrewer RdBu, colour-blind safe), low to high.
  var SCALE_STOPS = ["#b2182b", "#f4a582", "#d9d9d9", "#92c5de", "#2166ac"];

  // -- small helpers ----------------------------------------------------------------------

  /* Build an element. Strings and numbers among the children become text nodes, never
   * markup; attrs are set with setAttribute (or as properties for className/hidden). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = String(value);
        else if (key === "style") node.setAttribute("style", value);
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function byId(id) { return document.getElementById(id); }

  function setText(node, value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (node.textContent !== text) node.textContent = text;
  }

  function show(node, visible) { node.hidden = !visible; }

  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function hexToRgb(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /* The text colour (black or white) with the higher contrast on ``background``. */
  function inkOn(rgb) {
    var l = luminance(rgb);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
  }

  /* ``count`` colours spread over the diverging stops, each with its text colour. */
  function scaleColours(count) {
    var out = [];
    for (var i = 0; i < count; i++) {
      var t = count === 1 ? 0.5 : i / (count - 1);
      var pos = t * (SCALE_STOPS.length - 1);
      var lo = Math.floor(pos);
      var hi = Math.min(lo + 1, SCALE_STOPS.length - 1);
      var a = hexToRgb(SCALE_STOPS[lo]);
      var b = hexToRgb(SCALE_STOPS[hi]);
      var f = pos - lo;
      var rgb = [0, 1, 2].map(function (k) { return Math.round(a[k] + (b[k] - a[k]) * f); });
      out.push(["rgb(" + rgb.join(",") + ")", inkOn(rgb)]);
    }
    return out;
  }

  function rootFontPx() {
    return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  }

  // -- panels: rebuilt only when their data changed ----------------------------------------

  /* Make ``column`` hold exactly ``specs`` (in order). A spec is {id, key, build, after}:
   * an existing panel with the same id and key is kept as it is. */
  function reconcile(column, specs) {
    var existing = {};
    Array.prototype.forEach.call(column.children, function (child) {
      existing[child.dataset.panel] = child;
    });
    var wanted = {};
    specs.forEach(function (spec, index) {
      wanted[spec.id] = true;
      var node = existing[spec.id];
      var fresh = false;
      if (!node || node.dataset.key !== spec.key) {
        var built = spec.build();
        built.dataset.panel = spec.id;
        built.dataset.key = spec.key;
        if (node) {
          dispose(node);
          column.replaceChild(built, node);
        }
        node = built;
        fresh = true;
      }
      if (column.children[index] !== node) {
        column.insertBefore(node, column.children[index] || null);
      }
      if (fresh && spec.after) spec.after(node);
    });
    Array.prototype.slice.call(column.children).forEach(function (child) {
      if (!wanted[child.dataset.panel]) {
        dispose(child);
        column.removeChild(child);
      }
    });
  }

  function dispose(node) {
    var chart = node.querySelector(".chart");
    if (chart && window.Plotly) window.Plotly.purge(chart);
  }

  // -- building blocks ------------------------------------------------------------------------

  function panel(className, heading, children, label) {
    var attrs = { className: "panel " + className };
    if (label) attrs["aria-label"] = label;
    return el("section", attrs, [heading ? el("h3", { className: "panel-heading" },
      [heading]) : null].concat(children));
  }

  function perspectiveLabels(session) {
    var labels = {};
    (session.perspectives || []).forEach(function (p) { labels[p.key] = p.label; });
    return labels;
  }

  function legend(entries) {
    return el("ul", { className: "legend", "aria-hidden": "true" }, entries.map(function (e) {
      return el("li", null, [
        el("span", { className: "swatch", style: "background:" + e.colour }),
        e.label,
      ]);
    }));
  }

  function legendLine(entries, respondents) {
    return el("div", { className: "legend-line" }, [
      legend(entries),
      el("p", { className: "respondents" }, [
        el("strong", null, [String(respondents)]), " " + T.respondents,
      ]),
    ]);
  }

  /* One horizontal stacked bar: segments sized by share, each labelled with its count. */
  function stackedBar(segments, total) {
    var bar = el("span", { className: "bar", "aria-hidden": "true" });
    if (!total) {
      bar.classList.add("bar-empty");
      return bar;
    }
    segments.forEach(function (s) {
      if (!s.count) return;
      var share = (100 * s.count) / total;
      bar.appendChild(el("span", {
        className: "segment",
        style: "width:" + share.toFixed(3) + "%;background:" + s.colour + ";color:" + s.ink,
      }, [String(s.count)]));
    });
    return bar;
  }

  var twoDecimals = new Intl.NumberFormat(LANG, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // The pair furthest apart is named only when it passes the threshold with big enough
  // groups (the server decides: docs/method.md), always with both groups' n.
  function divergenceLine(divergence, tooFew, foldedBelow) {
    var parts = [];
    if (divergence && divergence.highlight && divergence.between) {
      parts.push(el("p", { className: "divergence" }, [
        el("span", { className: "divergence-mark", "aria-hidden": "true" }, ["◆"]),
        " " + T.largest_difference + ": ",
        el("strong", null, [divergence.between[0]]),
        " (n=" + divergence.n[0] + ") " + T.and + " ",
        el("strong", null, [divergence.between[1]]),
        " (n=" + divergence.n[1] + ")" +
          (divergence.option ? " · " + format(T.difference_on, { option: divergence.option }) : "") +
          " · " + T.difference + " " + twoDecimals.format(divergence.score),
        divergence.indicative ? el("span", { className: "indicative" }, [" · " + T.indicative]) : null,
      ]));
    }
    if (tooFew && tooFew.length) {
      parts.push(el("p", { className: "too-few" }, [
        T.too_few_to_compare + ": " + tooFew.map(function (g) {
          return g.label + " (n=" + g.n + ")";
        }).join(", "),
      ]));
    }
    if (foldedBelow) {
      parts.push(el("p", { className: "too-few folded" }, [format(T.folded, { k: foldedBelow })]));
    }
    return parts.length ? el("div", { className: "comparison" }, parts) : null;
  }

  function isDivergent(divergence, label) {
    return !!(divergence && divergence.highlight && divergence.between &&
              divergence.between.indexOf(label) !== -1);
  }

  function barRow(label, segments, total, extra, divergent, spoken) {
    return el("li", { className: "bar-row" + (divergent ? " divergent" : "") }, [
      el("span", { className: "bar-label" }, [
        divergent ? el("span", { className: "divergence-mark", "aria-hidden": "true" },
          ["◆ "]) : null,
        label,
      ]),
      stackedBar(segments, total),
      el("span", { className: "bar-extra", "aria-hidden": "true" }, [extra]),
      el("span", { className: "visually-hidden" }, [spoken]),
    ]);
  }

  function choiceSplit(prompt, split) {
    var options = split.options;
    var colours = options.map(function (o, i) { return OPTION_COLOURS[i % OPTION_COLOURS.length]; });
    function segments(counts) {
      return options.map(function (o, i) {
        return { count: counts[o.key] || 0, colour: colours[i][0], ink: colours[i][1] };
      });
    }
    function spoken(label, counts, n) {
      return label + ": " + options.map(function (o) {
        return o.label + " " + (counts[o.key] || 0);
      }).join(", ") + " (" + n + ")";
    }
    var rows = split.by_perspective.map(function (p) {
      var n = sum(options.map(function (o) { return p.counts[o.key] || 0; }));
      return barRow(p.label, segments(p.counts), n, String(n),
                    isDivergent(split.divergence, p.label), spoken(p.label, p.counts, n));
    });
    var totalN = sum(options.map(function (o) { return split.total[o.key] || 0; }));
    var totalRow = barRow(T.total, segments(split.total), totalN, String(totalN), false,
                          spoken(T.total, split.total, totalN));
    totalRow.classList.add("bar-total");
    rows.push(totalRow);
    var before = split.previous;
    if (before) {
      var previousRow = barRow(format(T.previous, { date: before.date }), segments(before.total),
                               before.n, String(before.n), false,
                               spoken(format(T.previous, { date: before.date }), before.total,
                                      before.n));
      previousRow.classList.add("bar-previous");
      rows.push(previousRow);
    }
    return panel("split choice", prompt.text, [
      legendLine(options.map(function (o, i) {
        return { label: o.label, colour: colours[i][0] };
      }), split.respondents),
      el("ul", { className: "bars" }, rows),
      changeLine(before, function (v) { return percent.format(v); }),
      divergenceLine(split.divergence, split.too_few, split.folded_below),
    ]);
  }

  function scaleSplit(prompt, split) {
    var values = [];
    for (var v = split.min; v <= split.max; v++) values.push(String(v));
    var colours = scaleColours(values.length);
    function segments(counts) {
      return values.map(function (value, i) {
        return { count: counts[value] || 0, colour: colours[i][0], ink: colours[i][1] };
      });
    }
    function meanText(d) {
      return d.mean === null || d.mean === undefined ? "–" : means.format(d.mean);
    }
    function spoken(label, d) {
      return label + ": " + values.map(function (value) {
        return value + ": " + (d.counts[value] || 0);
      }).join(", ") + "; " + T.mean + " " + meanText(d) + " (" + d.n + ")";
    }
    var rows = split.by_perspective.map(function (p) {
      return barRow(p.label, segments(p.counts), p.n,
                    T.mean + " " + meanText(p) + (p.polarised ? " · " + T.polarised : ""),
                    isDivergent(split.divergence, p.label), spoken(p.label, p));
    });
    var totalRow = barRow(T.total, segments(split.total.counts), split.total.n,
                          T.mean + " " + meanText(split.total), false,
                          spoken(T.total, split.total));
    totalRow.classList.add("bar-total");
    rows.push(totalRow);
    var before = split.previous;
    if (before) {
      var label = format(T.previous, { date: before.date });
      var then = { counts: before.total, n: before.n, mean: before.mean };
      var previousRow = barRow(label, segments(before.total), before.n,
                               T.mean + " " + meanText(then), false, spoken(label, then));
      previousRow.classList.add("bar-previous");
      rows.push(previousRow);
    }
    var legendEntries = values.map(function (value, i) {
      var label = value;
      if (i === 0 && prompt.min_label) label += " " + prompt.min_label;
      if (i === values.length - 1 && prompt.max_label) label += " " + prompt.max_label;
      return { label: label, colour: colours[i][0] };
    });
    return panel("split scale", prompt.text, [
      legendLine(legendEntries, split.total.n),
      el("ul", { className: "bars" }, rows),
      changeLine(before, function (v) { return means.format(v); }),
      divergenceLine(split.divergence, split.too_few, split.folded_below),
    ]);
  }

  /* Per perspective with enough answers both times: then → now (session/previous.py). */
  function changeLine(before, write) {
    if (!before || !before.changes || !before.changes.length) return null;
    var what = before.option ? format(T.change_share, { option: before.option }) : T.change_mean;
    return el("p", { className: "change" }, [
      T.since_previous + " (" + what + "): " + before.changes.map(function (c) {
        return c.label + " " + write(c.then) + " → " + write(c.now) +
          " (n=" + c.n_then + " → " + c.n_now + ")";
      }).join(" · "),
    ]);
  }

  function answerMeta(answer, session, labels) {
    var parts = [];
    if (answer.direction) parts.push((session.directions || {})[answer.direction] || answer.direction);
    if (answer.lever) parts.push((session.levers || {})[answer.lever] || answer.lever);
    if (answer.perspective) parts.push(labels[answer.perspective] || answer.perspective);
    return parts;
  }

  function ranked(prompt, heading, result, session) {
    var labels = perspectiveLabels(session);
    var unit = result.kind === "dots" ? T.dots : T.votes;
    var entries = result.ranked.slice(0, 12);
    var top = Math.max.apply(null, [1].concat(entries.map(function (e) { return e.score; })));
    var list = el("ol", { className: "ranked" }, entries.map(function (entry) {
      var tags = [];
      if (entry.direction) {
        tags.push(el("span", { className: "tag tag-direction" },
          [(session.directions || {})[entry.direction] || entry.direction]));
      }
      if (entry.lever) {
        tags.push(el("span", { className: "tag tag-lever" },
          [(session.levers || {})[entry.lever] || entry.lever]));
      }
      var perspective = entry.perspective ? labels[entry.perspective] || entry.perspective : "";
      return el("li", { className: "ranked-entry" }, [
        el("span", { className: "score" }, [
          el("strong", null, [String(entry.score)]), el("small", null, [unit]),
        ]),
        el("span", { className: "ranked-body" }, [
          el("span", { className: "ranked-text" }, [entry.text]),
          el("span", { className: "meta" }, tags.concat([perspective])),
          el("span", { className: "score-bar", "aria-hidden": "true",
                       style: "width:" + ((100 * entry.score) / top).toFixed(1) + "%" }),
        ]),
      ]);
    }));
    return panel("ranked-panel", heading, [
      entries.length ? list : el("p", { className: "empty" }, [T.no_answers]),
    ]);
  }

  function recentTexts(heading, groups, session, className) {
    var labels = perspectiveLabels(session);
    // Newest first per question; take turns between questions so each one is seen.
    var merged = [];
    var longest = Math.max.apply(null, [0].concat(groups.map(function (g) { return g.answers.length; })));
    for (var i = 0; i < longest && merged.length < 20; i++) {
      groups.forEach(function (g) { if (g.answers[i]) merged.push([g, g.answers[i]]); });
    }
    var list = el("ul", { className: "recent" }, merged.map(function (pair) {
      var g = pair[0];
      var answer = pair[1];
      return el("li", null, [
        g.number ? el("span", { className: "qnum", title: g.prompt.text }, [
          el("span", { className: "visually-hidden" }, [T.question + " "]), String(g.number),
        ]) : null,
        el("span", { className: "recent-body" }, [
          el("span", { className: "recent-text" }, [answer.text]),
          el("span", { className: "meta" }, [answerMeta(answer, session, labels).join(" · ")]),
        ]),
      ]);
    }));
    return panel("recent-panel " + (className || ""), heading, [
      merged.length ? list : el("p", { className: "empty" }, [T.no_answers]),
    ]);
  }

  function hiddenResults(answers) {
    return panel("hidden-results", null, [
      el("p", { className: "big-number" }, [
        el("strong", { className: "hidden-count" }, [String(answers)]), " " + T.answers,
      ]),
      el("p", { className: "hidden-help" }, [T.results_hidden]),
    ]);
  }

  function theoryPanel(theme) {
    return panel("theory", T.theory_of_change, [
      el("p", { className: "theory-text" }, [theme.theory_of_change]),
    ]);
  }

  // -- the item: indicator chart, story, earlier action ----------------------------------------

  function itemPosition(session) {
    if (session.item_index === null || session.item_index === undefined) return null;
    var total = (session.items || []).length;
    if (total < 2) return null;
    return el("p", { className: "item-position" }, [
      format(T.item_position, { n: session.item_index + 1, total: total }),
    ]);
  }

  function indicatorCard(item, session) {
    var header = el("div", { className: "item-header" }, [
      el("h3", { className: "item-title" }, [item.label]),
      itemPosition(session),
    ]);
    var table = el("table", { className: "visually-hidden" }, [
      el("caption", null, [item.label + (item.unit ? " (" + item.unit + ")" : "")]),
      el("thead", null, [el("tr", null, [el("th", { scope: "col" }, [T.area])].concat(
        item.periods.map(function (p) { return el("th", { scope: "col" }, [p]); })))]),
      el("tbody", null, item.series.map(function (s) {
        var byPeriod = {};
        s.points.forEach(function (pt) { byPeriod[pt[0]] = pt[1]; });
        return el("tr", null, [el("th", { scope: "row" }, [s.area])].concat(
          item.periods.map(function (p) {
            var v = byPeriod[p];
            return el("td", null, [v === null || v === undefined ? "–" : numbers.format(v)]);
          })));
      })),
    ]);
    var children = [
      header,
      item.description ? el("p", { className: "item-description" }, [item.description]) : null,
      el("div", { className: "chart-row" }, [
        el("div", { className: "chart", "aria-hidden": "true" }),
        standoutList(item),
      ]),
      table,
      item.target !== null && item.target !== undefined
        ? el("p", { className: "visually-hidden" }, [
          T.indicator_target + ": " + numbers.format(item.target) + " " + (item.unit || "")])
        : null,
      item.sources && item.sources.length
        ? el("p", { className: "source" }, [T.source + ": " + item.sources.join("; ")]) : null,
    ];
    return el("figure", { className: "panel item indicator" }, children);
  }

  /* What stands out in the data, worded by the server (session/standout.py): beside the chart. */
  function standoutList(item) {
    var lines = item.standout || [];
    if (!lines.length) return null;
    return el("aside", { className: "standout", "aria-label": T.standout }, [
      el("h4", { className: "standout-heading" }, [T.standout]),
      el("ul", null, lines.map(function (line) { return el("li", null, [line]); })),
    ]);
  }

  /* The words two or more participants used, larger as more used them (session/word_counts.py). */
  function wordPanel(words) {
    var heading = format(T.words_heading, { n: words.writers });
    if (!words.words.length) {
      return panel("words", heading, [el("p", { className: "empty" }, [T.words_none])]);
    }
    var most = words.words[0].n;
    var least = words.words[words.words.length - 1].n;
    var list = el("ul", { className: "word-list" }, words.words.map(function (w) {
      var weight = most === least ? 1 : (w.n - least) / (most - least);
      var size = "font-size:" + (1.1 + 1.1 * weight).toFixed(2) + "rem";
      return el("li", { className: "word", style: size }, [
        w.word, el("small", { className: "word-n" }, [String(w.n)]),
      ]);
    }));
    return panel("words", heading, [list]);
  }

  function chartFigure(item) {
    var font = rootFontPx();
    var data = item.series.map(function (s, i) {
      return {
        type: "scatter", mode: "lines+markers", name: s.area,
        x: s.points.map(function (p) { return p[0]; }),
        y: s.points.map(function (p) { return p[1]; }),
        line: { color: LINE_COLOURS[i % LINE_COLOURS.length], width: Math.max(2, font / 6) },
        marker: { symbol: LINE_SYMBOLS[i % LINE_SYMBOLS.length], size: font * 0.55,
                  color: LINE_COLOURS[i % LINE_COLOURS.length] },
        connectgaps: false,
        hovertemplate: "%{x}: %{y}" + (item.unit ? " " + item.unit : "") + "<extra>" +
          "%{fullData.name}</extra>",
      };
    });
    var shapes = [];
    var annotations = [];
    var hasTarget = item.target !== null && item.target !== undefined;
    if (hasTarget) {
      shapes.push({
        type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: item.target, y1: item.target,
        line: { color: "#333333", width: Math.max(2, font / 8), dash: "dash" },
      });
      annotations.push({
        // At the start of the line: the newest points, at the right, stay uncovered.
        xref: "paper", x: 0, xanchor: "left", yref: "y", y: item.target, yanchor: "bottom",
        text: T.indicator_target + ": " + numbers.format(item.target) +
          (item.unit ? " " + item.unit : ""),
        showarrow: false, font: { size: font * 0.95, color: "#222222" },
        bgcolor: "rgba(255,255,255,0.85)",
      });
    }
    // Keep the target inside the y range even when every value is on one side of it.
    var ys = [];
    item.series.forEach(function (s) {
      s.points.forEach(function (p) { if (p[1] !== null && p[1] !== undefined) ys.push(p[1]); });
    });
    if (hasTarget) ys.push(item.target);
    var yaxis = {
      title: { text: item.unit || "", font: { size: font } },
      tickfont: { size: font }, gridcolor: "#d0d0d0", zeroline: false,
      automargin: true, fixedrange: true,
    };
    if (ys.length) {
      var lo = Math.min.apply(null, ys);
      var hi = Math.max.apply(null, ys);
      var pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
      yaxis.range = [lo - pad, hi + pad];
    }
    var layout = {
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
      yaxis: yaxis, shapes: shapes, annotations: annotations,
      hoverlabel: { font: { size: font * 0.85 } },
    };
    var config = { staticPlot: false, displayModeBar: false, responsive: true };
    return { data: data, layout: layout, config: config };
  }

  function drawChart(node, item) {
    var chart = node.querySelector(".chart");
    if (!chart || !window.Plotly) return;
    var figure = chartFigure(item);
    stats.charts += 1;
    window.Plotly.react(chart, figure.data, figure.layout, figure.config);
  }

  function storyCard(item, session) {
    var paragraphs = String(item.body || "").split(/\n\s*\n/).map(function (part) {
      return el("p", null, [part.replace(/\s*\n\s*/g, " ").trim()]);
    });
    var kicker = [T.story];
    if (item.perspective) kicker.push(T.perspective + ": " + item.perspective);
    if (item.area) kicker.push(item.area);
    var source = [item.source, item.date].filter(Boolean).join(" · ");
    return el("article", { className: "panel item story" }, [
      el("div", { className: "item-header" }, [
        el("p", { className: "story-kicker" }, [kicker.join(" · ")]),
        itemPosition(session),
      ]),
      el("h3", { className: "item-title" }, [item.title]),
      el("div", { className: "story-body" }, paragraphs),
      source ? el("p", { className: "source" }, [T.source + ": " + source]) : null,
    ]);
  }

  function actionCard(item, session) {
    var facts = el("dl", { className: "action-facts" }, []);
    [[T.owner, item.owner], [T.due, item.due], [T.success_signal, item.success_signal, "wide"]]
      .forEach(function (fact) {
        if (!fact[1]) return;
        facts.appendChild(el("div", { className: fact[2] || null }, [
          el("dt", null, [fact[0]]), el("dd", null, [fact[1]]),
        ]));
      });
    // Direction and lever arrive as labels already (item_view translates them).
    var kicker = el("p", { className: "meta" }, [
      el("span", { className: "story-kicker" }, [T.earlier_action]),
      item.direction ? el("span", { className: "tag tag-direction" }, [item.direction]) : null,
      item.lever ? el("span", { className: "tag tag-lever" }, [item.lever]) : null,
    ]);
    return el("article", { className: "panel item action" }, [
      el("div", { className: "item-header" }, [kicker, itemPosition(session)]),
      el("h3", { className: "item-title" }, [item.what]),
      facts,
    ]);
  }

  /* The review asks per theme whether its indicators still tell what the group needs. */
  function monitoringCard(item, session) {
    var rows = item.indicators.map(function (i) {
      return el("li", null, [
        el("strong", null, [i.label]),
        el("span", { className: "meta" }, [format(T.monitoring_indicator, i)]),
      ]);
    });
    var stories = item.stories === 1 ? T.monitoring_story
      : item.stories ? format(T.monitoring_stories, { n: item.stories }) : "";
    return el("article", { className: "panel item monitoring" }, [
      el("div", { className: "item-header" }, [
        el("p", { className: "story-kicker" }, [T.monitoring_kicker]),
        itemPosition(session),
      ]),
      el("h3", { className: "item-title" }, [item.theme]),
      el("p", { className: "source" }, [T.monitoring_measures]),
      el("ul", { className: "monitoring-indicators" }, rows),
      stories ? el("p", { className: "source" }, [stories]) : null,
    ]);
  }

  function itemSpec(item, session) {
    var position = [session.item_index, (session.items || []).length].join("/");
    if (item.kind === "indicator") {
      return {
        id: "item", key: "indicator|" + item.id + "|" + position + "|" + chartSize,
        build: function () { return indicatorCard(item, session); },
        after: function (node) { drawChart(node, item); },
      };
    }
    if (item.kind === "story") {
      return { id: "item", key: "story|" + JSON.stringify(item) + position,
               build: function () { return storyCard(item, session); } };
    }
    if (item.kind === "summary") {
      return { id: "item", key: "summary|" + JSON.stringify(item) + position,
               build: function () { return summaryCard(item, session); } };
    }
    if (item.kind === "monitoring") {
      return { id: "item", key: "monitoring|" + JSON.stringify(item) + position,
               build: function () { return monitoringCard(item, session); } };
    }
    return { id: "item", key: "action|" + JSON.stringify(item) + position,
             build: function () { return actionCard(item, session); } };
  }

  /* The review round opens with last time's actions and where they stand. */
  function summaryCard(item, session) {
    var counts = ["done", "ongoing", "not_started", "dropped"].map(function (status) {
      return el("li", { className: "status-count status-" + status }, [
        el("strong", null, [String(item.by_status[status] || 0)]), " " + T["status_" + status],
      ]);
    });
    var signals = el("ul", { className: "signals" }, item.signals.map(function (s) {
      return el("li", null, [
        el("span", { className: "tag" }, [T["status_" + s.status]]), " ",
        el("strong", null, [s.what]),
        el("p", { className: "signal" }, [T.success_signal + " " + s.success_signal]),
        s.note ? el("p", { className: "signal-note" }, [s.note]) : null,
      ]);
    }));
    return el("article", { className: "panel item summary" }, [
      el("div", { className: "item-header" }, [
        el("p", { className: "story-kicker" }, [format(T.summary_kicker, { title: item.title, date: item.date })]),
        itemPosition(session),
      ]),
      el("h3", { className: "item-title" }, [format(T.summary_agreed, { n: item.agreed })]),
      el("ul", { className: "status-counts" }, counts),
      signals,
      item.set_aside ? el("p", { className: "source" }, [format(T.summary_set_aside, { n: item.set_aside })]) : null,
    ]);
  }

  // -- one round ---------------------------------------------------------------------------

  function resultFor(results, prompt) {
    return results ? results[prompt.id] : null;
  }

  /* The split of a choice or scale question: the item's on screen when it is asked per item
   * (results by item id), else the round's one (views/web/presenters.py results_view). */
  function splitFor(result, prompt, itemId) {
    if (!result) return null;
    if (prompt.per_item) return (result.items || {})[itemId] || null;
    return result.split || null;
  }

  function roundPlan(state) {
    var session = state.session;
    var results = state.results;
    var prompts = session.round ? session.round.prompts : [];
    var item = session.item;
    var itemId = item ? item.id : null;
    var questionNumber = {};
    prompts.forEach(function (p, i) { questionNumber[p.id] = i + 1; });
    var targeted = {};
    prompts.forEach(function (p) { if (p.target) targeted[p.target] = true; });
    var promptById = {};
    prompts.forEach(function (p) { promptById[p.id] = p; });

    var main = [];
    var side = [];
    if (item) main.push(itemSpec(item, session));
    if (session.stage === "explain" && session.theme && session.theme.theory_of_change) {
      var theme = session.theme;
      side.push({ id: "theory", key: theme.key + "|" + theme.theory_of_change,
                  build: function () { return theoryPanel(theme); } });
    }
    if (!results) {
      var target = item ? side : main;
      var count = shownCount(state);
      target.push({ id: "hidden", key: String(count),
                    build: function () { return hiddenResults(count); } });
      return { main: main, side: side };
    }

    var votes = [];
    var splits = [];
    var textGroups = [];
    prompts.forEach(function (prompt) {
      var result = resultFor(results, prompt);
      if (!result) return;
      if (prompt.kind === "choice" || prompt.kind === "scale") {
        var split = splitFor(result, prompt, itemId);
        if (!split) return;
        splits.push({
          id: "split-" + prompt.id, key: JSON.stringify([prompt, split]),
          build: function () {
            return prompt.kind === "choice" ? choiceSplit(prompt, split)
              : scaleSplit(prompt, split);
          },
        });
      } else if (prompt.kind === "upvote" || prompt.kind === "dots") {
        // The ranked answers are answers to the target question: that is the heading.
        var heading = promptById[prompt.target] ? promptById[prompt.target].text : prompt.text;
        votes.push({
          id: "ranked-" + prompt.id,
          key: JSON.stringify([prompt.text, heading, result, session.levers, session.directions,
                               session.perspectives]),
          build: function () { return ranked(prompt, heading, result, session); },
        });
      } else if (!targeted[prompt.id]) {
        var answers = (result.recent || []).filter(function (a) {
          return !prompt.per_item || a.item === itemId;
        });
        textGroups.push({ prompt: prompt, answers: answers, number: questionNumber[prompt.id] });
      }
    });

    var recent = [];
    if (textGroups.length) {
      var labelsKey = JSON.stringify([session.perspectives, session.levers, session.directions]);
      if (item || textGroups.length === 1) {
        // Beside an item there is room for one list: all questions together, numbered.
        var heading = textGroups.length === 1 ? textGroups[0].prompt.text : T.recent_answers;
        var groups = textGroups.length === 1 ? [{ prompt: textGroups[0].prompt,
          answers: textGroups[0].answers, number: null }] : textGroups;
        recent.push({ id: "recent", key: JSON.stringify([heading, groups, labelsKey]),
                      build: function () { return recentTexts(heading, groups, session); } });
      } else {
        textGroups.forEach(function (g) {
          var single = [{ prompt: g.prompt, answers: g.answers, number: null }];
          recent.push({ id: "recent-" + g.prompt.id,
                        key: JSON.stringify([single, labelsKey]),
                        build: function () { return recentTexts(g.prompt.text, single, session); } });
        });
      }
    }

    if (state.words) {
      var words = state.words;
      recent.unshift({ id: "words", key: JSON.stringify(words),
                       build: function () { return wordPanel(words); } });
    }

    if (item && (item.kind === "action" || item.kind === "monitoring")) {
      // An earlier action (or a theme's monitoring) is short: the second split goes under it, the rest beside it.
      main = main.concat(splits.slice(1));
      side = side.concat(splits.slice(0, 1), votes, recent);
    } else if (item) {
      side = side.concat(splits, votes, recent);
    } else if (votes.length) {
      main = main.concat(votes);
      side = side.concat(splits, recent);
    } else if (splits.length) {
      main = main.concat(splits);
      side = side.concat(recent);
    } else {
      main = main.concat(recent);
    }
    return { main: main, side: side };
  }

  // -- the whole page ------------------------------------------------------------------------

  var chartSize = "";
  var stats = { charts: 0, renders: 0 };
  var lastState = null;
  var lastStage = null;
  var liveTimer = null;
  var liveAt = 0;
  var liveAnnounced = "";

  function renderHeader(session) {
    var inRound = !!session.round;
    show(byId("round-part"), inRound);
    show(byId("theme-part"), inRound && !!session.theme);
    show(byId("title-part"), !inRound);
    setText(byId("round-title"), inRound ? session.round.title : "");
    setText(byId("theme-title"), session.theme ? session.theme.title : "");
    setText(byId("title-part"), session.title);
    show(byId("example-badge"), !!session.example);
    show(byId("top-join"), session.stage !== "lobby" && session.stage !== "closed");
    var questions = byId("questions");
    var prompts = inRound ? session.round.prompts : [];
    var key = JSON.stringify(prompts.map(function (p) { return p.text; }));
    if (questions.dataset.key !== key) {
      questions.dataset.key = key;
      questions.replaceChildren.apply(questions, prompts.map(function (p) {
        return el("li", null, [p.text]);
      }));
    }
    show(questions, prompts.length > 0);
  }

  function renderCounts(participants) {
    var total = sum(participants.map(function (p) { return p.count; }));
    var key = JSON.stringify(participants);
    var lobby = byId("lobby-counts");
    if (lobby.dataset.key !== key) {
      lobby.dataset.key = key;
      lobby.replaceChildren.apply(lobby, participants.map(function (p) {
        return el("li", { className: p.count ? "" : "none" }, [
          el("span", { className: "count", "data-perspective": p.key }, [String(p.count)]),
          el("span", { className: "perspective" }, [p.label]),
        ]);
      }));
      var footer = byId("footer-counts");
      footer.replaceChildren.apply(footer, participants.map(function (p, i) {
        return el("span", { className: "footer-count" }, [
          i ? " · " : "", p.label + " ", el("strong", null, [String(p.count)]),
        ]);
      }));
    }
    setText(byId("lobby-total"), "(" + total + ")");
  }

  // The answers of this round (and theme); `answers` counts the whole session.
  function shownCount(state) {
    return state.round_answers === null || state.round_answers === undefined
      ? state.answers : state.round_answers;
  }

  function announce(state) {
    // Polite and sparse: the answer count at most every ten seconds, a new round at once.
    var session = state.session;
    var message = shownCount(state) + " " + T.answers;
    if (session.stage !== lastStage) {
      var round = session.round ? session.round.title : (session.stage === "closed"
        ? T.closed_title : T.lobby_screen);
      message = round + ". " + message;
      liveAt = 0;
    }
    var now = Date.now();
    clearTimeout(liveTimer);
    var say = function () {
      if (message !== liveAnnounced) {
        byId("live").textContent = message;
        liveAnnounced = message;
      }
      liveAt = Date.now();
    };
    if (now - liveAt >= 10000) say();
    else liveTimer = setTimeout(say, 10000 - (now - liveAt));
  }

  function render(state) {
    stats.renders += 1;
    lastState = state;
    var session = state.session;
    var stage = session.stage;
    document.body.className = "stage-" + stage + (session.round ? " in-round" : "");
    renderHeader(session);
    renderCounts(state.participants || []);
    setText(byId("answer-count"), String(shownCount(state)));
    show(byId("lobby"), stage === "lobby");
    show(byId("closed"), stage === "closed");
    show(byId("round"), !!session.round);
    show(byId("bottom"), !!session.round);
    if (state.join && state.join.short) {
      Array.prototype.forEach.call(document.querySelectorAll(".join-short, #short-code"),
        function (node) { setText(node, state.join.short); });
    }
    if (stage === "lobby") {
      setText(byId("organisation"), session.organisation || "");
    }
    if (session.round) {
      setText(byId("round-heading"), session.round.title);
      var plan = roundPlan(state);
      var columns = byId("round").querySelector(".columns");
      columns.classList.toggle("single", !plan.side.length || !plan.main.length);
      reconcile(byId("col-main"), plan.main);
      reconcile(byId("col-side"), plan.side);
      show(byId("col-main"), plan.main.length > 0);
      show(byId("col-side"), plan.side.length > 0);
      fitColumns(columns, plan);
      trimLists();
    } else {
      reconcile(byId("col-main"), []);
      reconcile(byId("col-side"), []);
    }
    announce(state);
    lastStage = stage;
  }

  /* Splits, the theory and an action keep their natural height. When together they do not
   * fit (a long action, many perspectives) the round switches to a denser style, and stays
   * in it until the panels on screen change, so it does not flicker with every update. */
  var fitKey = "";
  function fitColumns(columns, plan) {
    var key = plan.main.concat(plan.side).map(function (spec) { return spec.id; }).join(",") +
      "|" + chartSize + "|" + (lastState.session.item ? lastState.session.item.id : "");
    if (key !== fitKey) {
      fitKey = key;
      columns.classList.remove("compact");
    }
    if (columns.classList.contains("compact")) return;
    var over = Array.prototype.some.call(columns.children, function (col) {
      return !col.hidden && col.scrollHeight > col.clientHeight + 1;
    }) || Array.prototype.some.call(columns.querySelectorAll(".action"), function (card) {
      return card.scrollHeight > card.clientHeight + 1;
    });
    if (over) columns.classList.add("compact");
  }

  /* Lists show what fits: an entry that would be cut off is hidden entirely (they are
   * ordered best or newest first, so what is hidden matters least). */
  function trimLists() {
    Array.prototype.forEach.call(document.querySelectorAll("#round .recent, #round .ranked"),
      function (list) {
        var entries = Array.prototype.slice.call(list.children);
        entries.forEach(function (entry) { entry.classList.remove("cut"); });
        var bottom = list.getBoundingClientRect().bottom + 0.5;
        entries.forEach(function (entry, index) {
          // The first entry stays even when it is cut: an empty list would look broken.
          if (index && entry.getBoundingClientRect().bottom > bottom) entry.classList.add("cut");
        });
      });
  }

  // Fonts of the chart follow the viewport: redraw it (only it) after a resize.
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      chartSize = window.innerWidth + "x" + window.innerHeight;
      if (lastState) render(lastState);
    }, 200);
  });
  chartSize = window.innerWidth + "x" + window.innerHeight;

  // -- the connection -----------------------------------------------------------------------

  var reconnecting = byId("reconnecting");
  var socket = window.io("/screen", { auth: { language: LANG } });
  socket.on("connect", function () { show(reconnecting, false); });
  socket.on("disconnect", function () { show(reconnecting, true); });
  socket.on("connect_error", function () { show(reconnecting, true); });
  socket.on("screen", function (state) {
    try {
      render(state);
    } catch (error) {
      // A drawing bug must not stop the next update from drawing.
      if (window.console) window.console.error(error);
    }
  });
  // Read by the browser test: how often the chart was drawn.
  window.duidingScreen = stats;
})();
