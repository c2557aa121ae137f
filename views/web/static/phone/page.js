/* The phone page's screens: waiting to connect, joining, the lobby, a round, closed. The
 * whole page is drawn from the state the server sent; status lines and the lists to vote
 * on are redrawn in place when only they changed. */

import { el, format, plural, reviewAnnouncement } from "../dom.js";
import { itemCard, itemTitle } from "./item.js";
import { fillStatus, promptCard, refillTargets } from "./prompts.js";
import { theoryParagraphs } from "../theory.js";

export class PhonePage {
  /** `app`: the page's state (session, participant, language, connected, drafts, votes,
   * dots); `boot` the server's boot data (the words per language, the chart's palette);
   * `actions`: submit(answer, key, options), join(perspective, done) and save(name, value). */
  constructor(root, app, boot, outbox, targets, actions) {
    this.main = root;
    this.app = app;
    this.texts = boot.texts;
    this.palette = boot.palette;
    this.outbox = outbox;
    this.targets = targets;
    this.actions = actions;
    this.connectionLine = document.getElementById("connection");
    this.languageButton = document.getElementById("language");
    this.announcer = document.getElementById("announce");
    this.shown = null;  // the item on the page and its questions: {round, item, prompts}
    this.held = null;   // the same, kept while an answer about it is being written
  }

  words() {
    return this.texts[this.app.language] || this.texts.nl;
  }

  t(key) {
    return this.words()[key] || key;
  }

  /** The text `key` in the form that goes with `n` ("_one" or "_other"), {n} filled in. */
  counted(key, n) {
    return plural(this.words(), this.app.language, key, n);
  }

  save(name, value) {
    this.actions.save(name, value);
  }

  /** Where an answer's status is kept: per round, theme, question and (asked per item) item. */
  statusKey(prompt, item) {
    const s = this.app.session;
    return [s.stage, s.theme ? s.theme.key : "", prompt.id, prompt.per_item ? item : ""].join("|");
  }

  submit(prompt, item, payload, key, options) {
    const s = this.app.session;
    this.actions.submit({
      stage: s.stage, theme: s.theme ? s.theme.key : null, prompt: prompt.id,
      item: prompt.per_item ? item : null, payload,
    }, key, options);
  }

  showConnection() {
    const connected = this.app.connected;
    this.connectionLine.textContent = connected ? this.t("online") : this.t("offline");
    this.connectionLine.className = `connection${connected ? "" : " offline"}`;
  }

  render() {
    document.documentElement.lang = this.app.language;
    this.languageButton.textContent = this.t("change_language");
    this.languageButton.setAttribute("lang", this.app.language === "nl" ? "en" : "nl");
    this.showConnection();
    const active = document.activeElement;
    const focused = active && active.id;
    // Where the caret was, so a redraw (the room moved on, results were shown) does not
    // move it while someone types.
    const caret = active && typeof active.selectionStart === "number"
      ? [active.selectionStart, active.selectionEnd] : null;
    // Where it stood on the screen: it stays there however the page above it changes.
    const stood = focused ? active.getBoundingClientRect().top : null;
    const main = this.main;
    main.textContent = "";
    this.newItem = null;
    this.newRound = false;
    const s = this.app.session;
    if (!s || !s.round) this.hideCue();
    if (!s) {
      main.append(el("p", { text: this.t("connecting") }));
      return;
    }
    if (s.stage === "closed") {
      main.append(el("h1", { text: this.t("closed_title") }));
      main.append(el("p", { text: this.t("closed_help") }));
      return;
    }
    if (!this.app.participant) {
      this.renderJoin(s);
    } else if (s.stage === "lobby") {
      main.append(el("h1", { text: this.t("lobby_title") }));
      main.append(el("p", { text: s.title }));
      if (s.review) {
        // A follow-up file was loaded: the session opens with last time's actions.
        main.append(el("p", { className: "review-line",
                              text: reviewAnnouncement(this.words(), this.app.language, s.review) }));
      }
      main.append(el("p", { className: "help", text: this.t("lobby_help") }));
    } else {
      this.renderRound(s);
    }
    if (focused) {
      const again = document.getElementById(focused);
      // Not into the same box about another item: what was typed was about the last one.
      if (again && !(this.newItem && again.closest(".per-item"))) {
        again.focus({ preventScroll: true });
        if (caret && typeof again.setSelectionRange === "function") {
          again.setSelectionRange(caret[0], caret[1]);
        }
        window.scrollBy(0, again.getBoundingClientRect().top - stood);
      }
    }
    if (this.newRound) {
      window.scrollTo(0, 0);  // a new round starts at its title
      this.announce("");  // the last item announced is no longer on the screen
    }
    else if (this.newItem) this.followItem(this.newItem);
    this.watchCue();
    this.keepInSight(document.activeElement);
  }

