/* The answer queue: nothing acknowledged is ever lost, nothing is stored twice.
 *
 * Every answer gets a client id and goes into the outbox in localStorage before it is
 * sent. It leaves the outbox only when the server acknowledged it as stored (or refused it
 * for good). After a reload, a screen lock, a Wi-Fi drop or a refusal the server asks to
 * retry (a full disk, too many at once) it is sent again with the same id; the server
 * stores each id once, so each answer arrives exactly once. */

const RETRY_DELAY = 3000;
const SENT_SHOWN = 5;  // own texts listed under a question

/** 16 random bytes in a URL-safe alphabet, and the time: unique per answer and phone. */
export function newClientId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let id = "";
  for (const byte of bytes) id += alphabet[byte & 63];
  return id + Date.now().toString(36);
}

export class Outbox {
  /** `emit(answer, callback)` sends one answer and calls back (err, reply); the hooks:
   * canSend() (connected and joined), changed(key) (a status to redraw), stored(),
   * unknownParticipant() (the server no longer knows this phone). */
  constructor(keep, emit, hooks) {
    this.keep = keep;
    this.emit = emit;
    this.hooks = hooks;
    this.entries = keep.load("outbox", []);     // [{answer, key, mine}] not yet acknowledged
    this.statuses = keep.load("statuses", {});  // key -> {state, code, message, summary, sent}
    this.mine = keep.load("mine", []);          // client ids of my own texts and proposals
    this.inflight = {};
    this.retryTimer = null;
  }

  status(key) {
    return this.statuses[key];
  }

  /** Queue `answer` under a new client id (its status under `key`) and send it if it can
   * go now. Options: mine (an answer others vote on: left out of my lists), summary (the
   * choice to show as made), sent (a text to list under the question). */
  add(answer, key, options = {}) {
    answer = { client_id: newClientId(), ...answer };
    this.entries.push({ answer, key, mine: !!options.mine });
    this.keep.save("outbox", this.entries);
    const status = this.statuses[key] || {};
    if (options.summary !== undefined) status.summary = options.summary;
    if (options.sent !== undefined) {
      status.sent = (status.sent || []).concat([options.sent]).slice(-SENT_SHOWN);
    }
    this.statuses[key] = status;
    this.setStatus(key, this.hooks.canSend() ? "sending" : "queued");
    this.flush();
  }

  /** Send everything not yet acknowledged that is not on its way already. */
  flush() {
    if (!this.hooks.canSend()) return;
    for (const entry of this.entries) {
      const id = entry.answer.client_id;
      if (this.inflight[id]) continue;
      this.inflight[id] = true;
      this.emit(entry.answer, (err, reply) => {
        delete this.inflight[id];
        this.acknowledged(entry, err, reply);
      });
    }
  }

  acknowledged(entry, err, reply) {
    const id = entry.answer.client_id;
    if (err) {  // no acknowledgement in time: it may or may not be stored; resend later
      this.setStatus(entry.key, "queued");
      this.scheduleRetry();
      return;
    }
    if (reply && reply.ok) {
      this.settle(entry);
      if (entry.mine) {
        this.mine.push(id);
        this.keep.save("mine", this.mine);
      }
      this.setStatus(entry.key, "received");
      this.hooks.stored();
      return;
    }
    if (reply && reply.code === "join.unknown_participant") {
      this.hooks.unknownParticipant();
      return;
    }
    if (reply && reply.retry) {
      // Refused for now (the server could not store it, or too many at once): the phone
      // keeps it and says so; the words follow from the code, in the phone's language.
      this.setStatus(entry.key, "retrying", { code: reply.code });
      this.scheduleRetry();
      return;
    }
    this.settle(entry);  // refused for good (e.g. the round closed): say so, do not resend
    this.setStatus(entry.key, "error", { message: reply ? reply.message : "" });
  }

  /** A disconnect ends every call on its way: they are sent again after the reconnect. */
  forgetInflight() {
    this.inflight = {};
  }

  settle(entry) {
    const id = entry.answer.client_id;
    this.entries = this.entries.filter((e) => e.answer.client_id !== id);
    this.keep.save("outbox", this.entries);
  }

  setStatus(key, state, details = {}) {
    const status = this.statuses[key] || {};
    status.state = state;
    status.code = details.code || "";
    status.message = details.message || "";
    this.statuses[key] = status;
    this.keep.save("statuses", this.statuses);
    this.hooks.changed(key);
  }

  scheduleRetry() {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, RETRY_DELAY);
  }
}
