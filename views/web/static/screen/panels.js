/* The projector's panels and the render plan that keeps them: a panel is rebuilt only when
 * the data it shows changed (its key), so ten updates a second stay cheap. */

import { el } from "../dom.js";

/** Make `column` hold exactly `specs` (in order). A spec is {id, key, build, after}: an
 * existing panel with the same id and key is kept as it is. Returns the `after` of each
 * fresh panel, bound to it: the caller runs them once the whole page is laid out (a chart
 * measures its box, and the box is final only when every column holds its new panels). */
export function reconcile(column, specs) {
  const wanted = new Set(specs.map((spec) => spec.id));
  // Last round's panels go first: while they stand beside the new ones, the new ones
  // get only what is left of the column.
  for (const child of [...column.children]) {
    if (!wanted.has(child.dataset.panel)) {
      dispose(child);
      column.removeChild(child);
    }
  }
  const existing = {};
  for (const child of column.children) existing[child.dataset.panel] = child;
  const pending = [];
  specs.forEach((spec, index) => {
    let node = existing[spec.id];
    if (!node || node.dataset.key !== spec.key) {
      const built = spec.build();
      built.dataset.panel = spec.id;
      built.dataset.key = spec.key;
      if (node) {
        dispose(node);
        column.replaceChild(built, node);
      }
      node = built;
      if (spec.after) pending.push(() => spec.after(built));
    }
    if (column.children[index] !== node) {
      column.insertBefore(node, column.children[index] || null);
    }
  });
  return pending;
}

function dispose(node) {
  const chart = node.querySelector(".chart");
  if (!chart) return;
  if (chart.resizeWatch) chart.resizeWatch.disconnect();
  if (window.Plotly) window.Plotly.purge(chart);
}

/** A panel: a section with its heading (if any) and children. */
export function panel(className, heading, children, label) {
  const attrs = { className: `panel ${className}` };
  if (label) attrs["aria-label"] = label;
  return el("section", attrs, [heading ? el("h3", { className: "panel-heading" }, [heading])
    : null].concat(children));
}

export function perspectiveLabels(session) {
  const labels = {};
  for (const p of session.perspectives || []) labels[p.key] = p.label;
  return labels;
}

export function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}
