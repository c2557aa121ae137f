/* The render plan of a round: which panels go in the main and the side column, each with a
 * key that changes exactly when what it shows changes (panels.js keeps the rest). */

import { agreedPanel } from "./actions.js";
import { hiddenResults, ranked, recentTexts, theoryPanel, wordPanel } from "./answers.js";
import { itemSpec } from "./items.js";
import { format } from "../dom.js";
import { T, counted } from "./locale.js";
import { choiceSplit, scaleSplit } from "./splits.js";

/** The answers of this round (and theme); `answers` counts the whole session. */
export function shownCount(state) {
  return state.round_answers === null || state.round_answers === undefined
    ? state.answers : state.round_answers;
}

/* The split of a choice or scale question: the item's on screen when it is asked per item
 * (results by item id), else the round's one (views/web/presenters.py results_view). */
function splitFor(result, prompt, itemId) {
  if (prompt.per_item) return (result.items || {})[itemId] || null;
  return result.split || null;
}

/** {main, side, even}: the panel specs of each column, and whether the columns share the
 * width evenly. `chartSize` is part of the chart's key
 * (a resize redraws it); `charted()` counts the chart's drawings. */
export function roundPlan(state, chartSize, charted) {
  const session = state.session;
  const results = state.results;
  const prompts = session.round ? session.round.prompts : [];
  const item = session.item;
  const itemId = item ? item.id : null;
  const questionNumber = {};
  prompts.forEach((p, i) => { questionNumber[p.id] = i + 1; });
  const targeted = new Set(prompts.filter((p) => p.target).map((p) => p.target));
  const promptById = {};
  for (const p of prompts) promptById[p.id] = p;

  let main = [];
  let side = [];
  if (item) main.push(itemSpec(item, session, chartSize, charted));
  let even = false;
  if (session.stage === "explain" && session.theme && session.theme.theory_of_change) {
    // What the round weighs the explanations against, above the room's answer to it; its
    // three parts and that split need half the width (the ranking gives way).
    const theme = session.theme;
    side.push({ id: "theory", key: JSON.stringify([theme.key, theme.theory_of_change, theme.theory]),
                build: () => theoryPanel(theme) });
    even = true;
  }
  if (session.stage === "improve" && state.actions) {
    // What the room agreed, as it is agreed: beside the proposals (or the count of them
    // while they are hidden), whatever is revealed; the facilitator typed these.
    const agreed = state.actions;
    side.push({ id: "agreed", key: JSON.stringify(agreed), build: () => agreedPanel(agreed) });
    // Once there are some, they take half the width: what, who, by when and how we will
    // see it work need it more than the proposals they came from.
    even = even || agreed.actions.length > 0;
  }
  if (!prompts.length) {
    // Nothing is asked now (the review's opening summary: phones say "kijk mee"): the item
    // alone, no question list, no count of answers nobody can give.
    return { main, side, even };
  }
  if (!results) {
    // Beside an item: the answers about it (the round's others are about other items).
    const count = item && Number.isInteger(state.item_answers) ? state.item_answers
      : shownCount(state);
    (item ? side : main).push({ id: "hidden", key: String(count),
                                build: () => hiddenResults(count) });
    return { main, side, even };
  }

  const votes = [];
  const unvoted = [];
  const splits = [];
  const recent = [];
  const labelsKey = JSON.stringify([session.perspectives, session.levers, session.directions]);
  const forItem = (prompt, answers) => (answers || []).filter(
    (a) => !prompt.per_item || a.item === itemId);
  for (const prompt of prompts) {
    const result = results[prompt.id];
    if (!result) continue;
    if (prompt.kind === "choice" || prompt.kind === "scale") {
      const split = splitFor(result, prompt, itemId);
      if (!split) continue;
      splits.push({
        id: `split-${prompt.id}`, key: JSON.stringify([prompt, split]),
        build: () => (prompt.kind === "choice" ? choiceSplit(prompt, split)
          : scaleSplit(prompt, split)),
      });
    } else if (prompt.kind === "upvote" || prompt.kind === "dots") {
      // The ranked answers are answers to the target question: that is the heading. Those
      // with votes are ranked; those without, new ones mostly, are listed apart, newest
      // first: last in a ranking, the room would never see them to vote on.
      const target = promptById[prompt.target];
      const heading = target ? target.text : prompt.text;
      const withVotes = { ...result, ranked: result.ranked.filter((e) => e.score > 0) };
      const waiting = target && results[target.id]
        ? forItem(target, results[target.id].recent).filter((a) => !a.score) : [];
      if (withVotes.ranked.length || !waiting.length) {
        votes.push({
          id: `ranked-${prompt.id}`,
          key: JSON.stringify([prompt.text, heading, withVotes, labelsKey]),
          build: () => ranked(prompt, heading, withVotes, session),
        });
      }
      if (waiting.length) {
        const title = format(T.no_votes_yet, { unit: counted(prompt.kind === "dots" ? "dot" : "vote", 0) });
        const group = { prompt: target, answers: waiting, number: null };
        unvoted.push({
          id: `unvoted-${prompt.id}`, key: JSON.stringify([title, group, labelsKey]),
          build: () => recentTexts(withVotes.ranked.length ? title : `${heading} · ${title}`,
                                   group, session, "unvoted"),
        });
      }
    } else if (!targeted.has(prompt.id)) {
      // One list per open question, numbered as in the header.
      const group = { prompt, answers: forItem(prompt, result.recent), beside: !!item,
                      number: prompts.length > 1 ? questionNumber[prompt.id] : null };
      recent.push({ id: `recent-${prompt.id}`, key: JSON.stringify([group, labelsKey]),
                    build: () => recentTexts(prompt.text, group, session) });
    }
  }

  if (state.words) {
    const words = state.words;
    recent.unshift({ id: "words", key: JSON.stringify(words), build: () => wordPanel(words) });
  }

  if (item && (item.kind === "action" || item.kind === "monitoring")) {
    // An earlier action (or a theme's monitoring) is short: the second split goes under
    // it, the rest beside it.
    main = main.concat(splits.slice(1));
    side = side.concat(splits.slice(0, 1), votes, unvoted, recent);
  } else if (item) {
    side = side.concat(splits, votes, unvoted, recent);
  } else if (votes.length || unvoted.length) {
    // The answers without votes beside the ranking, or under it when the side is taken.
    main = main.concat(votes);
    side = side.concat(splits, recent);
    if (side.length) main = main.concat(unvoted);
    else side = side.concat(unvoted);
  } else if (splits.length) {
    main = main.concat(splits);
    side = side.concat(recent);
  } else {
    // Open questions only: the first in the main column, the others beside it.
    main = main.concat(recent.slice(0, 1));
    side = side.concat(recent.slice(1));
  }
  return { main, side, even };
}
