"""Sound output: one small backend interface (miniaudio, simpleaudio, none) and the controller.

Import the heavy parts from their modules (``bls_tui.audio.controller``, ``.select``); this
package's ``__init__`` imports nothing, so ``bls --help`` stays fast.
"""
