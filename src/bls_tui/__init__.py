"""bls-tui: terminal bilateral stimulation and EMDR session timer."""

__all__ = ["__version__"]

__version__ = "0.1.0"
