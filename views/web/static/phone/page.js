/* The phone page's screens: waiting to connect, joining, the lobby, a round, closed. The
 * whole page is drawn from the state the server sent; status lines and the lists to vote
 * on are redrawn in place when only they changed. */

import { el } from "../dom.js";
import { itemCard } from "./item.js";
import { fillStatus, promptCard, refillTargets } from "./prompts.js";

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
  }

  words() {
    return this.texts[this.app.language] || this.texts.nl;
  }

  t(key) {
    return this.words()[key] || key;
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
    const focused = document.activeElement && document.activeElement.id;
    const main = this.main;
    main.textContent = "";
    const s = this.app.session;
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
      main.append(el("p", { className: "help", text: this.t("lobby_help") }));
    } else {
      this.renderRound(s);
    }
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
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
    const perItem = s.round.prompts.filter((p) => p.per_item);
    const general = s.round.prompts.filter((p) => !p.per_item);
    if (s.item && s.item.kind === "summary") {
      // The review's opening screen is for looking together: nothing to answer about it.
      main.append(el("section", { className: "card item" }, [
        el("h2", { text: this.t("summary_phone") }),
      ]));
    } else if (perItem.length && s.item) {
      main.append(itemCard(s.item, (key) => this.t(key), this.words(), this.palette));
      for (const prompt of perItem) main.append(promptCard(this, prompt, s.item.id));
    }
    for (const prompt of general) main.append(promptCard(this, prompt, null));
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
