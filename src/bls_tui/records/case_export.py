"""A client's case as Markdown: target plan with its history, sessions, measures, doses."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bls_tui.protocol.model import parse_iso
from bls_tui.protocol.targets import PRONG_WORDS, PRONGS, STATUS_WORDS
from bls_tui.records.case import Case
from bls_tui.records.closure import closure_words
from bls_tui.records.measures_export import measures_markdown
from bls_tui.records.targets_store import Target
from bls_tui.safety.text import counted, md_text

KIND_WORDS = {
    "standard": "EMDR",
    "ketamine": "ketamine-assisted EMDR",
    "integration": "integration",
}


def _when(stamp: str, tz: tzinfo) -> str:
    return parse_iso(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _cell(value: object) -> str:
    text = "–" if value is None or value == "" else str(value)
    return md_text(text).replace("|", "\\|").replace("\n", " ")


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _target_lines(t: Target, tz: tzinfo) -> list[str]:
    p = t.progress
    head = f"- **#{t.id} {md_text(t.label)}** · {STATUS_WORDS.get(t.status, t.status)}"
    if t.archived_at:
        head += f" · archived {_when(t.archived_at, tz)}"
    lines = [head]
    details = []
    if t.negative_cognition:
        details.append(f"NC: {md_text(t.negative_cognition)}")
    if t.positive_cognition:
        details.append(f"PC: {md_text(t.positive_cognition)}")
    if t.touchstone_id is not None:
        details.append(f"touchstone #{t.touchstone_id}")
    if t.cluster:
        details.append(f"cluster: {md_text(t.cluster)}")
    scan = p.body_scan.replace("_", " ") if p.body_scan else "–"
    details.append(
        f"{t.sessions} session(s); latest SUD {_cell(p.sud)}, VOC {_cell(p.voc)}, body scan {scan}"
    )
    lines.append("  " + " · ".join(details))
    for c in t.changes:
        why = f": {md_text(c.reason)}" if c.reason else ""
        where = f" (session #{c.session_id})" if c.session_id is not None else ""
        lines.append(f"  - {_when(c.at, tz)} {STATUS_WORDS.get(c.status, c.status)}{where}{why}")
    return lines


def case_markdown(case: Case, tz: tzinfo, now: datetime) -> str:
    """The whole case (times in ``tz``; "since the dose" counted to ``now``)."""
    out = [f"# Case: client {md_text(case.client_code)}", ""]
    out.append(
        f"Exported {_when(now.isoformat(), tz)} · {counted(len(case.sessions), 'session')} · "
        f"{counted(len(case.targets), 'target')} · {counted(len(case.measures), 'measure')} · "
        f"{counted(len(case.doses), 'dose')}"
    )
    out += ["", "## Target plan", ""]
    if not case.targets:
        out.append("No targets recorded.")
    for prong in (*PRONGS, None):
        group = [t for t in case.targets if t.prong == prong]
        if not group:
            continue
        out += ["", f"### {PRONG_WORDS[prong].capitalize() if prong else 'Prong not chosen'}", ""]
        for t in group:
            out += _target_lines(t, tz)
    out += ["", "## Sessions", ""]
    if case.sessions:
        out.append(
            _row(
                [
                    "#",
                    "Date",
                    "Kind",
                    "Status",
                    "Target",
                    "Phases",
                    "Sets",
                    "SUD first → last",
                    "Last VOC",
                    "Closure",
                ]
            )
        )
        out.append("|" + "---|" * 10)
        for s in case.sessions:
            closure = closure_words(s.closure_complete, s.sets)
            out.append(
                _row(
                    [
                        s.id,
                        _when(s.started_at, tz),
                        KIND_WORDS.get(s.kind, s.kind),
                        s.status,
                        s.target_label,
                        " → ".join(map(str, s.phases)),
                        s.sets,
                        f"{_cell(s.first_sud)} → {_cell(s.last_sud)}",
                        s.last_voc,
                        None if closure == "-" else closure,
                    ]
                )
            )
    else:
        out.append("No sessions recorded.")
    measures = measures_markdown(list(case.measures), tz)
    if measures:
        out += ["", *measures]
    if case.doses:
        out += ["", "## Medicine sessions and the sessions after them", ""]
        window = (
            f"Window: {case.window_h} h (the clinician's setting)."
            if case.window_h is not None
            else "No window length set (integration_window_h): only linked sessions are grouped."
        )
        out += [window, ""]
        for dose, (_, since) in zip(case.doses, case.days_since_dose(now), strict=True):
            out.append(
                f"- Session #{dose.session_id}: {md_text(dose.route)} {md_text(dose.dose)}, "
                f"dosed {_when(dose.dosed_at, tz)} (now {since})"
            )
            for sid, words, linked in dose.sessions:
                how = "linked" if linked else "in the window, not linked"
                out.append(f"  - session #{sid}: {words} ({how})")
    return "\n".join(out) + "\n"
