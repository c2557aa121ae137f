/* The questions on the phone: one card per prompt, with the input its kind asks for
 * (choice, scale, text, proposal, upvote, dots) and a status line for its answer.
 *
 * Every builder gets the page (page.js): its words (t), state (app), the outbox, the vote
 * lists, and submit/render. */

import { el } from "../dom.js";

const BUILDERS = {
  choice: choiceInput, scale: scaleInput, text: textInput, proposal: proposalInput,
  upvote: upvoteInput, dots: dotsInput,
};

/** The card of one question; `item` is the item it is asked about (null: the round's). */
export function promptCard(page, prompt, item) {
  const key = page.statusKey(prompt, item);
  const section = el("section", { className: "card prompt", "data-prompt": prompt.id });
  const build = BUILDERS[prompt.kind];
  if (build) build(page, section, prompt, item, key);
  section.append(statusLine(page, key));
  return section;
}

/** Redraw the lists to vote on in place (new answers arrived), keeping the rest. */
export function refillTargets(page, section, prompt) {
  const key = page.statusKey(prompt, null);
  if (prompt.kind === "upvote") fillUpvotes(page, section, prompt, null, key);
  else if (prompt.kind === "dots") fillDots(page, section, prompt, null, key);
}

// -- the answer's status line ---------------------------------------------------------------

function statusLine(page, key) {
  const line = el("p", { className: "status", "data-status": key, role: "status",
                         "aria-live": "polite" });
  fillStatus(page, line, key);
  return line;
}

// A refusal the server asks to retry, in words for the participant (the code says why).
const RETRY_WORDS = {
  "answer.not_stored": "retry_not_stored",  // the laptop could not write (a full disk)
  "answer.too_fast": "retry_too_fast",      // the rate limit
};

export function fillStatus(page, line, key) {
  const status = page.outbox.status(key);
  line.className = `status${status && status.state ? ` ${status.state}` : ""}`;
  if (!status || !status.state) {
    line.textContent = "";
    return;
  }
  const t = (name) => page.t(name);
  const words = {
    sending: () => t("sending"),
    queued: () => t("queued"),
    retrying: () => t(RETRY_WORDS[status.code] || "retry_later"),
    received: () => `✓ ${t("received")}`,
    error: () => t("not_stored") + (status.message ? `: ${status.message}` : ""),
  }[status.state];
  line.textContent = words ? words() : "";
}

// -- choices and scales ---------------------------------------------------------------------

