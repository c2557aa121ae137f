/* The item a round is about, on the projector: an indicator (chart, what stands out, the
 * figures as a table), a story, an earlier action, a theme's monitoring or the review's
 * opening summary. */

import { el, format } from "../dom.js";
import { drawChart } from "./chart.js";
import { T, counted, longDate, numbers } from "./locale.js";

function itemPosition(session) {
  if (session.item_index === null || session.item_index === undefined) return null;
  const total = (session.items || []).length;
  if (total < 2) return null;
  return el("p", { className: "item-position" }, [
    format(T.item_position, { n: session.item_index + 1, total }),
  ]);
}

function indicatorCard(item, session) {
  const header = el("div", { className: "item-header" }, [
    el("h3", { className: "item-title" }, [item.label]),
    itemPosition(session),
  ]);
  const table = el("table", { className: "visually-hidden" }, [
    el("caption", null, [item.label + (item.unit ? ` (${item.unit})` : "")]),
    el("thead", null, [el("tr", null, [el("th", { scope: "col" }, [T.area])].concat(
      item.periods.map((p) => el("th", { scope: "col" }, [p]))))]),
    el("tbody", null, item.series.map((s) => {
      const byPeriod = {};
      for (const pt of s.points) byPeriod[pt[0]] = pt[1];
      return el("tr", null, [el("th", { scope: "row" }, [s.area])].concat(
        item.periods.map((p) => {
          const v = byPeriod[p];
          return el("td", null, [v === null || v === undefined ? "–" : numbers.format(v)]);
        })));
    })),
  ]);
  return el("figure", { className: "panel item indicator" }, [
    header,
    item.description ? el("p", { className: "item-description" }, [item.description]) : null,
    el("div", { className: "chart-row" }, [
      el("div", { className: "chart", "aria-hidden": "true" }),
      standoutList(item),
    ]),
    table,
    item.target !== null && item.target !== undefined
      ? el("p", { className: "visually-hidden" }, [
        `${T.indicator_target}: ${numbers.format(item.target)} ${item.unit || ""}`])
      : null,
    item.sources && item.sources.length
      ? el("p", { className: "source" }, [`${T.source}: ${item.sources.join("; ")}`]) : null,
  ]);
}

/* What stands out in the data, worded by the server (session/standout.py): beside the chart. */
function standoutList(item) {
  const lines = item.standout || [];
  if (!lines.length) return null;
  return el("aside", { className: "standout", "aria-label": T.standout }, [
    el("h4", { className: "standout-heading" }, [T.standout]),
    el("ul", null, lines.map((line) => el("li", null, [line]))),
  ]);
}

function storyCard(item, session) {
  const paragraphs = String(item.body || "").split(/\n\s*\n/).map((part) =>
    el("p", null, [part.replace(/\s*\n\s*/g, " ").trim()]));
  const kicker = [T.story];
  if (item.perspective) kicker.push(`${T.perspective}: ${item.perspective}`);
  if (item.area) kicker.push(item.area);
  const source = [item.source, item.date].filter(Boolean).join(" · ");
  return el("article", { className: "panel item story" }, [
    el("div", { className: "item-header" }, [
      el("p", { className: "story-kicker" }, [kicker.join(" · ")]),
      itemPosition(session),
    ]),
    el("h3", { className: "item-title" }, [item.title]),
    el("div", { className: "story-body" }, paragraphs),
    source ? el("p", { className: "source" }, [`${T.source}: ${source}`]) : null,
  ]);
}

function actionCard(item, session) {
  const facts = [[T.owner, item.owner], [T.due, longDate(item.due)],
                 [T.success_signal, item.success_signal, "wide"]]
    .filter((fact) => fact[1])
    .map((fact) => el("div", { className: fact[2] || null }, [
      el("dt", null, [fact[0]]), el("dd", null, [fact[1]]),
    ]));
  // Direction and lever arrive as labels already (item_view translates them).
  const kicker = el("p", { className: "meta" }, [
    el("span", { className: "story-kicker" }, [T.earlier_action]),
    item.direction ? el("span", { className: "tag tag-direction" }, [item.direction]) : null,
    item.lever ? el("span", { className: "tag tag-lever" }, [item.lever]) : null,
  ]);
  return el("article", { className: "panel item action" }, [
    el("div", { className: "item-header" }, [kicker, itemPosition(session)]),
    el("h3", { className: "item-title" }, [item.what]),
    el("dl", { className: "action-facts" }, facts),
  ]);
}

/* The review asks per theme whether its indicators still tell what the group needs. */
function monitoringCard(item, session) {
  const rows = item.indicators.map((i) => el("li", null, [
    el("strong", null, [i.label]),
    el("span", { className: "meta" }, [format(counted("monitoring_indicator", i.areas), i)]),
  ]));
  const stories = item.stories ? counted("monitoring_stories", item.stories) : "";
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

/* The review round opens with last time's actions and where they stand. */
function summaryCard(item, session) {
  const counts = ["done", "ongoing", "not_started", "dropped"].map((status) =>
    el("li", { className: `status-count status-${status}` }, [
      el("strong", null, [String(item.by_status[status] || 0)]), ` ${T[`status_${status}`]}`,
    ]));
  const signals = el("ul", { className: "signals" }, item.signals.map((s) => el("li", null, [
    el("span", { className: "tag" }, [T[`status_${s.status}`]]), " ",
    el("strong", null, [s.what]),
    el("p", { className: "signal" }, [`${T.success_signal} ${s.success_signal}`]),
    s.note ? el("p", { className: "signal-note" }, [s.note]) : null,
  ])));
  return el("article", { className: "panel item summary" }, [
    el("div", { className: "item-header" }, [
      el("p", { className: "story-kicker" }, [format(T.summary_kicker, { title: item.title, date: longDate(item.date) })]),
      itemPosition(session),
    ]),
    el("h3", { className: "item-title" }, [counted("summary_agreed", item.agreed)]),
    el("ul", { className: "status-counts" }, counts),
    signals,
    item.set_aside ? el("p", { className: "source" }, [counted("summary_set_aside", item.set_aside)]) : null,
  ]);
}

/** The plan's spec of the item panel. An indicator's key holds the chart's size, so a
 * resize redraws it; `charted()` counts each drawing (window.duidingScreen.charts). */
export function itemSpec(item, session, chartSize, charted) {
  const position = [session.item_index, (session.items || []).length].join("/");
  if (item.kind === "indicator") {
    return {
      id: "item", key: `indicator|${item.id}|${position}|${chartSize}`,
      build: () => indicatorCard(item, session),
      after: (node) => { if (drawChart(node, item)) charted(); },
    };
  }
  const cards = { story: storyCard, summary: summaryCard, monitoring: monitoringCard };
  const kind = cards[item.kind] ? item.kind : "action";
  const card = cards[item.kind] || actionCard;
  return { id: "item", key: `${kind}|${JSON.stringify(item)}${position}`,
           build: () => card(item, session) };
}
