"""`python -m bls_tui` is the same as the `bls` command."""

from bls_tui.cli import main

if __name__ == "__main__":
    main()
