/* The projector page's shell: header, lobby, the round's two columns, footer and the
 * spoken announcements, drawn from each state the server pushes. */

import { closingGroups } from "./actions.js";
import { el, reviewAnnouncement } from "../dom.js";
import { LANG, T, countOf, counted } from "./locale.js";
import { reconcile, sum } from "./panels.js";
import { roundPlan, shownCount } from "./plan.js";

const byId = (id) => document.getElementById(id);

function setText(node, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (node.textContent !== text) node.textContent = text;
}

function show(node, visible) {
  node.hidden = !visible;
}

export class ScreenPage {
  constructor() {
    this.chartSize = "";
    this.stats = { charts: 0, renders: 0 };  // read by the browser tests
    this.lastState = null;
    this.lastStage = null;
    this.liveTimer = null;
    this.liveAt = 0;
    this.liveAnnounced = "";
    this.fitKey = "";
  }

  render(state) {
    this.stats.renders += 1;
    this.lastState = state;
    const session = state.session;
    const stage = session.stage;
    document.body.className = `stage-${stage}${session.round ? " in-round" : ""}`;
    renderHeader(session);
    renderCounts(state.participants || []);
    const count = shownCount(state);
    setText(byId("answer-count"), String(count));
    setText(byId("answer-word"), counted("answers", count));
    show(byId("lobby"), stage === "lobby");
    show(byId("closed"), stage === "closed");
    show(byId("round"), !!session.round);
    show(byId("bottom"), !!session.round);
    if (state.join && state.join.short) {
      for (const node of document.querySelectorAll(".join-short, #short-code")) {
        setText(node, state.join.short);
      }
    }
    if (stage === "lobby") {
      setText(byId("organisation"), session.organisation || "");
      // A follow-up file was loaded: the session opens with the review of its actions.
      setText(byId("lobby-review"),
              session.review ? reviewAnnouncement(T, LANG, session.review) : "");
      show(byId("lobby-review"), !!session.review);
    }
    if (stage === "closed") this.renderClosing(state.actions);
    if (session.round) {
      setText(byId("round-heading"), session.round.title);
      const plan = roundPlan(state, this.chartSize, () => { this.stats.charts += 1; });
      const columns = byId("round").querySelector(".columns");
      columns.classList.toggle("single", !plan.side.length || !plan.main.length);
      columns.classList.toggle("even", !!plan.even);
      const pending = reconcile(byId("col-main"), plan.main)
        .concat(reconcile(byId("col-side"), plan.side));
      show(byId("col-main"), plan.main.length > 0);
      show(byId("col-side"), plan.side.length > 0);
      untrimLists();
      this.fitColumns(columns, plan);
      trimLists();
      // Last: a chart takes the size of its box, final only now that both columns hold
      // this state's panels (drawn earlier, it kept the room the old panels left it).
      for (const task of pending) task();
    } else {
      reconcile(byId("col-main"), []);
      reconcile(byId("col-side"), []);
    }
    this.announce(state);
    this.lastStage = stage;
  }

  /* Closing: what the room agreed, by theme, and what the review recorded; the thank-you
   * above it. Denser styles step in while it does not fit (many actions, long texts). */
  renderClosing(closing) {
    const key = JSON.stringify(closing) + this.chartSize;
    const section = byId("closed");
    if (section.dataset.key === key) return;
    section.dataset.key = key;
    const groups = closing ? closingGroups(closing) : [];
    byId("closing-groups").replaceChildren(...groups);
    show(byId("closing-actions"), groups.length > 0);
    section.classList.toggle("with-actions", groups.length > 0);
    const steps = ["compact", "dense", "tight"];
    section.classList.remove(...steps);
    for (const denser of steps) {
      if (section.scrollHeight <= section.clientHeight + 1) break;
      section.classList.add(denser);
    }
  }

  /** The viewport changed: the chart's fonts follow it, so redraw (only) the chart. */
  resized(size) {
    this.chartSize = size;
    if (this.lastState) this.render(this.lastState);
  }

  /* Splits, the theory and an action keep their natural height. When together they do not
   * fit (a long action, many perspectives) the round switches to a denser style, and stays
   * in it until the panels on screen change, so it does not flicker with every update. */
  fitColumns(columns, plan) {
    const item = this.lastState.session.item;
    const key = `${plan.main.concat(plan.side).map((spec) => spec.id).join(",")}|` +
      `${this.chartSize}|${item ? item.id : ""}`;
    if (key !== this.fitKey) {
      this.fitKey = key;
      columns.classList.remove("compact");
    }
    if (columns.classList.contains("compact")) return;
    const over = [...columns.children].some((col) =>
      !col.hidden && col.scrollHeight > col.clientHeight + 1) ||
      [...columns.querySelectorAll(".action")].some((card) =>
        card.scrollHeight > card.clientHeight + 1) ||
      [...columns.querySelectorAll(".recent, .ranked")].some((list) =>
        list.firstElementChild && list.firstElementChild.getBoundingClientRect().bottom >
          list.getBoundingClientRect().bottom + 0.5) ||
      // Every agreed action is meant to be read: denser before one is left out.
      [...columns.querySelectorAll(".agreed-list")].some((list) =>
        list.lastElementChild && list.lastElementChild.getBoundingClientRect().bottom >
          list.getBoundingClientRect().bottom + 0.5);
    if (over) columns.classList.add("compact");
  }