function domId(prompt, suffix) {
  return `q-${prompt.id}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

function optionGroup(page, section, prompt, item, key, options, inline, describedBy) {
  const chosen = (page.outbox.status(key) || {}).summary;
  // A scale on one row up to five values (1-5 fits a 320 px phone); more make two even rows.
  const columns = options.length <= 5 ? options.length : Math.ceil(options.length / 2);
  const group = el("div", { className: `choices${inline ? " inline" : ""}`,
                            style: inline ? `--columns:${columns}` : null });
  options.forEach((option, n) => {
    const input = el("input", { type: "radio", name: domId(prompt, "opt"), value: option.value,
      id: domId(prompt, `opt-${n}`), checked: String(option.value) === chosen,
      onchange: () => page.submit(prompt, item, option.payload, key,
                                  { summary: String(option.value) }) });
    group.append(el("label", { className: "choice", for: input.id },
                    [input, el("span", { text: option.label })]));
  });
  const fieldset = el("fieldset", { "aria-describedby": describedBy || null }, [
    el("legend", { text: prompt.text }),
    prompt.help ? el("p", { className: "help", text: prompt.help }) : null,
    group,
  ]);
  section.append(fieldset);
  return fieldset;
}

function choiceInput(page, section, prompt, item, key) {
  optionGroup(page, section, prompt, item, key, prompt.options.map((o) => (
    { value: o.key, label: o.label, payload: { choice: o.key } })), false);
}

function scaleInput(page, section, prompt, item, key) {
  const values = [];
  for (let v = prompt.min; v <= prompt.max; v++) {
    values.push({ value: v, label: String(v), payload: { value: v } });
  }
  const ends = domId(prompt, "ends");
  const fieldset = optionGroup(page, section, prompt, item, key, values, true, ends);
  fieldset.append(el("div", { className: "scale-ends", id: ends }, [
    el("span", { text: `${prompt.min} = ${prompt.min_label}` }),
    el("span", { text: `${prompt.max} = ${prompt.max_label}` }),
  ]));
}

// -- texts and proposals ----------------------------------------------------------------------

function textArea(page, prompt, key, label) {
  const id = domId(prompt, "text");
  const counter = el("p", { className: "counter", id: `${id}-count`, "aria-live": "off" });
  const area = el("textarea", { id, maxlength: prompt.max_length, "aria-describedby": `${id}-count` });
  const drafts = page.app.drafts;
  area.value = drafts[key] || "";
  const count = () => {
    const left = prompt.max_length - area.value.length;
    counter.textContent = `${left} ${page.counted("chars_left", left)}`;
    drafts[key] = area.value;
    page.save("drafts", drafts);
  };
  area.addEventListener("input", count);
  count();
  return { label: el("label", { for: id, text: label }), area, counter };
}

function sentList(page, key) {
  const sent = (page.outbox.status(key) || {}).sent || [];
  if (!sent.length) return null;
  return el("ul", { className: "sent-list", "aria-label": page.t("your_answer") },
            sent.map((text) => el("li", { text })));
}

/** Send a text (with its extra fields) and list it under the question; the draft is done. */
function sendText(page, prompt, item, key, text, payload) {
  page.app.drafts[key] = "";
  page.save("drafts", page.app.drafts);
  page.submit(prompt, item, payload, key, { mine: true, sent: text });
  page.render();
}

/* A form to write a text: the box with its help and counter, `extras` (more inputs), the
 * send button and the texts sent so far; `send(text, form)` runs when there is a text. */
function textForm(page, prompt, key, extras, send) {
  const field = textArea(page, prompt, key, prompt.text);
  const form = el("form", { novalidate: true }, [
    field.label,
    prompt.help ? el("p", { className: "help", text: prompt.help }) : null,
    field.area, field.counter,
    ...extras,
    el("button", { type: "submit", className: "primary", text: page.t("send") }),
    sentList(page, key),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field.area.value.trim();
    if (text) send(text, form);
    else field.area.focus();
  });
  return form;
}

function textInput(page, section, prompt, item, key) {
  section.append(textForm(page, prompt, key, [],
                          (text) => sendText(page, prompt, item, key, text, { text })));
}

function radioRow(name, legend, labels, compact) {
  const group = el("div", { className: `choices${compact ? " compact" : ""}` });
  Object.keys(labels).forEach((value, n) => {
    const input = el("input", { type: "radio", name, value, id: `${name}-${n}` });
    group.append(el("label", { className: "choice", for: input.id },
                    [input, el("span", { text: labels[value] })]));
  });
  return el("fieldset", {}, [el("legend", { text: legend }), group]);
}

function proposalInput(page, section, prompt, item, key) {
  const error = el("p", { className: "error", role: "alert" });
  const leverName = domId(prompt, "lever");
  const directionName = domId(prompt, "direction");
  section.append(textForm(page, prompt, key, [
    radioRow(leverName, page.t("lever"), page.app.session.levers),
    radioRow(directionName, page.t("direction"), page.app.session.directions, true),
    error,
  ], (text, form) => {
    const lever = form.querySelector(`input[name=${leverName}]:checked`);
    const direction = form.querySelector(`input[name=${directionName}]:checked`);
    if (!lever) { error.textContent = page.t("lever"); return; }
    if (!direction) { error.textContent = page.t("direction"); return; }
    sendText(page, prompt, item, key, text,
             { text, lever: lever.value, direction: direction.value });
  }));
}

// -- votes: upvotes and dots --------------------------------------------------------------------

function othersAnswers(page, prompt) {
  return page.targets.others(prompt.id, page.outbox.mine);
}

function heading(page, section, prompt) {
  section.append(el("h2", { text: prompt.text }));
  if (prompt.help) section.append(el("p", { className: "help", text: prompt.help }));
}

function upvoteInput(page, section, prompt, item, key) {
  heading(page, section, prompt);
  section.append(el("div", { "data-targets": prompt.id }));
  fillUpvotes(page, section, prompt, item, key);
}

function fillUpvotes(page, section, prompt, item, key) {
  const box = section.querySelector("[data-targets]");
  box.textContent = "";
  const answers = othersAnswers(page, prompt);
  if (!answers.length) {
    box.append(el("p", { className: "help", text: page.t("no_targets") }));
    return;
  }
  const votes = page.app.votes;
  box.append(el("ul", { className: "targets" }, answers.map((answer) => {
    const voteKey = `${prompt.id}|${answer.id}`;
    const on = !!votes[voteKey];
    const textId = `t-${answer.id}`;
    const button = el("button", { type: "button", className: "secondary",
      "aria-pressed": on ? "true" : "false", "aria-describedby": textId,
      text: on ? page.t("upvoted") : page.t("upvote"),
      onclick: () => {
        const now = !votes[voteKey];
        if (now) votes[voteKey] = true;
        else delete votes[voteKey];
        page.save("votes", votes);
        page.submit(prompt, item, { target: answer.id, on: now }, key);
        fillUpvotes(page, section, prompt, item, key);
      } });
    // The help says "tik op de verklaringen": a tap on the text votes as the button does
    // (the button stays the control a screen reader announces).
    return el("li", { className: on ? "on" : "",
                      onclick: (event) => { if (event.target !== button) button.click(); } },
              [el("p", { className: "target-text", id: textId, text: answer.text }),
               el("div", { className: "target-row" }, [button])]);
  })));
}

function dotsInput(page, section, prompt, item, key) {
  heading(page, section, prompt);
  section.append(el("p", { className: "dots-left", "data-dots-left": prompt.id, "aria-live": "polite" }));
  section.append(el("div", { "data-targets": prompt.id }));
  section.append(el("button", { type: "button", className: "primary", text: page.t("send"),
    onclick: () => {
      const allocation = {};
      const mine = page.app.dots[prompt.id] || {};
      for (const [target, n] of Object.entries(mine)) if (n > 0) allocation[target] = n;
      page.submit(prompt, item, { allocation }, key);
    } }));
  fillDots(page, section, prompt, item, key);
}

function fillDots(page, section, prompt, item, key) {
  const box = section.querySelector("[data-targets]");
  const dots = page.app.dots;
  const mine = dots[prompt.id] || {};
  const answers = othersAnswers(page, prompt);
  const visible = new Set(answers.map((a) => a.id));
  let used = 0;
  for (const target of Object.keys(mine)) {
    if (visible.has(target)) used += mine[target];
    else delete mine[target];  // hidden or merged
  }
  const left = prompt.dots - used;
  section.querySelector("[data-dots-left]").textContent = `${left} ${page.counted("dots_left", left)}`;
  box.textContent = "";
  if (!answers.length) {
    box.append(el("p", { className: "help", text: page.t("no_targets") }));
    return;
  }
  const labels = page.app.session;
  box.append(el("ul", { className: "targets" }, answers.map((answer) => {
    const count = mine[answer.id] || 0;
    const textId = `d-${answer.id}`;
    const change = (delta) => {
      const next = (mine[answer.id] || 0) + delta;
      if (next < 0 || next > prompt.per_target || (delta > 0 && left <= 0)) return;
      mine[answer.id] = next;
      dots[prompt.id] = mine;
      page.save("dots", dots);
      fillDots(page, section, prompt, item, key);
      const again = document.getElementById(`${delta > 0 ? "add-" : "del-"}${answer.id}`);
      if (again) again.focus();
    };
    const meta = [labels.levers[answer.lever], labels.directions[answer.direction]]
      .filter(Boolean).join(" · ");
    return el("li", {}, [
      el("p", { className: "target-text", id: textId, text: answer.text }),
      meta ? el("p", { className: "meta", text: meta }) : null,
      el("div", { className: "target-row" }, [
        el("div", { className: "dots" }, [
          el("button", { type: "button", className: "secondary", id: `del-${answer.id}`, text: "−",
            "aria-label": page.t("dots_remove"), "aria-describedby": textId, disabled: count <= 0,
            onclick: () => change(-1) }),
          el("span", { className: "dot-count", text: String(count),
                       "aria-label": `${count} ${page.counted("dot", count)}` }),
          el("button", { type: "button", className: "secondary", id: `add-${answer.id}`, text: "+",
            "aria-label": page.t("dots_add"), "aria-describedby": textId,
            disabled: left <= 0 || count >= prompt.per_target,
            onclick: () => change(1) }),
        ]),
      ]),
    ]);
  })));
}
