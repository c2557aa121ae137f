/* What a per-item question is about, on the phone: an indicator (with its chart), a story,
 * an earlier action or a theme's monitoring. */

import { el, format, longDate } from "../dom.js";

// The chart module is fetched the first time a phone shows an indicator, not with the page:
// most of a session is not about a chart, and 200 phones share the venue's Wi-Fi.
let chartModule = null;
let chartLoading = null;

function chartInto(box, item, texts, palette) {
  const draw = (module) => {
    if (!module.drawLineChart(box, item, texts, palette)) box.remove();
  };
  if (chartModule) {
    draw(chartModule);
    return;
  }
  // The URL carries the release's version (the path this module came from), so a phone
  // never mixes this page's modules with another release's chart.
  chartLoading = chartLoading || import("./chart.js").then((module) => (chartModule = module));
  chartLoading.then(draw, () => {
    chartLoading = null;  // the next render tries again; the card stands without its chart
    box.remove();
  });
}

/** The card of `item`; `t` gives the page's words, `texts` all of them and `palette` the
 * colours (for the chart), `counted(key, n)` a text in the form that goes with `n`, and
 * `language` the page's (dates are written out in it). */
export function itemCard(item, t, texts, palette, counted, language) {
  const card = el("section", { className: "card item", "aria-label": t("about") });
  if (item.kind === "indicator") {
    card.append(el("h2", { text: item.label }));
    if (item.description) card.append(el("p", { className: "help", text: item.description }));
    // Empty until the chart is there; CSS keeps the chart's room so nothing jumps.
    const chart = el("div", { className: "chart" });
    card.append(chart);
    chartInto(chart, item, texts, palette);
    if (item.sources.length) card.append(el("p", { className: "meta", text: item.sources.join("; ") }));
  } else if (item.kind === "story") {
    card.append(el("p", { className: "theme-line", text: `${t("story")} · ${item.perspective}` }));
    card.append(el("h2", { text: item.title }));
    card.append(el("p", { className: "meta", text: [item.area, item.source, item.date].join(" · ") }));
    card.append(el("p", { className: "story-body", text: item.body }));
  } else if (item.kind === "action") {
    card.append(el("p", { className: "theme-line", text: t("earlier_action") }));
    card.append(el("h2", { text: item.what }));
    card.append(el("p", { className: "meta",
      text: `${t("owner")}: ${item.owner} · ${t("due")}: ${longDate(item.due, language)}` }));
    card.append(el("p", { text: `${t("success_signal")} ${item.success_signal}` }));
  } else if (item.kind === "monitoring") {
    card.append(el("p", { className: "theme-line", text: t("monitoring_kicker") }));
    card.append(el("h2", { text: item.theme }));
    card.append(el("p", { className: "meta", text: t("monitoring_measures") }));
    card.append(el("ul", { className: "indicators" }, item.indicators.map((i) =>
      el("li", { text: `${i.label} (${format(counted("monitoring_indicator", i.areas), i)})` }))));
  }
  return card;
}

/** What `item` is called: an indicator's label, a story's title, an action's what. */
export function itemTitle(item, t) {
  if (!item) return "";
  if (item.kind === "indicator") return item.label;
  if (item.kind === "story") return item.title;
  if (item.kind === "action") return item.what;
  if (item.kind === "monitoring") return item.theme;
  if (item.kind === "summary") return t("summary_title");  // last time's actions
  return "";
}
