/* The projector's words and number formats, in the language the page was opened in. */

import { bootData, longDate as writtenDate, plural } from "../dom.js";

const boot = bootData();

export const LANG = boot.language || "nl";
export const T = boot.texts;
export const numbers = new Intl.NumberFormat(LANG, { maximumFractionDigits: 2 });
export const means = new Intl.NumberFormat(LANG, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const percent = new Intl.NumberFormat(LANG, { style: "percent", maximumFractionDigits: 0 });
export const twoDecimals = new Intl.NumberFormat(LANG, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An ISO date (2026-03-02) written out in the page's language; anything else as it is. */
export function longDate(iso) {
  return writtenDate(iso, LANG);
}

/** The text `name` in the form that goes with `n` ("_one" or "_other"), {n} filled in:
 * also a word alone ("stem", "stemmen"). */
export function counted(name, n) {
  return plural(T, LANG, name, n);
}

/** `n` and the word `name` in the form that goes with it: "1 stem", "3 stemmen". */
export function countOf(n, name) {
  return `${numbers.format(n)} ${counted(name, n)}`;
}
