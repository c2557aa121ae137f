/* The projector's colours: colour-blind safe, each fill with the text colour readable on it. */

// Okabe-Ito based; each pairs with the text colour that has the higher contrast on it (all
// at least 4.5:1).
export const OPTION_COLOURS = [
  ["#0072B2", "#ffffff"], ["#56B4E9", "#000000"], ["#D55E00", "#000000"],
  ["#999999", "#000000"], ["#CC79A7", "#000000"], ["#E69F00", "#000000"],
];
// Lines of the indicator chart: dark enough for 3:1 against white where possible, and
// each with its own marker symbol so colour is never the only cue.
export const LINE_COLOURS = ["#0072B2", "#D55E00", "#007A5A", "#AA3377", "#000000", "#B07800",
                             "#5E3C99"];
export const LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross"];
// Diverging stops for scales (ColorBrewer RdBu, colour-blind safe), low to high.
const SCALE_STOPS = ["#b2182b", "#f4a582", "#d9d9d9", "#92c5de", "#2166ac"];

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(rgb) {
  const c = rgb.map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* The text colour (black or white) with the higher contrast on `rgb`. */
function inkOn(rgb) {
  const l = luminance(rgb);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

/** `count` colours spread over the diverging stops, each with its text colour. */
export function scaleColours(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0.5 : i / (count - 1);
    const pos = t * (SCALE_STOPS.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, SCALE_STOPS.length - 1);
    const a = hexToRgb(SCALE_STOPS[lo]);
    const b = hexToRgb(SCALE_STOPS[hi]);
    const f = pos - lo;
    const rgb = [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f));
    out.push([`rgb(${rgb.join(",")})`, inkOn(rgb)]);
  }
  return out;
}
