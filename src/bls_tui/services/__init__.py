"""The one layer that composes the domain packages for the Textual UI and the Typer CLI.

Runtime (engine + sound + trace), the session controller, the ketamine session, the record
writer thread, offline render, plot data, the crash handler.  No Textual, no Typer.  May import
every domain package; never ``bls_tui.ui`` or ``bls_tui.cli``.
"""