  announce(state) {
    // Polite and sparse: the answer count at most every ten seconds, a new round at once.
    const session = state.session;
    let message = countOf(shownCount(state), "answers");
    if (session.stage !== this.lastStage) {
      const round = session.round ? session.round.title
        : (session.stage === "closed" ? T.closed_title : T.lobby_screen);
      message = `${round}. ${message}`;
      this.liveAt = 0;
    }
    const now = Date.now();
    clearTimeout(this.liveTimer);
    const say = () => {
      if (message !== this.liveAnnounced) {
        byId("live").textContent = message;
        this.liveAnnounced = message;
      }
      this.liveAt = Date.now();
    };
    if (now - this.liveAt >= 10000) say();
    else this.liveTimer = setTimeout(say, 10000 - (now - this.liveAt));
  }
}

function renderHeader(session) {
  const inRound = !!session.round;
  show(byId("round-part"), inRound);
  show(byId("theme-part"), inRound && !!session.theme);
  show(byId("title-part"), !inRound);
  setText(byId("round-title"), inRound ? session.round.title : "");
  setText(byId("theme-title"), session.theme ? session.theme.title : "");
  setText(byId("title-part"), session.title);
  show(byId("example-badge"), !!session.example);
  show(byId("top-join"), session.stage !== "lobby" && session.stage !== "closed");
  const questions = byId("questions");
  const prompts = inRound ? session.round.prompts : [];
  const key = JSON.stringify(prompts.map((p) => p.text));
  if (questions.dataset.key !== key) {
    questions.dataset.key = key;
    questions.replaceChildren(...prompts.map((p) => el("li", null, [p.text])));
  }
  show(questions, prompts.length > 0);
}

function renderCounts(participants) {
  const total = sum(participants.map((p) => p.count));
  const key = JSON.stringify(participants);
  const lobby = byId("lobby-counts");
  if (lobby.dataset.key !== key) {
    lobby.dataset.key = key;
    lobby.replaceChildren(...participants.map((p) => el("li", { className: p.count ? "" : "none" }, [
      el("span", { className: "count", "data-perspective": p.key }, [String(p.count)]),
      el("span", { className: "perspective" }, [p.label]),
    ])));
    byId("footer-counts").replaceChildren(...participants.map((p, i) =>
      el("span", { className: "footer-count" }, [
        i ? " · " : "", `${p.label} `, el("strong", null, [String(p.count)]),
      ])));
  }
  setText(byId("lobby-total"), `(${total})`);
}

const LISTS = "#round .recent, #round .ranked, #round .agreed-list";
const LIST_TEXT = ".recent-text, .ranked-text";

/* Every entry of every list shown whole, as laid out before trimLists. */
function untrimLists() {
  for (const list of document.querySelectorAll(LISTS)) {
    for (const entry of list.children) {
      entry.classList.remove("cut", "cut-meta");
      const text = entry.querySelector(LIST_TEXT);
      if (text) text.style.removeProperty("-webkit-line-clamp");
    }
  }
}

/* Lists show what fits: an entry that would be cut off is hidden entirely (they are
 * ordered best or newest first, so what is hidden matters least). The first entry always
 * shows, with as many lines of its text as there is room for. */
function trimLists() {
  for (const list of document.querySelectorAll(LISTS)) {
    const bottom = list.getBoundingClientRect().bottom + 0.5;
    [...list.children].forEach((entry, index) => {
      if (entry.getBoundingClientRect().bottom <= bottom) return;
      if (index) {
        entry.classList.add("cut");
        return;
      }
      const text = entry.querySelector(LIST_TEXT);
      if (text) shortenTo(text, entry.getBoundingClientRect().bottom - bottom);
      // Not even one line with its perspective under it: the line alone.
      if (entry.getBoundingClientRect().bottom > bottom) entry.classList.add("cut-meta");
    });
  }
}

/* Clamp `text` to the lines left once `over` pixels are taken off (at least one). */
function shortenTo(text, over) {
  const lineHeight = parseFloat(getComputedStyle(text).lineHeight);
  if (!lineHeight) return;
  const lines = Math.round(text.getBoundingClientRect().height / lineHeight);
  text.style.setProperty("-webkit-line-clamp",
                         String(Math.max(1, lines - Math.ceil(over / lineHeight))));
}
