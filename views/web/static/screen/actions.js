/* The actions the room agreed, on the projector: the theme's in verbeteren, against the
 * pack's limit, and every theme's at closing with what the review recorded
 * (views/web/presenters.py agreed_view). Actions hold no participant data; they still
 * reach the page only as text (dom.js). */

import { el, format } from "../dom.js";
import { T, counted, longDate } from "./locale.js";
import { panel } from "./panels.js";

// The actions this page has shown (from its first list of them, which marks none): one
// agreed since is marked as it appears.
let seen = null;

function agreedAction(action, mark) {
  const fresh = mark && !seen.has(action.id);
  return el("li", { className: `agreed-action${fresh ? " fresh" : ""}` }, [
    el("p", { className: "agreed-what" }, [action.what]),
    el("p", { className: "agreed-meta" }, [
      el("span", null, [el("span", { className: "agreed-label" }, [`${T.owner}: `]), action.owner]),
      el("span", null, [el("span", { className: "agreed-label" }, [`${T.due}: `]),
                        longDate(action.due)]),
    ]),
    el("p", { className: "agreed-signal" }, [
      el("span", { className: "agreed-label" }, [`${T.success_signal} `]), action.success_signal,
    ]),
  ]);
}

/** The actions as a numbered list, in the order agreed; with `mark`, one agreed since the
 * last list is marked. */
function agreedList(actions, mark) {
  const list = el("ol", { className: "agreed-list" },
                  actions.map((action) => agreedAction(action, mark)));
  seen = new Set([...(seen || []), ...actions.map((a) => a.id)]);
  return list;
}

/** "2 van 3 acties": the theme's actions against the pack's limit; past it, said so. */
export function agreedCount(agreed) {
  const over = agreed.count > agreed.limit;
  return format(counted(over ? "agreed_over" : "agreed_count", agreed.limit),
                { count: agreed.count });
}

/** Verbeteren: the theme's agreed actions, with their count against the pack's limit and,
 * past it, a gentle word (the console asked before each one past it). */
export function agreedPanel(agreed) {
  if (seen === null) seen = new Set(agreed.actions.map((a) => a.id));
  const over = agreed.count > agreed.limit;
  const heading = el("span", { className: "agreed-heading" }, [
    T.agreed_title, " ",
    el("span", { className: `agreed-count${over ? " over" : ""}` }, [agreedCount(agreed)]),
  ]);
  return panel(`agreed${over ? " over" : ""}`, heading, [
    over ? el("p", { className: "agreed-gently" }, [T.agreed_gently]) : null,
    agreed.actions.length ? agreedList(agreed.actions, true)
      : el("p", { className: "empty" }, [T.agreed_none]),
  ]);
}

function reviewedEntry(entry) {
  const before = T[`status_${entry.before}`] || entry.before;
  const after = T[`status_${entry.status}`] || entry.status;
  const change = format(entry.changed ? T.review_change : T.review_same, { before, after });
  return el("li", { className: "reviewed-action" }, [
    el("p", { className: "agreed-what" }, [entry.what]),
    el("p", { className: "agreed-meta" }, [
      el("span", { className: `tag status-${entry.status}` }, [change]),
      entry.note ? el("span", { className: "reviewed-note" }, [entry.note]) : null,
    ]),
  ]);
}

/** Closing: every theme's agreed actions, then what the review recorded. The groups in
 * `closing` (null: nothing was agreed or recorded, the thank-you stands alone). */
export function closingGroups(closing) {
  const groups = closing.themes.map((theme) => el("section", { className: "panel closing-group" }, [
    el("h4", { className: "panel-heading" }, [theme.title]),
    agreedList(theme.actions, false),
  ]));
  if (closing.reviewed.length) {
    groups.push(el("section", { className: "panel closing-group reviewed" }, [
      el("h4", { className: "panel-heading" }, [T.review_recorded]),
      el("ul", { className: "agreed-list reviewed-list" }, closing.reviewed.map(reviewedEntry)),
    ]));
  }
  return groups;
}
