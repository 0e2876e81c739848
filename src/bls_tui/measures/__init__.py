"""Outcome measures: instrument definitions, scoring, alerts and the clinician's own measures.

``model`` (what an instrument is, scoring that refuses an unfinished answer set, item alerts),
``builtin`` (PCL-5, PHQ-9, GAD-7 and the DES-II scoring, with their sources and terms),
``custom`` (measures the clinician defines in TOML files in the config folder; the JSON
snapshot kept with each record).  Pure: no Textual, Typer or Rich; imports only
``bls_tui.safety``.  Screening, not diagnosis: nothing here interprets a score beyond the
bands and cut-offs the instruments' authors published.
"""
