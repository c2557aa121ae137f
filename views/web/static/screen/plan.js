/* The render plan of a round: which panels go in the main and the side column, each with a
 * key that changes exactly when what it shows changes (panels.js keeps the rest). */

import { hiddenResults, ranked, recentTexts, theoryPanel, wordPanel } from "./answers.js";
import { itemSpec } from "./items.js";
import { T } from "./locale.js";
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

/** {main, side}: the panel specs of each column. `chartSize` is part of the chart's key
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
  if (session.stage === "explain" && session.theme && session.theme.theory_of_change) {
    const theme = session.theme;
    side.push({ id: "theory", key: `${theme.key}|${theme.theory_of_change}`,
                build: () => theoryPanel(theme) });
  }
  if (!results) {
    const count = shownCount(state);
    (item ? side : main).push({ id: "hidden", key: String(count),
                                build: () => hiddenResults(count) });
    return { main, side };
  }

  const votes = [];
  const splits = [];
  const textGroups = [];
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
      // The ranked answers are answers to the target question: that is the heading.
      const heading = promptById[prompt.target] ? promptById[prompt.target].text : prompt.text;
      votes.push({
        id: `ranked-${prompt.id}`,
        key: JSON.stringify([prompt.text, heading, result, session.levers, session.directions,
                             session.perspectives]),
        build: () => ranked(prompt, heading, result, session),
      });
    } else if (!targeted.has(prompt.id)) {
      const answers = (result.recent || []).filter((a) => !prompt.per_item || a.item === itemId);
      textGroups.push({ prompt, answers, number: questionNumber[prompt.id] });
    }
  }

  const recent = [];
  if (textGroups.length) {
    const labelsKey = JSON.stringify([session.perspectives, session.levers, session.directions]);
    if (item || textGroups.length === 1) {
      // Beside an item there is room for one list: all questions together, numbered.
      const heading = textGroups.length === 1 ? textGroups[0].prompt.text : T.recent_answers;
      const groups = textGroups.length === 1 ? [{ prompt: textGroups[0].prompt,
        answers: textGroups[0].answers, number: null }] : textGroups;
      recent.push({ id: "recent", key: JSON.stringify([heading, groups, labelsKey]),
                    build: () => recentTexts(heading, groups, session) });
    } else {
      for (const g of textGroups) {
        const single = [{ prompt: g.prompt, answers: g.answers, number: null }];
        recent.push({ id: `recent-${g.prompt.id}`, key: JSON.stringify([single, labelsKey]),
                      build: () => recentTexts(g.prompt.text, single, session) });
      }
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
  return { main, side };
}
