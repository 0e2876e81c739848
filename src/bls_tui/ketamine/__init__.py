"""Ketamine-assisted work: dose record, dose time, route timing settings, timers, vitals, screening.

Pure: no Textual, no Typer, no I/O.  May import: ``bls_tui.safety``.
"""
