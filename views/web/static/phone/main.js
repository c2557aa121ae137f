/* The phone page: join, follow the facilitator, answer; nothing acknowledged is ever lost.
 *
 * This module wires the parts: the state kept across reloads (storage.js), the answer
 * queue (outbox.js), the lists to vote on (targets.js), the connection (connection.js) and
 * the page (page.js, prompts.js, item.js; chart.js when an indicator is shown). */

import { bootData } from "../dom.js";
import { call, openConnection } from "./connection.js";
import { Outbox } from "./outbox.js";
import { PhonePage } from "./page.js";
import { keptState } from "./storage.js";
import { VoteTargets } from "./targets.js";

const boot = bootData();
const keep = keptState(`duiding:${boot.code}:`);
const app = {
  language: keep.load("language", boot.language),
  participant: keep.load("participant", null),
  votes: keep.load("votes", {}),    // "prompt|target" -> true for my upvotes
  dots: keep.load("dots", {}),      // prompt -> {target: n} my last allocation
  drafts: keep.load("drafts", {}),  // status key -> text being typed
  session: null,
  connected: false,
};
const targets = new VoteTargets();
let socket = null;

const outbox = new Outbox(keep, (answer, done) => call(socket, "answer", answer, done), {
  canSend: () => app.connected && !!app.participant,
  changed: (key) => page.renderStatus(key),
  stored: () => page.renderTargets(),
  unknownParticipant: () => {
    forgetParticipant();
    page.render();
  },
});

const page = new PhonePage(document.getElementById("main"), app, boot, outbox, targets, {
  save: (name, value) => keep.save(name, value),
  submit: (answer, key, options) => outbox.add(answer, key, options),
  join,
});

/* A whole state (event or reply); false when it is older than what the phone holds. */
function takeWhole(data) {
  if (!data || !data.session || !targets.takeWhole(data)) return false;
  app.session = data.session;
  return true;
}

function forgetParticipant() {
  app.participant = null;
  keep.save("participant", null);
}

function join(perspective, done) {
  call(socket, "join", { perspective, language: app.language }, (err, reply) => {
    if (err || !reply) return done(page.t("offline"));
    if (!reply.ok) return done(reply.message || reply.code);
    app.participant = reply.participant;
    keep.save("participant", reply.participant);
    takeWhole(reply);
    page.render();
    page.main.focus();
    return done(null);
  });
}

let resyncing = false;
function resync() {  // a change went missing: ask for the whole lists
  if (resyncing) return;
  resyncing = true;
  call(socket, "targets", {}, (err, reply) => {
    resyncing = false;
    if (!err && reply && reply.ok && takeWhole(reply)) page.render();
  });
}

socket = openConnection(
  () => ({ code: boot.code, participant: app.participant, language: app.language }), {
    connected() {
      app.connected = true;
      page.showConnection();
      outbox.flush();
    },
    disconnected() {
      app.connected = false;
      targets.forget();  // a restarted server counts anew
      outbox.forgetInflight();
      page.showConnection();
    },
    failed() {
      app.connected = false;
      page.showConnection();
    },
    state(data) {
      if (data && Object.prototype.hasOwnProperty.call(data, "participant") && !data.participant) {
        // The server does not know this phone (a new session on the same code): join again.
        forgetParticipant();
      }
      if (takeWhole(data)) page.render();
    },
    targets(change) {
      const taken = targets.takeChange(change);
      if (taken === "gap") resync();
      else if (taken === "applied") page.renderTargets();
    },
    wake: () => outbox.flush(),
  });

const languageButton = document.getElementById("language");
languageButton.hidden = false;
languageButton.addEventListener("click", () => {
  app.language = app.language === "nl" ? "en" : "nl";
  keep.save("language", app.language);
  socket.emit("language", { language: app.language }, (reply) => {
    // The words must change even if a newer state overtook this reply by a moment.
    if (reply && reply.ok && !takeWhole(reply)) app.session = reply.session;
    page.render();
  });
  page.render();
});

page.render();
