"""Core benchmarks: pack build, search against bare FTS5, CLI process start, shipped pack, handout PDF.

    python benchmarks/bench_core.py [--cards 20000] [--queries 400] [--keep PACK | --pack PACK] [--search-only]

Prints figures; it is not a test. Targets (2-core machine): 20,000-card build <= 60 s; search p95
<= 10 ms and at or below a bare FTS5 MATCH ... ORDER BY rank LIMIT 20 with snippet() in the same run, for the
one- and two-word queries and for the typed questions of tests/data/*-queries.tsv; a `ketaref search`
process <= 2x a bare `python -c` sqlite3 query process on the generated pack (on the shipped cards too, as a
figure); shipped pack build < 1 s; one handout PDF <= 300 ms.
"""

from __future__ import annotations

import argparse
import compileall
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen_corpus import generate  # noqa: E402

import ketaref  # noqa: E402
from ketaref.pack import build  # noqa: E402
from ketaref.paths import resources_dir  # noqa: E402
from ketaref.store import open_pack  # noqa: E402

KETAREF = Path(sys.executable).parent / "ketaref"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def queries(pack_path: Path, count: int, seed: int = 11) -> list[str]:
    """One- and two-word queries and word starts, drawn from the pack's own vocabulary."""
    conn = sqlite3.connect(pack_path)
    words = [
        r[0]
        for r in conn.execute("SELECT term FROM terms WHERE length(term) >= 4 AND term GLOB '[a-z]*' AND docs >= 3")
    ]
    conn.close()
    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            out.append(rng.choice(words))
        elif kind == 1:
            out.append(f"{rng.choice(words)} {rng.choice(words)}")
        else:
            word = rng.choice(words)
            out.append(word[: max(3, len(word) // 2)])
    return out


def bare_expression(query: str) -> str:
    """Every word as a quoted prefix, all required: the plain FTS5 query a search box would send."""
    words = re.findall(r"[^\W_]+", query.lower())
    return " AND ".join(f'"{w}"*' for w in words) or '""'


def question_queries() -> list[str]:
    """The typed questions and fragments of the search evaluation sets (tests/data/*-queries.tsv)."""
    out = []
    for path in sorted((Path(__file__).parent.parent / "tests" / "data").glob("*-queries.tsv")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t", 1)[0])
    return out


def bench_search(pack_path: Path, qs: list[str], label: str = "") -> None:
    pack = open_pack(pack_path)
    bare = sqlite3.connect(pack_path.resolve().as_uri() + "?mode=ro", uri=True)
    sql = (
        "SELECT rowid, snippet(cards_fts, 3, '[', ']', '...', 18) FROM cards_fts "
        "WHERE cards_fts MATCH ? ORDER BY rank LIMIT 20"
    )
    for q in qs[:20]:  # warm both caches
        pack.search(q, limit=20)
        bare.execute(sql, (bare_expression(q),)).fetchall()
    ours, theirs = [], []
    for q in qs:
        t0 = time.perf_counter()
        pack.search(q, limit=20)
        t1 = time.perf_counter()
        bare.execute(sql, (bare_expression(q),)).fetchall()
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        theirs.append((t2 - t1) * 1000)
    p50o, p95o, p50b, p95b = pct(ours, 0.5), pct(ours, 0.95), pct(theirs, 0.5), pct(theirs, 0.95)
    print(f"search ({len(qs)} {label or 'queries'}): pack.search p50 {p50o:.2f} ms, p95 {p95o:.2f} ms")
    print(f"                     bare FTS5 p50 {p50b:.2f} ms, p95 {p95b:.2f} ms")
    print(
        f"                     ratio p95 {p95o / p95b:.2f}x, p50 {p50o / p50b:.2f}x (target p95 <= 10 ms and <= 1.0x)"
    )


def run_times(commands: list[list[str]], runs: int) -> list[float]:
    """Median wall time (ms) of each command, run alternately so both see the same machine load."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for n, cmd in enumerate(commands):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times[n].append(time.perf_counter() - t0)
    return [statistics.median(t) * 1000 for t in times]


def bench_process(pack_path: Path, runs: int = 31, label: str = "", target: str = "target <= 2x") -> None:
    bare = (
        "import sqlite3,sys;c=sqlite3.connect(sys.argv[1]);"
        "print(c.execute(\"SELECT rowid, snippet(cards_fts,3,'[',']','...',18) FROM cards_fts "
        'WHERE cards_fts MATCH \'\\"blood\\"*\' ORDER BY rank LIMIT 10").fetchall())'
    )
    ours, theirs = run_times(
        [[str(KETAREF), "--pack", str(pack_path), "search", "blood"], [sys.executable, "-c", bare, str(pack_path)]],
        runs,
    )
    print(
        f"process{label}: `ketaref search` median {ours:.0f} ms, bare python sqlite3 {theirs:.0f} ms, "
        f"ratio {ours / theirs:.2f}x ({target})"
    )


def bench_shipped(tmp: Path) -> None:
    times = []
    for n in range(5):
        t0 = time.perf_counter()
        build(resources_dir(), tmp / f"shipped{n}.sqlite")
        times.append(time.perf_counter() - t0)
    print(f"shipped pack build: median {statistics.median(times) * 1000:.0f} ms (target < 1 s)")


def bench_handout(tmp: Path) -> None:
    from ketaref.handout import PrintOptions, ensure_app, write_pdf

    pack = open_pack(tmp / "shipped0.sqlite")
    card, titles = pack.card("handout-after-treatment"), pack.titles()
    options = PrintOptions(clinic="Riverside Clinic", phone="555-0100")
    t0 = time.perf_counter()
    ensure_app()
    write_pdf([card], tmp / "first.pdf", options, titles)
    first = time.perf_counter() - t0
    times = []
    for n in range(10):
        t0 = time.perf_counter()
        write_pdf([card], tmp / f"h{n}.pdf", options, titles)
        times.append(time.perf_counter() - t0)
    print(
        f"handout PDF (in-process): first, with Qt start-up, {first * 1000:.0f} ms; then median "
        f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target <= 300 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="Keep the generated pack at this path.")
    parser.add_argument("--pack", type=Path, help="Use this generated pack (from --keep) instead of building one.")
    parser.add_argument("--search-only", action="store_true", help="Only the search figures.")
    args = parser.parse_args()
    # Bytecode as a normal install has it (PYTHONDONTWRITEBYTECODE would otherwise bill compiling to each run).
    compileall.compile_dir(Path(ketaref.__file__).parent, quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="ketaref-bench-"))
    try:
        source, pack_path = tmp / "corpus", tmp / "bench.sqlite"
        if args.pack:
            pack_path = args.pack
        else:
            generate(source, args.cards)
            t0 = time.perf_counter()
            subprocess.run(
                [str(KETAREF), "pack", "--source", str(source), "--output", str(pack_path)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(
                f"pack: {args.cards} cards built by `ketaref pack` in {time.perf_counter() - t0:.1f} s "
                f"(target <= 60 s), {pack_path.stat().st_size / 1e6:.0f} MB"
            )
            if args.keep:
                shutil.copy(pack_path, args.keep)
        bench_search(pack_path, queries(pack_path, args.queries))
        # Questions and fragments as clinicians type them (filler words, drug + topic, numbers with units).
        bench_search(pack_path, question_queries(), "typed questions")
        if args.search_only:
            return
        bench_process(pack_path, label=" (generated pack)")
        bench_shipped(tmp)
        # The 2x target is the generated pack's (issue 21 measured it there); on 72 cards the bare query is over
        # in a few milliseconds, so the ratio is mostly the core's imports against Python's own start.
        bench_process(
            tmp / "shipped0.sqlite", label=" (shipped cards)", target="reported; the target is on the generated pack"
        )
        bench_handout(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
