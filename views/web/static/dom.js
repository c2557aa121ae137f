/* The DOM builder and text helpers both pages share.
 *
 * Participant text only ever reaches the page as text: strings among the children become
 * text nodes and `text` sets textContent; nothing is parsed as markup. */

/** An element: `attrs` are set as attributes (`className` and `text` as properties, a
 * function under an `on…` name as an event listener); strings and numbers among the
 * children become text nodes; null, undefined and false are left out. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on")) {
      // Only a listener: an inline handler attribute would run text as code.
      if (typeof value !== "function") throw new TypeError(`${key} needs a function`);
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children || []) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }
  return node;
}

/** `template` with each {name} replaced by values[name]; unknown names stay as they are. */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match);
}

/** The page's boot data: the JSON the server put in <script id="boot">. */
export function bootData() {
  return JSON.parse(document.getElementById("boot").textContent);
}

const pluralRules = {};

/** The text `name` in the form that goes with `n`: its `name_one` or `name_other` entry
 * (the language's plural rule picks), with {n} replaced by the number as written in
 * `language`. */
export function plural(texts, language, name, n) {
  const rules = pluralRules[language] || (pluralRules[language] = new Intl.PluralRules(language));
  const text = texts[`${name}_${rules.select(n)}`] || texts[`${name}_other`] || name;
  return format(text, { n: n.toLocaleString(language) });
}

const dayFormats = {};

/** An ISO date (2026-03-02) written out in `language`: "2 maart 2026"; anything else as
 * it is. */
export function longDate(iso, language) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
  if (!match) return String(iso || "");
  // "en-GB": the day first, as the console and the reports write it ("1 June 2026");
  // plain "en" is the American "June 1, 2026".
  const days = dayFormats[language] || (dayFormats[language] = new Intl.DateTimeFormat(
    language === "en" ? "en-GB" : language,
    { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }));
  return days.format(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])));
}

/** The lobby's word on a review round loaded from a follow-up file ("Eerst een terugblik:
 * wat werd er van 2 acties van Vorige sessie (1 juni 2026)?"); `review` as
 * views/web/presenters.py review_view sends it. */
export function reviewAnnouncement(texts, language, review) {
  const date = review.date ? ` (${longDate(review.date, language)})` : "";
  const session = `${review.title || texts.review_session_unnamed}${date}`;
  return format(plural(texts, language, "lobby_review", review.actions), { session });
}
