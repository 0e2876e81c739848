"""The pure core: motion, schedules, tone synthesis, protocol, presets and records.

Nothing in this package imports Textual (``tests/test_import_hygiene.py`` proves it).
"""
