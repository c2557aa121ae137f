"""How a comparison of teams and cycles reads: its labels, cells and sentences, in plain
text, so the offline page, ``duiding compare``'s terminal lines and the coordinator's
console say the same thing. Each renderer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.comparison_lines import Line
from exports.wording import Wording
from session.team_comparison import (
    TOTAL,
    ComparedSession,
    Group,
    QuestionComparison,
    TeamComparison,
    ThemeComparison,
)


@dataclass(frozen=True)
class ComparisonWording:
    """The comparison's words in one language."""

    comparison: TeamComparison
    w: Wording

    @classmethod
    def of(cls, comparison: TeamComparison, language: str) -> ComparisonWording:
        return cls(comparison, Wording.for_language(language))

    @property
    def language(self) -> str:
        return self.w.language

    def text(self, code: str, /, **params: object) -> str:
        return self.w.text(code, **params)

    # -- names ------------------------------------------------------------------------------

    def session(self, session: ComparedSession) -> str:
        """Team, and the date where a team has several sessions here."""
        return session.label(self.w.date)

    def session_by_id(self, session_id: str) -> str:
        return self.session(self.comparison.session(session_id))

    def short(self, session: ComparedSession) -> str:
        """A chart's label: the team without the words all teams share ("Wijkteam"), and a
        short date for a team with several cycles; only the date when there is one team."""
        teams = self.comparison.teams
        if len(teams) == 1:
            return self.w.short_date(session.date)
        common = _common_words(teams)
        name = " ".join(session.team.split()[common:]) or session.team
        return name if session.cycles == 1 else f"{name} {self.w.short_date(session.date)}"

    def sessions(self, sessions: list[ComparedSession] | tuple[ComparedSession, ...]) -> str:
        names = [self.session(s) for s in sessions]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.text('compare_and')} {names[-1]}"

    def perspective(self, key: str) -> str:
        if key == TOTAL:
            return self.text("total")
        return self.comparison.perspective_label(key, self.language)

    def option(self, question: QuestionComparison, key: str) -> str:
        if question.kind == "scale":
            return key
        return self.comparison.option_label(question.prompt, key, self.language)

    def legend_option(self, question: QuestionComparison, key: str) -> str:
        """An option, or a scale value with what it means at the ends: "1 (zeer ontevreden)"."""
        if question.kind != "scale":
            return self.option(question, key)
        low, high = self.comparison.scale_ends(question.prompt, self.language)
        meaning = low if key == question.keys[0] else high if key == question.keys[-1] else ""
        return f"{key} ({meaning.lower()})" if meaning else key

    def question(self, theme: ThemeComparison, question: QuestionComparison) -> tuple[str, str]:
        """The question as asked, and what it was about ("" for a general question)."""
        return (self.comparison.question_text(question.prompt, self.language),
                self.comparison.item_label(theme.key, question.item))

    def headline(self, question: QuestionComparison) -> str:
        """What a cell of the short table holds: the share of the first option (as the
        'vorige keer' comparison does), or the mean with what the scale's ends mean."""
        if question.kind == "scale":
            low, high = question.scale or (0, 0)
            low_label, high_label = self.comparison.scale_ends(question.prompt, self.language)
            if low_label and high_label:
                return self.text("compare_headline_mean_labels", low=low, high=high,
                                 low_label=low_label, high_label=high_label)
            return self.text("compare_headline_mean", low=low, high=high)
        return self.text("compare_headline_share", option=self.option(question, question.keys[0]))

    def short_headline(self, question: QuestionComparison) -> str:
        """The headline in a few words, for a narrow table: "aandeel 'Ja'", "gemiddelde (1-5)"."""
        if question.kind == "scale":
            low, high = question.scale or (0, 0)
            return f"{self.text('compare_what_mean')} ({low}-{high})"
        return self.what(question)

    def what(self, question: QuestionComparison) -> str:
        if question.kind == "scale":
            return self.text("compare_what_mean")
        return self.text("compare_what_share", option=self.option(question, question.keys[0]))

    # -- figures ----------------------------------------------------------------------------

    def value(self, question: QuestionComparison, value: float) -> str:
        """A mean with one decimal, a share as a whole percentage."""
        if question.kind == "scale":
            return self.w.number(value, 1)
        return f"{self.w.number(100 * value, 0)}%"

    def cell(self, question: QuestionComparison, group: Group | None) -> str:
        """The headline figure of one group with its n; a small group only its n."""
        if group is None or not group.n:
            return self.text("no_value")
        if group.too_few:
            return self.text("compare_too_few_n", n=group.n)
        figure = group.mean if question.kind == "scale" else group.share(question.keys[0])
        if figure is None:
            return self.text("no_value")
        return self.text("compare_cell", value=self.value(question, figure), n=group.n)

    def gap_lines(self, question: QuestionComparison) -> list[Line]:
        """Per perspective: the sessions furthest apart past the threshold, "no clear
        difference" under it, and the sessions whose group was too small to take part."""
        lines = []
        for gap in question.gaps:
            perspective = self.perspective(gap.perspective)
            d = gap.divergence
            if d is not None and d.highlight:
                a, b = (self.session_by_id(k) for k in d.between)
                text = self.text("compare_gap", perspective=perspective, a=a, b=b)
                if d.option:
                    text += " " + self.text("divergence_option",
                                            option=self.option(question, d.option))
                text += " " + self.text("divergence_n", a=d.n[0], b=d.n[1])
                lines.append(Line(text + ":", self.w.number(d.score, 2),
                                  self.text("divergence_indicative") if d.indicative else ""))
            elif d is not None:
                lines.append(Line(self.text("compare_gap_none", perspective=perspective,
                                            score=self.w.number(d.score, 2))))
            if gap.too_few:
                rows = {r.session.id: r for r in question.rows}
                named = ", ".join(
                    f"{self.session_by_id(k)} (n = {rows[k].group(gap.perspective).n})"
                    for k in gap.too_few)
                lines.append(Line(self.text("compare_gap_too_few", perspective=perspective,
                                            sessions=named)))
        return lines

    def change_lines(self, question: QuestionComparison) -> list[str]:
        """Per team and pair of cycles: the change per perspective with enough answers."""
        pairs: dict[tuple[str, str], list] = {}
        for change in question.changes:
            pairs.setdefault((change.before, change.after), []).append(change)
        lines = []
        for (before, after), changes in pairs.items():
            first = self.comparison.session(before)
            parts = " · ".join(
                f"{self.perspective(c.perspective)} {self.value(question, c.then)} → "
                f"{self.value(question, c.now)} (n={c.n_then} → {c.n_now})" for c in changes)
            lines.append(self.text(
                "compare_change", team=first.team, before=self.w.date(first.date),
                after=self.w.date(self.comparison.session(after).date),
                what=self.what(question), changes=parts))
        return lines

    def actions_line(self, agreed: int, done: int) -> str:
        return self.text("compare_actions_line", agreed=agreed, done=done)

    # -- what does not match ----------------------------------------------------------------

    def unmatched_lines(self) -> list[str]:
        """Every theme that is not in every file, and themes that differ only in key."""
        lines = []
        for theme in self.comparison.themes:
            if not theme.compared:
                line = self.text("compare_theme_only", title=theme.title, key=theme.key,
                                 sessions=self.sessions(theme.sessions))
            elif theme.missing:
                line = self.text("compare_theme_absent", title=theme.title, key=theme.key,
                                 sessions=self.sessions(theme.missing))
            else:
                continue
            if theme.similar:
                others = ", ".join(f"'{key}'" for key, _ in theme.similar)
                line += " " + self.text("compare_theme_similar", others=others)
            lines.append(line)
        return lines


def _common_words(names: list[str]) -> int:
    """How many leading words every name shares, leaving each at least one of its own."""
    split = [name.split() for name in names]
    count = 0
    while all(len(words) > count + 1 for words in split) and len(
            {words[count].casefold() for words in split}) == 1:
        count += 1
    return count
