"""How the commands word a session file that cannot be opened, and the offer to repair it.

Every command meets a damaged, missing, locked or unwritable store the same way: the file
and line, what is wrong and what to do, in the pack's language (``store.<code>`` in
session/locale), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from session.i18n import counted, message
from session.journal import LineSketch, StoreError, TornTail
from session.model import Pack
from session.repair import RepairReport, plan_repair, repair_session
from session.salvage import HEADER_LINE, Dropped
from session.service import SessionService

# Faults a repair can mend: the offer on --resume is made for these only.
REPAIRABLE = frozenset({"damaged", "wrong_document", "incomplete"})
YES = ("j", "ja", "y", "yes")

Ask = Callable[[str], str]
Say = Callable[[str], None]


def store_problem(err: StoreError, language: str) -> str:
    """``file:line: what is wrong; what to do`` for one store fault."""
    where = str(err.path) + (f":{err.line}" if err.line else "")
    return f"{where}: {message(language, f'store.{err.code}', **err.params())}"


def session_of(path: Path) -> str:
    return path.name.split(".")[0]


def describe(what: LineSketch, language: str) -> str:
    """What a record was, as far as it can be read: kind, and the answer's client id."""
    if not what.readable:
        return message(language, "store.kind.unreadable")
    if not what.table:
        return message(language, "store.kind.shapeless")
    known = message(language, f"store.kind.{what.table}", table=what.table)
    kind = known if not known.startswith("store.kind.") else message(
        language, "store.kind.other", table=what.table)
    if what.op in ("x", "c"):
        return message(language, f"store.op.{what.op}", table=what.table or "?")
    if what.op == "d":
        kind = message(language, "store.op.d", kind=kind)
    parts = [kind + (f" #{what.doc_id}" if what.doc_id else "")]
    if what.client_id:
        parts.append(message(language, "store.client", client=what.client_id))
    return ", ".join(parts)


def dropped_line(dropped: Dropped, language: str) -> str:
    what = (message(language, "store.kind.header") if dropped.outcome == HEADER_LINE
            else describe(dropped.what, language))
    return message(
        language, "store.dropped", line=dropped.line, what=what, size=dropped.size,
        why=message(language, f"store.why.{dropped.reason}", detail=dropped.detail),
        outcome=message(language, f"store.outcome.{dropped.outcome}", older=dropped.older_line),
    )


def repair_lines(report: RepairReport, language: str) -> list[str]:
    """The report of a repair, done (``report.aside`` set) or offered."""
    session = report.session_id
    if not report.needed:
        return [message(language, "cli.repair_nothing", session=session)]
    head = "cli.repair_done" if report.aside else "cli.repair_plan"
    lines = [message(language, head, session=session,
                     kept=counted(language, "records", report.kept),
                     answers=counted(language, "answers", report.answers))]
    lines += [dropped_line(d, language) for d in report.dropped]
    if not report.dropped:
        lines.append(message(language, "cli.repair_none_dropped"))
    if report.recovered_lines:
        lines.append(message(language, "cli.repair_recovered",
                             lines=", ".join(map(str, report.recovered_lines))))
    for name in report.rebuilt:
        lines.append(message(language, f"cli.repair_rebuilt_{name}"))
    if report.missing:
        lines.append(message(language, "cli.repair_missing", session=session))
    if report.aside:
        lines.append(message(language, "cli.repair_aside", path=report.aside))
    return lines


def torn_notice(tail: TornTail, language: str) -> str:
    """What opening cut off the end of a session file (a crash's unfinished line)."""
    text = message(language, "store.torn", line=tail.line, size=tail.size,
                   what=describe(tail.sketch, language))
    if tail.saved_to is not None:
        text += " " + message(language, "store.torn_saved", path=tail.saved_to)
    return f"{tail.path}: {text}"


def offer_repair(path: Path, pack: Pack, language: str, ask: Ask | None, say: Say) -> bool:
    """Show what a repair of ``path`` would keep and drop, ask, and repair on yes.

    Without a way to ask (``ask`` None: no terminal, ``--no-input``) nothing is changed.
    Returns True when the file was repaired and can be opened again.
    """
    session = session_of(path)
    try:
        plan = plan_repair(path, pack)
        if not plan.needed:
            return False
        for line in repair_lines(plan, language):
            say(line)
        answer = ""
        if ask is not None:
            say(message(language, "cli.repair_offer"))
            answer = ask("> ").strip().lower()
        if answer not in YES:
            say(message(language, "cli.repair_declined", session=session))
            return False
        report = repair_session(path, pack)
    except StoreError as err:
        say(message(language, "cli.repair_failed", session=session))
        say(store_problem(err, language))
        return False
    for line in repair_lines(report, language):
        say(line)
    return True


def resume_or_explain(pack: Pack, path: Path, ask: Ask | None, say: Say) -> SessionService | None:
    """Open a stored session for writing, or say why not (offering a repair where one can
    help); None when it is not open."""
    language = pack.language
    for attempt in (1, 2):
        try:
            service = SessionService.resume(pack, path)
        except StoreError as err:
            say(message(language, "cli.resume_failed", session=session_of(path)))
            say(store_problem(err, language))
            if attempt == 1 and err.code in REPAIRABLE and offer_repair(
                    path, pack, language, ask, say):
                continue
            return None
        tail = service.store.db.journal.torn_tail
        if tail is not None and tail.size:
            say(torn_notice(tail, language))
        return service
    return None