  /* A notice over the top of the screen never hides the field being typed in. */
  keepInSight(field) {
    const over = this.main.querySelector(".moved-on") || this.cue;
    if (!over || !isTextField(field)) return;
    const covered = over.getBoundingClientRect().bottom + 8 - field.getBoundingClientRect().top;
    if (covered > 0) window.scrollBy(0, -covered);
  }

  /** The facilitator moved to another item: bring its card into view and say so; while
   * the participant types elsewhere on the page, a cue to tap instead of a jump. */
  followItem(card) {
    const title = `${this.t("now_on_screen")}: ${itemTitle(this.shown.item, (k) => this.t(k))}`;
    this.announce(title);
    this.hideCue();
    if (isTextField(document.activeElement)) {
      this.cue = el("button", { type: "button", className: "new-item-cue", text: `↑ ${title}`,
        onclick: () => {
          this.hideCue();
          const shown = this.main.querySelector(".card.item");
          if (shown) bringIntoView(shown);
        } });
      document.body.append(this.cue);
      return;
    }
    bringIntoView(card);
  }

  hideCue() {
    if (this.cue) this.cue.remove();
    this.cue = null;
  }

  /* The cue goes once the item's card is on screen (scrolled to by hand too). */
  watchCue() {
    if (this.cueWatch) this.cueWatch.disconnect();
    const card = this.main.querySelector(".card.item");
    if (!this.cue || !card || !window.IntersectionObserver) return;
    this.cueWatch = new IntersectionObserver((seen) => {
      if (seen.some((entry) => entry.isIntersecting)) this.hideCue();
    });
    this.cueWatch.observe(card);
  }

  announce(text) {
    if (this.announcer) this.announcer.textContent = text;
  }

  renderJoin(s) {
    const main = this.main;
    main.append(el("h1", { text: this.t("join_title") }));
    main.append(el("p", { text: s.title }));
    if (s.example) main.append(el("p", { className: "help", text: this.t("example") }));
    const error = el("p", { className: "error", role: "alert" });
    const options = s.perspectives.map((p, n) => el("label", { className: "choice" }, [
      el("input", { type: "radio", name: "perspective", value: p.key, id: `perspective-${n}` }),
      el("span", { text: p.label }),
    ]));
    const button = el("button", { type: "submit", className: "primary", text: this.t("join_button") });
    const form = el("form", { className: "card", novalidate: true }, [
      el("p", { className: "help", text: this.t("join_help") }),
      el("fieldset", {}, [el("legend", { text: this.t("join_perspective") }),
                          el("div", { className: "choices" }, options)]),
      error,
      button,
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[name=perspective]:checked");
      if (!chosen) {
        error.textContent = `${this.t("join_perspective")}?`;
        return;
      }
      button.disabled = true;
      this.actions.join(chosen.value, (problem) => {
        button.disabled = false;
        if (problem) error.textContent = problem;
      });
    });
    main.append(form);
  }

