/* The split of a choice or scale question per perspective: one stacked bar per group, the
 * total, last time's row, the change since then and the pair furthest apart. */

import { el, format } from "../dom.js";
import { OPTION_COLOURS, scaleColours } from "./colours.js";
import { T, longDate, means, percent, twoDecimals, counted } from "./locale.js";
import { panel, sum } from "./panels.js";

function legend(entries) {
  return el("ul", { className: "legend", "aria-hidden": "true" }, entries.map((e) =>
    el("li", null, [el("span", { className: "swatch", style: `background:${e.colour}` }), e.label])));
}

function legendLine(entries, respondents) {
  return el("div", { className: "legend-line" }, [
    legend(entries),
    el("p", { className: "respondents" }, [
      el("strong", null, [String(respondents)]), ` ${counted("respondents", respondents)}`,
    ]),
  ]);
}

/* One horizontal stacked bar: segments sized by share, each labelled with its count. */
function stackedBar(segments, total) {
  const bar = el("span", { className: "bar", "aria-hidden": "true" });
  if (!total) {
    bar.classList.add("bar-empty");
    return bar;
  }
  for (const s of segments) {
    if (!s.count) continue;
    const share = (100 * s.count) / total;
    bar.append(el("span", {
      className: "segment",
      style: `width:${share.toFixed(3)}%;background:${s.colour};color:${s.ink}`,
    }, [String(s.count)]));
  }
  return bar;
}

// The pair furthest apart is named only when it passes the threshold with big enough
// groups (the server decides: docs/method.md), always with both groups' n.
function divergenceLine(divergence, tooFew, foldedBelow) {
  const parts = [];
  if (divergence && divergence.highlight && divergence.between) {
    parts.push(el("p", { className: "divergence" }, [
      el("span", { className: "divergence-mark", "aria-hidden": "true" }, ["◆"]),
      ` ${T.largest_difference}: `,
      el("strong", null, [divergence.between[0]]),
      ` (n=${divergence.n[0]}) ${T.and} `,
      el("strong", null, [divergence.between[1]]),
      ` (n=${divergence.n[1]})` +
        (divergence.option ? ` · ${format(T.difference_on, { option: divergence.option })}` : "") +
        ` · ${T.difference} ${twoDecimals.format(divergence.score)}`,
      divergence.indicative ? el("span", { className: "indicative" }, [` · ${T.indicative}`]) : null,
    ]));
  }
  if (tooFew && tooFew.length) {
    parts.push(el("p", { className: "too-few" }, [
      `${T.too_few_to_compare}: ${tooFew.map((g) => `${g.label} (n=${g.n})`).join(", ")}`,
    ]));
  }
  if (foldedBelow) {
    parts.push(el("p", { className: "too-few folded" }, [format(T.folded, { k: foldedBelow })]));
  }
  return parts.length ? el("div", { className: "comparison" }, parts) : null;
}

function divergent(divergence, label) {
  return divergence && divergence.highlight && divergence.between &&
    divergence.between.includes(label) ? "divergent" : null;
}

/* One row: its label, bar, figure and the row in words. `kind`: "divergent", "bar-total"
 * or "bar-previous" (a class of its own), or nothing. */
function barRow(label, segments, total, extra, kind, spoken) {
  return el("li", { className: `bar-row${kind ? ` ${kind}` : ""}` }, [
    el("span", { className: "bar-label" }, [
      kind === "divergent" ? el("span", { className: "divergence-mark", "aria-hidden": "true" }, ["◆ "]) : null,
      label,
    ]),
    stackedBar(segments, total),
    el("span", { className: "bar-extra", "aria-hidden": "true" }, [extra]),
    el("span", { className: "visually-hidden" }, [spoken]),
  ]);
}

/* When last time was, and per perspective with enough answers both times: then → now
 * (session/previous.py). The row's label says only "Vorige keer": a date would not fit. */
