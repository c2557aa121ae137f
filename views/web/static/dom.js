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
