"""The session's state machine: lobby, an optional review, four rounds per theme, closed."""

from __future__ import annotations

from dataclasses import dataclass

from session.model import THEME_ROUNDS, Stage


class IllegalMove(Exception):
    """A move the state machine does not allow from where the session is."""

    code = "move.illegal"

    def __init__(self, move: str, step: Step) -> None:
        self.move = move
        self.step = step
        self.params = {"move": move, "stage": step.label}
        super().__init__(f"cannot {move} from {step.label}")


@dataclass(frozen=True)
class Step:
    """One position in the session: a stage, and for theme rounds the theme's index."""

    stage: Stage
    theme: int | None = None

    @property
    def label(self) -> str:
        return self.stage.value if self.theme is None else f"{self.stage.value}:{self.theme}"

    @property
    def is_round(self) -> bool:
        return self.stage not in (Stage.LOBBY, Stage.CLOSED)


def plan(theme_count: int, with_review: bool) -> tuple[Step, ...]:
    """Every step of a session in order."""
    steps = [Step(Stage.LOBBY)]
    if with_review:
        steps.append(Step(Stage.REVIEW))
    for theme in range(theme_count):
        steps += [Step(stage, theme) for stage in THEME_ROUNDS]
    steps.append(Step(Stage.CLOSED))
    return tuple(steps)


class RoundMachine:
    """Walks the plan one step at a time. Not thread-safe: the service holds its lock.

    Moves: ``start`` (lobby to the first round), ``advance`` (to the next round, or to
    closed after the last), ``back`` (to the previous round, never into the lobby),
    ``close`` (end early, from anywhere but the lobby). Closed is final.
    """

    def __init__(self, theme_count: int, with_review: bool, position: int = 0) -> None:
        if theme_count < 1:
            raise ValueError("a session needs at least one theme")
        self.steps = plan(theme_count, with_review)
        if not 0 <= position < len(self.steps):
            raise ValueError(f"position {position} outside the plan")
        self.position = position

    @property
    def current(self) -> Step:
        return self.steps[self.position]

    def start(self) -> Step:
        if self.current.stage is not Stage.LOBBY:
            raise IllegalMove("start", self.current)
        return self._go(1)

    def advance(self) -> Step:
        if not self.current.is_round:
            raise IllegalMove("advance", self.current)
        return self._go(self.position + 1)

    def back(self) -> Step:
        if not self.current.is_round or not self.steps[self.position - 1].is_round:
            raise IllegalMove("back", self.current)
        return self._go(self.position - 1)

    def close(self) -> Step:
        if self.current.stage in (Stage.LOBBY, Stage.CLOSED):
            raise IllegalMove("close", self.current)
        return self._go(len(self.steps) - 1)

    def _go(self, position: int) -> Step:
        self.position = position
        return self.current
