"""The floor every other package stands on: the safety caps, private paths, safe input and output.

``limits`` (speed, volume, flash and set-length caps, in one place), ``paths`` (where our files
live, owner-only), ``files`` (only regular files are read, with a size limit; export targets),
``text`` (user text made safe for a terminal, TOML and Markdown), ``media`` (storage faults named
as what they are).  Imports nothing from the rest of the package.
"""
