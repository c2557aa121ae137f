/* What the phone keeps across a reload, in localStorage under one session's prefix.
 * Where storage is blocked (some private modes) it keeps it in memory: the page still
 * works, it just forgets on a reload. */

export function keptState(prefix) {
  const memory = {};
  return {
    load(name, fallback) {
      try {
        const raw = window.localStorage.getItem(prefix + name);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (e) {
        return name in memory ? memory[name] : fallback;
      }
    },
    save(name, value) {
      memory[name] = value;
      try {
        window.localStorage.setItem(prefix + name, JSON.stringify(value));
      } catch (e) { /* private mode */ }
    },
  };
}