function changeLine(before, write) {
  if (!before) return null;
  const parts = [format(T.previous_on, { date: longDate(before.date) })];
  if (before.changes && before.changes.length) {
    const what = before.option ? format(T.change_share, { option: before.option }) : T.change_mean;
    parts.push(`${T.since_previous} (${what}): ` + before.changes.map((c) =>
      `${c.label} ${write(c.then)} → ${write(c.now)} (n=${c.n_then} → ${c.n_now})`).join(" · "));
  }
  return el("p", { className: "change" }, [parts.join(". ")]);
}

export function choiceSplit(prompt, split) {
  const options = split.options;
  const colours = options.map((o, i) => OPTION_COLOURS[i % OPTION_COLOURS.length]);
  const segments = (counts) => options.map((o, i) => (
    { count: counts[o.key] || 0, colour: colours[i][0], ink: colours[i][1] }));
  const spoken = (label, counts, n) =>
    `${label}: ${options.map((o) => `${o.label} ${counts[o.key] || 0}`).join(", ")} (${n})`;
  const rows = split.by_perspective.map((p) => {
    const n = sum(options.map((o) => p.counts[o.key] || 0));
    return barRow(p.label, segments(p.counts), n, String(n),
                  divergent(split.divergence, p.label), spoken(p.label, p.counts, n));
  });
  const totalN = sum(options.map((o) => split.total[o.key] || 0));
  rows.push(barRow(T.total, segments(split.total), totalN, String(totalN), "bar-total",
                   spoken(T.total, split.total, totalN)));
  const before = split.previous;
  if (before) {
    const spokenLabel = `${T.previous} (${longDate(before.date)})`;
    rows.push(barRow(T.previous, segments(before.total), before.n, String(before.n),
                     "bar-previous", spoken(spokenLabel, before.total, before.n)));
  }
  return panel("split choice", prompt.text, [
    legendLine(options.map((o, i) => ({ label: o.label, colour: colours[i][0] })),
               split.respondents),
    el("ul", { className: "bars" }, rows),
    changeLine(before, (v) => percent.format(v)),
    divergenceLine(split.divergence, split.too_few, split.folded_below),
  ]);
}

export function scaleSplit(prompt, split) {
  const values = [];
  for (let v = split.min; v <= split.max; v++) values.push(String(v));
  const colours = scaleColours(values.length);
  const segments = (counts) => values.map((value, i) => (
    { count: counts[value] || 0, colour: colours[i][0], ink: colours[i][1] }));
  const meanText = (d) => (d.mean === null || d.mean === undefined ? "–" : means.format(d.mean));
  const spoken = (label, d) =>
    `${label}: ${values.map((value) => `${value}: ${d.counts[value] || 0}`).join(", ")}; ` +
    `${T.mean} ${meanText(d)} (${d.n})`;
  const rows = split.by_perspective.map((p) => barRow(
    p.label, segments(p.counts), p.n,
    `${T.mean} ${meanText(p)}${p.polarised ? ` · ${T.polarised}` : ""}`,
    divergent(split.divergence, p.label), spoken(p.label, p)));
  rows.push(barRow(T.total, segments(split.total.counts), split.total.n,
                   `${T.mean} ${meanText(split.total)}`, "bar-total", spoken(T.total, split.total)));
  const before = split.previous;
  if (before) {
    const then = { counts: before.total, n: before.n, mean: before.mean };
    rows.push(barRow(T.previous, segments(before.total), before.n, `${T.mean} ${meanText(then)}`,
                     "bar-previous", spoken(`${T.previous} (${longDate(before.date)})`, then)));
  }
  const legendEntries = values.map((value, i) => {
    let label = value;
    if (i === 0 && prompt.min_label) label += ` ${prompt.min_label}`;
    if (i === values.length - 1 && prompt.max_label) label += ` ${prompt.max_label}`;
    return { label, colour: colours[i][0] };
  });
  return panel("split scale", prompt.text, [
    legendLine(legendEntries, split.total.n),
    el("ul", { className: "bars" }, rows),
    changeLine(before, (v) => means.format(v)),
    divergenceLine(split.divergence, split.too_few, split.folded_below),
  ]);
}
