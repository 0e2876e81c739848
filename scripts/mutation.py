"""Mutation testing of the stimulus core and the protocol model, one module at a time.

    python3 scripts/mutation.py engine            # run, then print the score and survivors
    python3 scripts/mutation.py motion protocol   # several modules, one after the other
    python3 scripts/mutation.py --report engine   # only print the last run's figures
    python3 scripts/mutation.py --diffs engine    # ... with each survivor's diff

Configuration (which files, which fast tests) is ``[tool.mutmut]`` in pyproject.toml; mutmut
writes its work to ``mutants/`` (git-ignored).  The score is killed / all mutants of the module,
where a timeout counts as killed (the mutant hung a test) and "no tests" counts as survived.
Needs mutmut 3.x: ``pip install -e ".[mutation]"``.  See docs/mutation.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

MODULES = {"engine": "stimulus.engine", "motion": "stimulus.motion", "protocol": "protocol.model"}
"""Short name -> module under bls_tui (the ones pyproject.toml's [tool.mutmut] mutates)."""
REPO = Path(__file__).resolve().parent.parent
KILLED = {"killed", "timeout", "caught by type check"}


def mutmut(*args: str, capture: bool = False) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=REPO,
        capture_output=capture,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout if capture else ""


def results(module: str) -> dict[str, str]:
    """Mutant name -> status for one module, from ``mutmut results --all true``."""
    out: dict[str, str] = {}
    for line in mutmut("results", "--all", "true", capture=True).splitlines():
        name, _, status = line.strip().partition(": ")
        if name.startswith(f"bls_tui.{MODULES[module]}."):
            out[name] = status.strip()
    return out


def report(module: str, diffs: bool) -> float:
    statuses = results(module)
    counts = Counter(statuses.values())
    total = len(statuses)
    killed = sum(n for status, n in counts.items() if status in KILLED)
    score = 100.0 * killed / total if total else 0.0
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    strict = 100.0 * counts.get("killed", 0) / total if total else 0.0
    print(f"{module}: {score:.1f} % ({killed} of {total} mutants killed; {detail}); "
          f"{strict:.1f} % if timeouts counted as survivors")  # fmt: skip
    for name, status in sorted(statuses.items()):
        if status not in KILLED:
            print(f"  {status}: {name}")
            if diffs:
                text = mutmut("show", name, capture=True)
                for line in text.splitlines():
                    if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
                        print(f"      {line}")
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", choices=MODULES)
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument("--diffs", action="store_true", help="show each survivor's diff")
    parser.add_argument("--children", default="1", help="parallel mutants (default 1)")
    args = parser.parse_args()
    for module in args.modules:
        if not args.report:
            mutmut("run", f"bls_tui.{MODULES[module]}*", "--max-children", args.children)
        report(module, args.diffs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
