"""Build benchmarks, each as a whole process: `ketaref pack` of the shipped cards, the first-run default pack,
and `ketaref pack` of a generated 20,000-card source tree, against the figures before issue 15.

    python benchmarks/bench_build.py [--cards 20000] [--runs 5] [--code DIR] [--against DIR] [--skip-large]

--code runs the processes against another checkout (e.g. a `git worktree` of an older commit) to measure it;
--against measures a second checkout in turn with the first, so that both see the same machine load;
--resources has both build the same cards (`ketaref pack` and the first run both take KETAREF_RESOURCES).
Every process gets an empty user cache and data folder, as on a fresh machine. Prints figures; it is not a test.
Targets (2-core machine): shipped pack and first-run default pack within 1 s each; the 20,000-card pack in at
most half of the time before issue 15.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_core import generate  # noqa: E402  (the 20,000-card corpus of the core benchmark)

import ketaref  # noqa: E402

# Before issue 15 (commit d57a9bc) on this 2-core machine: `ketaref pack` of the shipped cards and of 20,000 cards
# as issue 15 gives them; the first run as this script measured it on a copy of d57a9bc (a loaded machine).
BEFORE = {"shipped": 2.1, "first_run": 1.14, "large": 76.0}
CODE = Path(ketaref.__file__).resolve().parent.parent


RESOURCES: Path | None = None  # --resources: the cards every checkout builds (else each its own)


def timed(args: list[str], code: Path, tmp: Path) -> tuple[float, float]:
    """Wall and CPU time (s, CPU over the process and its workers) of one `python -m ketaref ARGS` process with
    fresh user folders; fails on a non-zero exit."""
    home = Path(tempfile.mkdtemp(prefix="user-", dir=tmp))
    env = dict(os.environ, PYTHONPATH=str(code), KETAREF_CACHE_DIR=str(home / "cache"))
    env["KETAREF_DATA_DIR"] = str(home / "data")
    for name in ("KETAREF_PACK", "KETAREF_RESOURCES", "KETAREF_UPDATES"):
        env.pop(name, None)
    if RESOURCES is not None:
        env["KETAREF_RESOURCES"] = str(RESOURCES)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ketaref", *args], env=env, cwd=tmp, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"`ketaref {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}")
    shutil.rmtree(home, ignore_errors=True)
    return elapsed, cpu


def report(label: str, runs: list[tuple[float, float]], before: float, target: str) -> None:
    """One line: the median wall time, the one before issue 15 and the ratio, and the CPU time it took."""
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    print(f"{label}: {wall:.2f} s (before {before:.2f} s, {wall / before:.2f}x; target {target}); CPU {cpu:.2f} s")


def measure(label: str, args: list[str], codes: list[Path], runs: int, tmp: Path, before: float, target: str) -> None:
    """Run one build on each checkout in turn (so that all see the same machine load) and report each."""
    times: dict[Path, list[tuple[float, float]]] = {code: [] for code in codes}
    for _ in range(runs):
        for code in codes:
            times[code].append(timed(args, code, tmp))
    for code in codes:
        name = "" if code == CODE else f" [{code}]"
        report(label + name, times[code], before, target)


def main() -> None:
    """Measure the three builds and print them against the figures before issue 15."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5, help="Runs of the two small builds (the median is shown).")
    parser.add_argument("--code", type=Path, default=CODE, help="Checkout whose ketaref package is measured.")
    parser.add_argument("--against", type=Path, help="Another checkout measured in turn with it (the same load).")
    parser.add_argument("--resources", type=Path, help="Cards every checkout builds (default: each its own).")
    parser.add_argument("--skip-large", action="store_true", help="Leave out the generated source tree.")
    args = parser.parse_args()
    global RESOURCES
    RESOURCES = args.resources.resolve() if args.resources else None
    codes = [args.code.resolve(), *([args.against.resolve()] if args.against else [])]
    for code in codes:
        # Bytecode as a normal install has it (PYTHONDONTWRITEBYTECODE would otherwise bill compiling to each run).
        compileall.compile_dir(code / "ketaref", quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="ketaref-bench-build-"))
    try:
        shipped = ["pack", "--output", str(tmp / "shipped.sqlite")]
        measure("`ketaref pack` of the shipped cards", shipped, codes, args.runs, tmp, BEFORE["shipped"], "<= 1 s")
        first = ["info", "--json"]
        label = "first run (`ketaref info`, default pack built)"
        measure(label, first, codes, args.runs, tmp, BEFORE["first_run"], "<= 1 s")
        if not args.skip_large:
            source = tmp / "corpus"
            generate(source, args.cards)
            large = ["pack", "--source", str(source), "--output", str(tmp / "large.sqlite")]
            half = f"<= {BEFORE['large'] / 2:.0f} s"
            measure(f"`ketaref pack` of {args.cards} generated cards", large, codes, 1, tmp, BEFORE["large"], half)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
