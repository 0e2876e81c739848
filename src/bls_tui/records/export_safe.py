"""Free text of a recorded session made safe for display or a Markdown export.

:func:`escaped_session` returns a copy of a :class:`SessionData` in which every field a person
typed (client code, target label, notes, assessment, container note, check-in notes, dosing
provider, screening notes, tone names, event details) went through one escaping function;
identifiers, times and numbers are left as they are.  The exporters and the terminal views
then need no escaping of their own, and the escaping cannot be forgotten in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bls_tui.records.types import SessionData
from bls_tui.safety.text import md_text, safe_text

Escape = Callable[[str], str]


def _value(value: Any, esc: Escape) -> Any:
    if isinstance(value, str):
        return esc(value)
    if isinstance(value, dict):
        return {k: _value(v, esc) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v, esc) for v in value]
    return value


def _opt(value: str | None, esc: Escape) -> str | None:
    return None if value is None else esc(value)


def escaped_session(data: SessionData, esc: Escape = safe_text) -> SessionData:
    """A copy of ``data`` with every typed text field passed through ``esc``."""
    s = data.session
    session = replace(
        s,
        client_code=esc(s.client_code),
        target_label=esc(s.target_label),
        container_note=_opt(s.container_note, esc),
    )
    assessment = data.assessment
    if assessment is not None:
        assessment = replace(
            assessment,
            image=esc(assessment.image),
            negative_cognition=esc(assessment.negative_cognition),
            positive_cognition=esc(assessment.positive_cognition),
            emotions=esc(assessment.emotions),
            body_location=esc(assessment.body_location),
        )
    medicine = data.medicine
    if medicine is not None:
        medicine = replace(
            medicine,
            provider=_opt(medicine.provider, esc),
            screening=_value(medicine.screening, esc),
        )
    return replace(
        data,
        session=session,
        assessment=assessment,
        sets=[
            replace(r, tone=_opt(r.tone, esc), stop_reason=_opt(r.stop_reason, esc))
            for r in data.sets
        ],
        notes=[replace(n, text=esc(n.text)) for n in data.notes],
        events=[replace(e, detail=_value(e.detail, esc)) for e in data.events],
        medicine=medicine,
        checkins=[replace(c, note=_opt(c.note, esc)) for c in data.checkins],
    )


def markdown_session(data: SessionData) -> SessionData:
    """``data`` for a Markdown export: typed text shown as text (no HTML, links or images)."""
    return escaped_session(data, md_text)
