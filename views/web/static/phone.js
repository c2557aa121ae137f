/* The phone page: join, follow the facilitator, answer; nothing acknowledged is ever lost.

   Every answer gets a client id and goes into an outbox in localStorage before it is sent.
   It leaves the outbox only when the server acknowledged it as stored (or refused it for
   good). After a reload, a screen lock or a Wi-Fi drop the outbox is sent again with the
   same ids; the server stores each id once, so each answer arrives exactly once.
   Written for older phones too: no optional chaining, no modules, no build step. */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("boot").textContent);
  var PREFIX = "duiding:" + boot.code + ":";
  var ACK_TIMEOUT = 10000;
  var RETRY_DELAY = 3000;

  // -- storage that survives a reload (and works, without surviving, where it is blocked) --
  var memory = {};
  function load(name, fallback) {
    try {
      var raw = window.localStorage.getItem(PREFIX + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return name in memory ? memory[name] : fallback;
    }
  }
  function save(name, value) {
    memory[name] = value;
    try { window.localStorage.setItem(PREFIX + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  var app = {
    language: load("language", boot.language),
    participant: load("participant", null),
    outbox: load("outbox", []),          // [{answer, key}] not yet acknowledged
    statuses: load("statuses", {}),      // key -> {state, message, summary}
    mine: load("mine", []),              // client ids of my own texts and proposals
    votes: load("votes", {}),            // "prompt|target" -> true for my upvotes
    dots: load("dots", {}),              // prompt -> {target: n} my last allocation
    drafts: load("drafts", {}),          // key -> text being typed
    session: null,
    targets: {},                         // prompt -> answers to vote on
    version: null,                       // of session + targets (see views/web/vote_targets.py)
    connected: false,
    inflight: {}
  };

  function texts() { return boot.texts[app.language] || boot.texts.nl; }
  function t(key) { return texts()[key] || key; }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  // -- small DOM helpers: participant text only ever goes in as textContent --------------
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "className") { node.className = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function newClientId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    var id = "";
    for (var j = 0; j < bytes.length; j++) { id += alphabet[bytes[j] & 63]; }
    return id + Date.now().toString(36);
  }

  // -- connection ------------------------------------------------------------------------
  var socket = io("/phone", {
    // A function, so every reconnect presents the participant id we have by then.
    auth: function (cb) {
      cb({ code: boot.code, participant: app.participant, language: app.language });
    },
    reconnectionDelayMax: 5000
  });

  var connectionLine = document.getElementById("connection");
  function showConnection() {
    connectionLine.textContent = app.connected ? t("online") : t("offline");
    connectionLine.className = "connection" + (app.connected ? "" : " offline");
  }

  socket.on("connect", function () {
    app.connected = true;
    showConnection();
    flush();
  });
  socket.on("disconnect", function (reason) {
    app.connected = false;
    app.version = null;  // a restarted server counts anew
    app.inflight = {};
    showConnection();
    // After a disconnect the server asked for, socket.io does not retry by itself; a
    // restarting server asks exactly that, so try again (with a pause).
    if (reason === "io server disconnect") {
      setTimeout(function () { socket.connect(); }, 1000);
    }
  });
  socket.on("connect_error", function () {
    app.connected = false;
    showConnection();
  });
  socket.on("state", function (data) {
    if (Object.prototype.hasOwnProperty.call(data, "participant") && !data.participant) {
      // The server does not know this phone (a new session on the same code): join again.
      forgetParticipant();
    }
    if (takeWhole(data)) { render(); }
  });
  socket.on("targets", function (change) {
    if (!change || app.version === null || !(change.version > app.version)) { return; }
    if (change.version !== app.version + 1) { resync(); return; }  // missed one: ask whole
    applyChange(change);
    app.version = change.version;
    renderTargets();
  });

  // A whole state (event or reply); false when it is older than what the phone holds.
  function takeWhole(data) {
    if (!data || !data.session) { return false; }
    var version = data.targets_version;
    if (app.version !== null && typeof version === "number" && version < app.version) {
      return false;
    }
    app.session = data.session;
    app.targets = data.targets || {};
    app.version = typeof version === "number" ? version : null;
    return true;
  }

  // Vote targets arrive whole once, then as changes: added (or edited) answers and removed ids.
  function applyChange(change) {
    Object.keys(change.remove || {}).forEach(function (prompt) {
      var gone = {};
      change.remove[prompt].forEach(function (id) { gone[id] = true; });
      app.targets[prompt] = (app.targets[prompt] || []).filter(function (a) { return !gone[a.id]; });
    });
    Object.keys(change.add || {}).forEach(function (prompt) {
      var list = app.targets[prompt] = app.targets[prompt] || [];
      change.add[prompt].forEach(function (answer) {
        for (var i = 0; i < list.length; i++) {
          if (list[i].id === answer.id) { list[i] = answer; return; }
        }
        list.push(answer);
      });
    });
  }

  var resyncing = false;
  function resync() {
    if (resyncing) { return; }
    resyncing = true;
    socket.timeout(ACK_TIMEOUT).emit("targets", {}, function (err, reply) {
      resyncing = false;
      if (!err && reply && reply.ok && takeWhole(reply)) { render(); }
    });
  }

  function forgetParticipant() {
    app.participant = null;
    save("participant", null);
  }

  // -- the outbox --------------------------------------------------------------------------
  var retryTimer = null;
  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = setTimeout(function () { retryTimer = null; flush(); }, RETRY_DELAY);
    }
  }

  function setStatus(key, state, message) {
    var status = app.statuses[key] || {};
    status.state = state;
    status.message = message || "";
    app.statuses[key] = status;
    save("statuses", app.statuses);
    renderStatus(key);
  }

  function flush() {
    if (!app.connected || !app.participant) { return; }
    app.outbox.forEach(function (entry) {
      var id = entry.answer.client_id;
      if (app.inflight[id]) { return; }
      app.inflight[id] = true;
      socket.timeout(ACK_TIMEOUT).emit("answer", entry.answer, function (err, reply) {
        delete app.inflight[id];
        if (err) {  // no acknowledgement in time: it may or may not be stored; resend later
          setStatus(entry.key, "queued");
          scheduleRetry();
          return;
        }
        if (reply && reply.ok) {
          settle(entry);
          if (entry.mine) { app.mine.push(id); save("mine", app.mine); }
          setStatus(entry.key, "received");
          renderTargets();
          return;
        }
        if (reply && reply.code === "join.unknown_participant") {
          forgetParticipant();
          render();
          return;
        }
        if (reply && reply.retry) {
          setStatus(entry.key, "queued", reply.message);
          scheduleRetry();
          return;
        }
        settle(entry);  // refused for good (e.g. the round closed): say so, do not resend
        setStatus(entry.key, "error", reply ? reply.message : "");
      });
    });
  }

  function settle(entry) {
    app.outbox = app.outbox.filter(function (e) { return e.answer.client_id !== entry.answer.client_id; });
    save("outbox", app.outbox);
  }

  function submit(prompt, item, payload, key, options) {
    var answer = {
      client_id: newClientId(), stage: app.session.stage,
      theme: app.session.theme ? app.session.theme.key : null,
      prompt: prompt.id, item: prompt.per_item ? item : null, payload: payload
    };
    var entry = { answer: answer, key: key, mine: !!(options && options.mine) };
    app.outbox.push(entry);
    save("outbox", app.outbox);
    if (options && options.summary) {
      var status = app.statuses[key] || {};
      status.summary = options.summary;
      app.statuses[key] = status;
    }
    setStatus(key, app.connected ? "sending" : "queued");
    flush();
  }

  // -- rendering ---------------------------------------------------------------------------
  var main = document.getElementById("main");
  var languageButton = document.getElementById("language");
  languageButton.hidden = false;
  languageButton.addEventListener("click", function () {
    app.language = app.language === "nl" ? "en" : "nl";
    save("language", app.language);
    socket.emit("language", { language: app.language }, function (reply) {
      // The words must change even if a newer state overtook this reply by a moment.
      if (reply && reply.ok && !takeWhole(reply)) { app.session = reply.session; }
      render();
    });
    render();
  });

  function statusKey(prompt, item) {
    var s = app.session;
    return [s.stage, s.theme ? s.theme.key : "", prompt.id, prompt.per_item ? item : ""].join("|");
  }

  function statusLine(key) {
    var line = h("p", { className: "status", "data-status": key, role: "status", "aria-live": "polite" });
    fillStatus(line, key);
    return line;
  }

  function fillStatus(line, key) {
    var status = app.statuses[key];
    line.className = "status" + (status ? " " + status.state : "");
    if (!status) { line.textContent = ""; return; }
    var words = {
      sending: t("sending"), queued: t("queued"), received: "✓ " + t("received"),
      error: t("not_stored") + (status.message ? ": " + status.message : "")
    }[status.state] || "";
    if (status.state === "queued" && status.message) { words += " (" + status.message + ")"; }
    line.textContent = words;
  }

  function renderStatus(key) {
    var lines = main.querySelectorAll("[data-status]");
    for (var i = 0; i < lines.length; i++) {
      if (lines[i].getAttribute("data-status") === key) { fillStatus(lines[i], key); }
    }
  }

  function render() {
    document.documentElement.lang = app.language;
    languageButton.textContent = t("change_language");
    languageButton.setAttribute("lang", app.language === "nl" ? "en" : "nl");
    showConnection();
    var focused = document.activeElement && document.activeElement.id;
    main.textContent = "";
    var s = app.session;
    if (!s) {
      main.appendChild(h("p", { text: t("connecting") }));
      return;
    }
    if (s.stage === "closed") {
      main.appendChild(h("h1", { text: t("closed_title") }));
      main.appendChild(h("p", { text: t("closed_help") }));
      return;
    }
    if (!app.participant) {
      renderJoin(s);
    } else if (s.stage === "lobby") {
      main.appendChild(h("h1", { text: t("lobby_title") }));
      main.appendChild(h("p", { text: s.title }));
      main.appendChild(h("p", { className: "help", text: t("lobby_help") }));
    } else {
      renderRound(s);
    }
    if (focused) {
      var again = document.getElementById(focused);
      if (again) { again.focus(); }
    }
  }

  function renderJoin(s) {
    main.appendChild(h("h1", { text: t("join_title") }));
    main.appendChild(h("p", { text: s.title }));
    if (s.example) { main.appendChild(h("p", { className: "help", text: t("example") })); }
    var error = h("p", { className: "error", role: "alert" });
    var options = s.perspectives.map(function (p, n) {
      return h("label", { className: "choice" }, [
        h("input", { type: "radio", name: "perspective", value: p.key, id: "perspective-" + n }),
        h("span", { text: p.label })
      ]);
    });
    var form = h("form", { className: "card", novalidate: true }, [
      h("p", { className: "help", text: t("join_help") }),
      h("fieldset", {}, [h("legend", { text: t("join_perspective") }),
        h("div", { className: "choices" }, options)]),
      error,
      h("button", { type: "submit", className: "primary", text: t("join_button") })
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=perspective]:checked");
      if (!chosen) { error.textContent = texts().join_perspective + "?"; return; }
      var button = form.querySelector("button");
      button.disabled = true;
      socket.timeout(ACK_TIMEOUT).emit("join", { perspective: chosen.value, language: app.language },
        function (err, reply) {
          button.disabled = false;
          if (err || !reply) { error.textContent = t("offline"); return; }
          if (!reply.ok) { error.textContent = reply.message || reply.code; return; }
          app.participant = reply.participant;
          save("participant", reply.participant);
          takeWhole(reply);
          render();
          main.focus();
        });
    });
    main.appendChild(form);
  }

  function renderRound(s) {
    var header = h("section", { className: "card" }, [
      s.theme ? h("p", { className: "theme-line", text: t("theme") + ": " + s.theme.title }) : null,
      h("h1", { text: s.round.title }),
      s.round.intro ? h("p", { className: "help", text: s.round.intro }) : null
    ]);
    main.appendChild(header);
    var perItem = s.round.prompts.filter(function (p) { return p.per_item; });
    var general = s.round.prompts.filter(function (p) { return !p.per_item; });
    if (s.item && s.item.kind === "summary") {
      // The review's opening screen is for looking together: nothing to answer about it.
      main.appendChild(h("section", { className: "card item" }, [
        h("h2", { text: t("summary_phone") })
      ]));
    } else if (perItem.length && s.item) {
      main.appendChild(renderItem(s.item));
      perItem.forEach(function (prompt) { main.appendChild(renderPrompt(prompt, s.item.id)); });
    }
    general.forEach(function (prompt) { main.appendChild(renderPrompt(prompt, null)); });
  }

  function renderItem(item) {
    var card = h("section", { className: "card item", "aria-label": t("about") });
    if (item.kind === "indicator") {
      card.appendChild(h("h2", { text: item.label }));
      if (item.description) { card.appendChild(h("p", { className: "help", text: item.description })); }
      var chart = window.DuidingChart.lineChart(item, texts());
      if (chart) { card.appendChild(chart); }
      if (item.sources.length) { card.appendChild(h("p", { className: "meta", text: item.sources.join("; ") })); }
    } else if (item.kind === "story") {
      card.appendChild(h("p", { className: "theme-line", text: t("story") + " · " + item.perspective }));
      card.appendChild(h("h2", { text: item.title }));
      card.appendChild(h("p", { className: "meta", text: [item.area, item.source, item.date].join(" · ") }));
      card.appendChild(h("p", { className: "story-body", text: item.body }));
    } else if (item.kind === "action") {
      card.appendChild(h("p", { className: "theme-line", text: t("earlier_action") }));
      card.appendChild(h("h2", { text: item.what }));
      card.appendChild(h("p", { className: "meta", text: t("owner") + ": " + item.owner + " · " + t("due") + ": " + item.due }));
      card.appendChild(h("p", { text: t("success_signal") + " " + item.success_signal }));
    } else if (item.kind === "monitoring") {
      card.appendChild(h("p", { className: "theme-line", text: t("monitoring_kicker") }));
      card.appendChild(h("h2", { text: item.theme }));
      card.appendChild(h("p", { className: "meta", text: t("monitoring_measures") }));
      var list = h("ul", { className: "indicators" });
      item.indicators.forEach(function (i) {
        list.appendChild(h("li", { text: i.label + " (" + format(t("monitoring_indicator"), i) + ")" }));
      });
      card.appendChild(list);
    }
    return card;
  }

  function renderPrompt(prompt, item) {
    var key = statusKey(prompt, item);
    var section = h("section", { className: "card prompt", "data-prompt": prompt.id });
    var build = {
      choice: renderChoice, scale: renderScale, text: renderText, proposal: renderProposal,
      upvote: renderUpvote, dots: renderDots
    }[prompt.kind];
    if (build) { build(section, prompt, item, key); }
    section.appendChild(statusLine(key));
    return section;
  }

  function domId(prompt, suffix) {
    return ("q-" + prompt.id + "-" + suffix).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  function optionGroup(section, prompt, item, key, options, inline, describedBy) {
    var chosen = (app.statuses[key] || {}).summary;
    var group = h("div", { className: "choices" + (inline ? " inline" : "") });
    options.forEach(function (option, n) {
      var input = h("input", { type: "radio", name: domId(prompt, "opt"), value: option.value,
        id: domId(prompt, "opt-" + n), checked: String(option.value) === chosen });
      input.addEventListener("change", function () {
        submit(prompt, item, option.payload, key, { summary: String(option.value) });
      });
      group.appendChild(h("label", { className: "choice", "for": input.id }, [input, h("span", { text: option.label })]));
    });
    var fieldset = h("fieldset", { "aria-describedby": describedBy || null }, [
      h("legend", { text: prompt.text }),
      prompt.help ? h("p", { className: "help", text: prompt.help }) : null,
      group
    ]);
    section.appendChild(fieldset);
    return fieldset;
  }

  function renderChoice(section, prompt, item, key) {
    optionGroup(section, prompt, item, key, prompt.options.map(function (o) {
      return { value: o.key, label: o.label, payload: { choice: o.key } };
    }), false);
  }

  function renderScale(section, prompt, item, key) {
    var values = [];
    for (var v = prompt.min; v <= prompt.max; v++) {
      values.push({ value: v, label: String(v), payload: { value: v } });
    }
    var ends = domId(prompt, "ends");
    var fieldset = optionGroup(section, prompt, item, key, values, true, ends);
    fieldset.appendChild(h("div", { className: "scale-ends", id: ends }, [
      h("span", { text: prompt.min + " = " + prompt.min_label }),
      h("span", { text: prompt.max + " = " + prompt.max_label })
    ]));
  }

  function textArea(prompt, key, label) {
    var id = domId(prompt, "text");
    var counter = h("p", { className: "counter", id: id + "-count", "aria-live": "off" });
    var area = h("textarea", { id: id, maxlength: prompt.max_length, "aria-describedby": id + "-count" });
    area.value = app.drafts[key] || "";
    function count() {
      counter.textContent = (prompt.max_length - area.value.length) + " " + t("chars_left");
      app.drafts[key] = area.value;
      save("drafts", app.drafts);
    }
    area.addEventListener("input", count);
    count();
    return { label: h("label", { "for": id, text: label }), area: area, counter: counter };
  }

  function sentList(key) {
    var sent = (app.statuses[key] || {}).sent || [];
    if (!sent.length) { return null; }
    return h("ul", { className: "sent-list", "aria-label": t("your_answer") }, sent.map(function (text) {
      return h("li", { text: text });
    }));
  }

  function remember(key, text) {
    var status = app.statuses[key] || {};
    status.sent = (status.sent || []).concat([text]).slice(-5);
    app.statuses[key] = status;
    app.drafts[key] = "";
    save("drafts", app.drafts);
  }

  function renderText(section, prompt, item, key) {
    var field = textArea(prompt, key, prompt.text);
    var form = h("form", { novalidate: true }, [
      field.label,
      prompt.help ? h("p", { className: "help", text: prompt.help }) : null,
      field.area, field.counter,
      h("button", { type: "submit", className: "primary", text: t("send") }),
      sentList(key)
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = field.area.value.trim();
      if (!text) { field.area.focus(); return; }
      remember(key, text);
      submit(prompt, item, { text: text }, key, { mine: true });
      render();
    });
    section.appendChild(form);
  }

  function radioRow(name, legend, labels, compact) {
    var group = h("div", { className: "choices" + (compact ? " compact" : "") });
    Object.keys(labels).forEach(function (value, n) {
      var input = h("input", { type: "radio", name: name, value: value, id: name + "-" + n });
      group.appendChild(h("label", { className: "choice", "for": input.id }, [input, h("span", { text: labels[value] })]));
    });
    return h("fieldset", {}, [h("legend", { text: legend }), group]);
  }

  function renderProposal(section, prompt, item, key) {
    var field = textArea(prompt, key, prompt.text);
    var error = h("p", { className: "error", role: "alert" });
    var form = h("form", { novalidate: true }, [
      field.label,
      prompt.help ? h("p", { className: "help", text: prompt.help }) : null,
      field.area, field.counter,
      radioRow(domId(prompt, "lever"), t("lever"), app.session.levers),
      radioRow(domId(prompt, "direction"), t("direction"), app.session.directions, true),
      error,
      h("button", { type: "submit", className: "primary", text: t("send") }),
      sentList(key)
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = field.area.value.trim();
      var lever = form.querySelector("input[name=" + domId(prompt, "lever") + "]:checked");
      var direction = form.querySelector("input[name=" + domId(prompt, "direction") + "]:checked");
      if (!text) { field.area.focus(); return; }
      if (!lever) { error.textContent = t("lever"); return; }
      if (!direction) { error.textContent = t("direction"); return; }
      remember(key, text);
      submit(prompt, item, { text: text, lever: lever.value, direction: direction.value }, key, { mine: true });
      render();
    });
    section.appendChild(form);
  }

  function othersAnswers(prompt) {
    var list = app.targets[prompt.id] || [];
    return list.filter(function (answer) { return app.mine.indexOf(answer.id) < 0; });
  }

  function renderUpvote(section, prompt, item, key) {
    section.appendChild(h("h2", { text: prompt.text }));
    if (prompt.help) { section.appendChild(h("p", { className: "help", text: prompt.help })); }
    section.appendChild(h("div", { "data-targets": prompt.id }));
    fillUpvotes(section, prompt, item, key);
  }

  function fillUpvotes(section, prompt, item, key) {
    var box = section.querySelector("[data-targets]");
    box.textContent = "";
    var answers = othersAnswers(prompt);
    if (!answers.length) { box.appendChild(h("p", { className: "help", text: t("no_targets") })); return; }
    var list = h("ul", { className: "targets" });
    answers.forEach(function (answer) {
      var voteKey = prompt.id + "|" + answer.id;
      var on = !!app.votes[voteKey];
      var button = h("button", { type: "button", className: "secondary", "aria-pressed": on ? "true" : "false",
        text: on ? t("upvoted") : t("upvote") });
      var textId = "t-" + answer.id;
      button.setAttribute("aria-describedby", textId);
      button.addEventListener("click", function () {
        var now = !app.votes[voteKey];
        if (now) { app.votes[voteKey] = true; } else { delete app.votes[voteKey]; }
        save("votes", app.votes);
        submit(prompt, item, { target: answer.id, on: now }, key);
        fillUpvotes(section, prompt, item, key);
      });
      list.appendChild(h("li", {}, [h("p", { className: "target-text", id: textId, text: answer.text }),
        h("div", { className: "target-row" }, [button])]));
    });
    box.appendChild(list);
  }

  function renderDots(section, prompt, item, key) {
    section.appendChild(h("h2", { text: prompt.text }));
    if (prompt.help) { section.appendChild(h("p", { className: "help", text: prompt.help })); }
    section.appendChild(h("p", { className: "dots-left", "data-dots-left": prompt.id, "aria-live": "polite" }));
    section.appendChild(h("div", { "data-targets": prompt.id }));
    var send = h("button", { type: "button", className: "primary", text: t("send") });
    send.addEventListener("click", function () {
      var allocation = {};
      var mine = app.dots[prompt.id] || {};
      Object.keys(mine).forEach(function (target) { if (mine[target] > 0) { allocation[target] = mine[target]; } });
      submit(prompt, item, { allocation: allocation }, key);
    });
    section.appendChild(send);
    fillDots(section, prompt, item, key);
  }

  function fillDots(section, prompt, item, key) {
    var box = section.querySelector("[data-targets]");
    var mine = app.dots[prompt.id] || {};
    var answers = othersAnswers(prompt);
    var visible = {};
    answers.forEach(function (a) { visible[a.id] = true; });
    var used = 0;
    Object.keys(mine).forEach(function (target) {
      if (visible[target]) { used += mine[target]; } else { delete mine[target]; }  // hidden or merged
    });
    var left = prompt.dots - used;
    section.querySelector("[data-dots-left]").textContent = left + " " + t("dots_left");
    box.textContent = "";
    if (!answers.length) { box.appendChild(h("p", { className: "help", text: t("no_targets") })); return; }
    var labels = app.session;
    var list = h("ul", { className: "targets" });
    answers.forEach(function (answer) {
      var count = mine[answer.id] || 0;
      var textId = "d-" + answer.id;
      function change(delta) {
        var next = (mine[answer.id] || 0) + delta;
        if (next < 0 || next > prompt.per_target || (delta > 0 && left <= 0)) { return; }
        mine[answer.id] = next;
        app.dots[prompt.id] = mine;
        save("dots", app.dots);
        fillDots(section, prompt, item, key);
        var again = document.getElementById((delta > 0 ? "add-" : "del-") + answer.id);
        if (again) { again.focus(); }
      }
      var meta = [labels.levers[answer.lever], labels.directions[answer.direction]].filter(Boolean).join(" · ");
      list.appendChild(h("li", {}, [
        h("p", { className: "target-text", id: textId, text: answer.text }),
        meta ? h("p", { className: "meta", text: meta }) : null,
        h("div", { className: "target-row" }, [
          h("div", { className: "dots" }, [
            h("button", { type: "button", className: "secondary", id: "del-" + answer.id, text: "−",
              "aria-label": t("dots_remove"), "aria-describedby": textId, disabled: count <= 0,
              onclick: function () { change(-1); } }),
            h("span", { className: "dot-count", text: String(count), "aria-label": count + " " + t("dots") }),
            h("button", { type: "button", className: "secondary", id: "add-" + answer.id, text: "+",
              "aria-label": t("dots_add"), "aria-describedby": textId,
              disabled: left <= 0 || count >= prompt.per_target,
              onclick: function () { change(1); } })
          ])
        ])
      ]));
    });
    box.appendChild(list);
  }

  function renderTargets() {
    if (!app.session || !app.session.round || !app.participant) { return; }
    app.session.round.prompts.forEach(function (prompt) {
      if (prompt.kind !== "upvote" && prompt.kind !== "dots") { return; }
      var section = main.querySelector("[data-prompt='" + prompt.id + "']");
      if (!section) { return; }
      var key = statusKey(prompt, null);
      if (prompt.kind === "upvote") { fillUpvotes(section, prompt, null, key); }
      else { fillDots(section, prompt, null, key); }
    });
  }

  // Try again when the phone wakes up or comes back online; socket.io reconnects by itself.
  window.addEventListener("online", function () { if (!socket.connected) { socket.connect(); } flush(); });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { if (!socket.connected) { socket.connect(); } flush(); }
  });

  render();
})();
