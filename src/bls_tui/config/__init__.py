"""Settings: config.toml (the clinic's), presets (built in and the user's TOML), remembered ones.

No Textual, no Typer.  May import: ``bls_tui.stimulus``, ``bls_tui.ketamine``, ``bls_tui.safety``.
"""
