/* What participants wrote, on the projector: the newest texts, answers ranked by votes or
 * dots, the recurring words; and the panel that stands in while results are hidden. */

import { el, format } from "../dom.js";
import { T, counted } from "./locale.js";
import { panel, perspectiveLabels } from "./panels.js";
import { theoryParagraphs } from "../theory.js";

function answerMeta(answer, session, labels) {
  const parts = [];
  if (answer.direction) parts.push((session.directions || {})[answer.direction] || answer.direction);
  if (answer.lever) parts.push((session.levers || {})[answer.lever] || answer.lever);
  if (answer.perspective) parts.push(labels[answer.perspective] || answer.perspective);
  return parts;
}

export function ranked(prompt, heading, result, session) {
  const labels = perspectiveLabels(session);
  const unit = result.kind === "dots" ? "dot" : "vote";
  const entries = result.ranked.slice(0, 12);
  const top = Math.max(1, ...entries.map((e) => e.score));
  const list = el("ol", { className: "ranked" }, entries.map((entry) => {
    const tags = [];
    if (entry.direction) {
      tags.push(el("span", { className: "tag tag-direction" },
        [(session.directions || {})[entry.direction] || entry.direction]));
    }
    if (entry.lever) {
      tags.push(el("span", { className: "tag tag-lever" },
        [(session.levers || {})[entry.lever] || entry.lever]));
    }
    const perspective = entry.perspective ? labels[entry.perspective] || entry.perspective : "";
    return el("li", { className: "ranked-entry" }, [
      el("span", { className: "score" }, [
        el("strong", null, [String(entry.score)]), el("small", null, [counted(unit, entry.score)]),
      ]),
      el("span", { className: "ranked-body" }, [
        el("span", { className: "ranked-text" }, [entry.text]),
        el("span", { className: "meta" }, tags.concat([perspective])),
        el("span", { className: "score-bar", "aria-hidden": "true",
                     style: `width:${((100 * entry.score) / top).toFixed(1)}%` }),
      ]),
    ]);
  }));
  return panel("ranked-panel", heading, [
    entries.length ? list : el("p", { className: "empty" }, [T.no_answers]),
  ]);
}

/** The newest answers to one question (`group`: its prompt, its answers and its number in
 * the header, if any), newest first. Beside an item (`group.beside`) room is short: the
 * question's number from the header stands in for its heading. */
export function recentTexts(heading, group, session, className) {
  const labels = perspectiveLabels(session);
  const empty = !group.answers.length;
  const list = empty ? el("p", { className: "empty" }, [T.no_answers])
    : el("ul", { className: "recent" }, group.answers.map((answer) => el("li", null, [
      el("span", { className: "recent-body" }, [
        el("span", { className: "recent-text" }, [answer.text]),
        el("span", { className: "meta" }, [answerMeta(answer, session, labels).join(" · ")]),
      ]),
    ])));
  const badge = group.number
    ? el("span", { className: "qnum", "aria-hidden": "true" }, [String(group.number)]) : null;
  const classes = `recent-panel${empty ? " no-answers" : ""}${className ? ` ${className}` : ""}`;
  if (group.beside && badge) {
    return panel(`${classes} numbered`, null, [badge, list],
                 `${T.question} ${group.number}: ${heading}`);
  }
  const title = badge ? el("span", null, [
    badge, el("span", { className: "visually-hidden" }, [`${T.question} ${group.number}: `]),
    heading,
  ]) : heading;
  return panel(classes, title, [list]);
}

export function hiddenResults(answers) {
  return panel("hidden-results", null, [
    el("p", { className: "big-number" }, [
      el("strong", { className: "hidden-count" }, [String(answers)]), ` ${counted("answers", answers)}`,
    ]),
    el("p", { className: "hidden-help" }, [T.results_hidden]),
  ]);
}

/* The theme's theory of change, in its three parts where the pack gives them. */
export function theoryPanel(theme) {
  return panel("theory", T.theory_of_change, theoryParagraphs(theme, T.theory_open));
}

/* The words two or more participants used, larger as more used them (session/word_counts.py). */
export function wordPanel(words) {
  const heading = format(T.words_heading, { n: words.writers });
  if (!words.words.length) {
    return panel("words", heading, [el("p", { className: "empty" }, [T.words_none])]);
  }
  const most = words.words[0].n;
  const least = words.words[words.words.length - 1].n;
  const list = el("ul", { className: "word-list" }, words.words.map((w) => {
    const weight = most === least ? 1 : (w.n - least) / (most - least);
    const size = `font-size:${(1.1 + 1.1 * weight).toFixed(2)}rem`;
    return el("li", { className: "word", style: size }, [
      w.word, el("small", { className: "word-n" }, [String(w.n)]),
    ]);
  }));
  return panel("words", heading, [list]);
}
