/* A theme's theory of change on the projector and the phones: its parts on their own
 * lines, each led by its connective ("Als we …", "dan verwachten we dat …", "want …"), or
 * the one text a pack gave (views/web/presenters.py theory_view). */

import { el } from "./dom.js";

/** The paragraphs of `theme`'s theory; `openText` says a "want" is still for the room
 * to name. */
export function theoryParagraphs(theme, openText) {
  if (!theme.theory) return [el("p", { className: "theory-text" }, [theme.theory_of_change])];
  return theme.theory.map((part) => el("p", {
    className: `theory-part theory-${part.part}${part.open ? " theory-open" : ""}`,
  }, [
    el("strong", { className: "connective" }, [part.connective]), " ",
    part.open ? `… ${openText}` : part.text,
  ]));
}
