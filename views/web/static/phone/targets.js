/* The answers a phone can vote on: sent whole once, then as changes on top of a version.
 *
 * The protocol is views/web/vote_targets.py's; its PhoneTargets is this logic in Python
 * (for tests and benchmarks): keep the two alike. A change applies only on top of the
 * version the phone holds (version + 1); older messages are ignored, and a gap means
 * asking for the whole lists again. */

export class VoteTargets {
  constructor() {
    this.lists = {};      // prompt id -> answers to vote on, in order
    this.version = null;  // null: no whole lists since the last (re)connect
  }

  /** Take the lists of a whole state (event or reply); false when it is older than ours. */
  takeWhole(message) {
    const version = message.targets_version;
    if (this.version !== null && typeof version === "number" && version < this.version) {
      return false;
    }
    this.lists = message.targets || {};
    this.version = typeof version === "number" ? version : null;
    return true;
  }

  /** Apply a "targets" change: "applied", "ignored" (old, or whole lists are on their
   * way) or "gap" (one went missing: ask for the whole lists). */
  takeChange(change) {
    if (!change || this.version === null || !(change.version > this.version)) return "ignored";
    if (change.version !== this.version + 1) return "gap";
    applyChange(this.lists, change);
    this.version = change.version;
    return "applied";
  }

  /** After a disconnect: a restarted server counts anew. */
  forget() {
    this.version = null;
  }

  /** The answers of one prompt, leaving out the ids in `own`. */
  others(prompt, own) {
    return (this.lists[prompt] || []).filter((answer) => !own.includes(answer.id));
  }
}

/* Added (or edited) answers replace the one with their id or go to the end; removed ids go. */
function applyChange(lists, change) {
  for (const [prompt, ids] of Object.entries(change.remove || {})) {
    const gone = new Set(ids);
    lists[prompt] = (lists[prompt] || []).filter((answer) => !gone.has(answer.id));
  }
  for (const [prompt, added] of Object.entries(change.add || {})) {
    const list = lists[prompt] = lists[prompt] || [];
    for (const answer of added) {
      const at = list.findIndex((listed) => listed.id === answer.id);
      if (at >= 0) list[at] = answer;
      else list.push(answer);
    }
  }
}
