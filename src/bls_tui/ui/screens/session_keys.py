"""Which keys a session screen offers now, and which its help lists (by session kind)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bls_tui.protocol.model import PHASES
from bls_tui.ui.keys import KETAMINE_KEYS, SESSION_KEYS, STIM_KEYS, KeySpec
from bls_tui.ui.keys_screens import SESSION_FOOTER_ORDER, ordered

if TYPE_CHECKING:
    from bls_tui.ui.screens.ketamine_panel import KetaminePanel
    from bls_tui.ui.screens.session_host import SessionHost

FORM_PHASES = ("assessment", "body_scan", "closure", "reevaluation")
"""Phases whose form `e` opens."""


def session_help_keys(kind: str) -> tuple[KeySpec, ...]:
    """Every key of a session of this kind (ketamine keys only in ketamine-assisted ones)."""
    ketamine = KETAMINE_KEYS if kind == "ketamine" else ()
    return STIM_KEYS + SESSION_KEYS + ketamine


def session_footer_keys(kind: str) -> tuple[KeySpec, ...]:
    """The session keys in footer priority order."""
    return ordered(session_help_keys(kind), SESSION_FOOTER_ORDER)


def session_key_available(screen: SessionHost, ketamine: KetaminePanel, spec: KeySpec) -> bool:
    """True if ``spec`` does something on ``screen`` now."""
    model = screen.controller.model
    in_set = screen.runtime.engine.in_set
    rules = {
        "next_phase": lambda: model.phase_index < len(PHASES) - 1,
        "prev_phase": lambda: model.phase_index > 0,
        "phase_form": lambda: not in_set and model.phase.id in FORM_PHASES,
        "back_to_target": lambda: not in_set and model.phase.id == "desensitisation",
        "end_session": lambda: not in_set,
        "measure": lambda: not in_set and not screen.client_view,
        "checkin": lambda: not in_set and ketamine.clock is not None,
        "dose": lambda: not in_set and ketamine.active and ketamine.clock is None,
        "observation": lambda: ketamine.clock is not None,
    }
    rule = rules.get(spec.id)
    return True if rule is None else bool(rule())
