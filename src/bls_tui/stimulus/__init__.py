"""The maths of the dot: one monotonic clock, motion, the set schedule (engine), raster, trace.

Pure: no Textual, no Typer, no I/O beyond the trace file.  May import: ``bls_tui.safety``.
"""
