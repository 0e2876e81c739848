"""The session record: the store (SQLite schema, migrations, load, save), row types, review, export.

No Textual, no Typer.  May import: ``bls_tui.protocol``, ``bls_tui.ketamine``, ``bls_tui.safety``.
"""
