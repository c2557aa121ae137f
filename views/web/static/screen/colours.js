/* The projector's colours: the one palette of every chart (session/palette.json), as the
 * server sent it in the page's boot data. Colour-blind safe, each fill with the text colour
 * readable on it (tests/session/test_palette.py). */

import { bootData } from "../dom.js";

const PALETTE = bootData().palette;

// A choice's options in order: [fill, ink].
export const OPTION_COLOURS = PALETTE.options;
// Lines of the indicator chart, each with its own marker symbol so colour is never the
// only cue.
export const LINE_COLOURS = PALETTE.lines;
export const LINE_SYMBOLS = PALETTE.line_symbols;
export const TARGET_COLOUR = PALETTE.target;

/** `count` colours spread over the scale's diverging stops, each [fill, ink]. */
export function scaleColours(count) {
  return PALETTE.scale[String(count)];
}