  renderRound(s) {
    const main = this.main;
    main.append(el("section", { className: "card" }, [
      s.theme ? el("p", { className: "theme-line", text: `${this.t("theme")}: ${s.theme.title}` }) : null,
      el("h1", { text: s.round.title }),
      s.round.intro ? el("p", { className: "help", text: s.round.intro }) : null,
    ]));
    if (s.stage === "explain" && s.theme && s.theme.theory_of_change) {
      // The questions ask whether the data confirm it: it stands above them, as on the
      // projector.
      main.append(el("section", { className: "card theory", "aria-labelledby": "theory-heading" }, [
        el("h2", { id: "theory-heading", text: this.t("theory_of_change") }),
        ...theoryParagraphs(s.theme, this.t("theory_open")),
      ]));
    }
    const general = s.round.prompts.filter((p) => !p.per_item);
    const showing = this.itemToShow(s);
    this.newRound = !!this.shown && this.shown.round !== showing.round;
    if (this.held) main.append(this.movedOnNotice(s));
    if (showing.item && showing.item.kind === "summary") {
      // The review's opening screen is for looking together: nothing to answer about it.
      main.append(el("section", { className: "card item" }, [
        el("h2", { text: this.t("summary_phone") }),
      ]));
    } else if (showing.prompts.length && showing.item) {
      const card = itemCard(showing.item, (key) => this.t(key), this.words(), this.palette,
                            (key, n) => this.counted(key, n), this.app.language);
      main.append(card);
      for (const prompt of showing.prompts) {
        const section = promptCard(this, prompt, showing.item.id);
        section.classList.add("per-item");
        main.append(section);
      }
      const before = this.shown;
      if (before && before.round === showing.round && before.item &&
          before.item.id !== showing.item.id) this.newItem = card;
    }
    this.shown = showing;
    for (const prompt of general) main.append(promptCard(this, prompt, null));
  }

  /* The item to show with its questions: the one on the projector, unless the participant
   * is writing an answer about the one before; that one stays until it is sent, or until
   * they choose to follow the room (movedOnNotice). */
  itemToShow(s) {
    const round = `${s.stage}|${s.theme ? s.theme.key : ""}`;
    const current = { round, item: s.item,
                      prompts: s.item ? s.round.prompts.filter((p) => p.per_item) : [] };
    const before = this.held || this.shown;
    const moved = before && before.round === round && before.item && s.item &&
      before.item.id !== s.item.id;
    this.held = moved && !before.letGo && this.writing(before) ? before : null;
    return this.held || current;
  }

  /* Whether an answer about `shown`'s item is typed and not sent. */
  writing(shown) {
    return shown.prompts.some((prompt) => (prompt.kind === "text" || prompt.kind === "proposal")
      && (this.app.drafts[this.statusKey(prompt, shown.item.id)] || "").trim());
  }

  /* The room moved on while this participant writes about the item before. */
  movedOnNotice(s) {
    const now = itemTitle(s.item, (k) => this.t(k));
    const notice = el("div", { className: "moved-on", role: "status" }, [
      el("p", null, [el("strong", { text: `${this.t("now_on_screen")}: ` }), now]),
      el("p", { className: "help", text: format(this.t("finish_first"), {
        item: itemTitle(this.held.item, (k) => this.t(k)) }) }),
      el("button", { type: "button", className: "secondary", text: this.t("go_to_item"),
        onclick: () => {
          // The draft stays kept under its own item, for when the room comes back to it.
          this.shown = { ...this.held, letGo: true };
          this.held = null;
          this.render();
        } }),
    ]);
    return notice;
  }

  /** Redraw the status lines of `key` (an answer was sent, stored or refused). */
  renderStatus(key) {
    for (const line of this.main.querySelectorAll("[data-status]")) {
      if (line.getAttribute("data-status") === key) fillStatus(this, line, key);
    }
  }

  /** Redraw the lists to vote on (new answers arrived, or one of mine was stored). */
  renderTargets() {
    const s = this.app.session;
    if (!s || !s.round || !this.app.participant) return;
    for (const prompt of s.round.prompts) {
      if (prompt.kind !== "upvote" && prompt.kind !== "dots") continue;
      const section = this.main.querySelector(`[data-prompt='${prompt.id}']`);
      if (section) refillTargets(this, section, prompt);
    }
  }
}

function isTextField(node) {
  return !!node && (node.tagName === "TEXTAREA" ||
    (node.tagName === "INPUT" && (node.type === "text" || node.type === "search")));
}

function bringIntoView(card) {
  const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  card.classList.add("fresh");
  card.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
}
