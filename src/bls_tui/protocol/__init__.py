"""The EMDR protocol: the eight phases, the session model, and the words the app says in them.

Pure: no Textual, no Typer, no I/O.  May import: ``bls_tui.safety``.
"""
