/* Where an indicator chart's target label goes: on the dashed line, where it covers no
 * data point. The projector's chart (Plotly) and the phone's (SVG) both place it with this.
 *
 * Screen coordinates: y grows downwards. */

// Where along the line, as a share of the room the label leaves: in this order when
// several places are free. First the start of the line (the oldest figures, at the left,
// matter least), then its end, then in between.
const ALONG = [0, 1, 0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875];

/** The place of a `width` x `height` label on the horizontal line at `lineY`, inside
 * `plot` ({left, right, top, bottom}): {along (0 at the start, 1 at the end), above,
 * left, top, covered}. It covers as few of `markers` (their boxes: [left, top, right, bottom]) as it
 * can, and stays inside the plot where it can; `gap` keeps it off the line. */
export function targetLabelPlace(plot, lineY, width, height, markers, gap) {
  let best = null;
  for (const along of ALONG) {
    for (const above of [true, false]) {
      const left = plot.left + along * Math.max(0, plot.right - plot.left - width);
      const top = above ? lineY - gap - height : lineY + gap;
      const covered = markers.filter(([l, t, r, b]) => r > left && l < left + width
        && b > top && t < top + height).length;
      const outside = top < plot.top || top + height > plot.bottom ? 1 : 0;
      const score = covered * 2 + outside;
      if (best === null || score < best.score) {
        best = { along, above, left, top, covered, score };
      }
    }
  }
  return best;
}
