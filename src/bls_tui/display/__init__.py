"""The client-display link: wire format, private Unix socket, app-side server, display-side client.

No Textual, no Typer (the display window itself is ``bls_tui.ui.display_app``).
May import: ``bls_tui.stimulus``, ``bls_tui.safety``.
"""
