"""Audio backends behind one interface (``sound.base``): the choice, miniaudio, simpleaudio, none.

May import: ``bls_tui.sound`` (the interface), ``bls_tui.stimulus``, ``bls_tui.safety``.
"""
