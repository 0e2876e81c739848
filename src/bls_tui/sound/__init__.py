"""Sound: tone synthesis and templates, the WAV catalogue, onset schedule, live render, players.

The backends (miniaudio, simpleaudio, none) sit behind one interface in ``sound.backends``.
No Textual, no Typer; NumPy and the backends are imported inside the functions that need them,
so importing this package stays cheap.  May import: ``bls_tui.stimulus``, ``bls_tui.safety``.
"""
