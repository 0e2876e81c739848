"""Loaded at start-up by every Python child of the tests (``PYTHONPATH``): the network guard."""

from __future__ import annotations

import os

if os.environ.get("BLS_NETGUARD_LOG"):
    import bls_netguard

    bls_netguard.install(active=True)
