"""Unknown-word search at scale: typo correction's cost on packs of 20,000 and 100,000 cards.

    python benchmarks/bench_typo.py [--cards 20000 100000] [--rare 3] [--work DIR] [--queries 200]

Prints figures; it is not a test. Each pack is generated (benchmarks/gen_corpus.py, with --rare made-up words of
its own per clinician card, so the vocabulary grows with the pack as a real reference's does) and built with
`ketaref pack`; --work keeps the packs between runs (100,000 cards take a few minutes to build). Then
`Pack.search` is timed, one query at a time, on three kinds of word no card holds: a slip in a common word
(a swap, a dropped or a doubled letter: what correction is for), a slip in a rare word (a name that only one card
uses), and a word with no near neighbour at all (the worst case: the whole vocabulary is a candidate). Each line
gives p50, p95 and the slowest, and how often a slip was corrected back to the word it came from.
Target: an unknown word costs at most 50 ms at 100,000 cards (typo correction stops at
search.correct.CORRECTION_BUDGET; --budget 0 shows what it costs with no budget).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate  # noqa: E402

import ketaref.search.correct  # noqa: E402
from ketaref.store import open_pack  # noqa: E402

KETAREF = Path(sys.executable).with_name("ketaref")


def slip(rng: random.Random, word: str) -> str:
    """One typing slip inside a word: two neighbours swapped, a letter dropped or a letter doubled."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def gibberish(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(7, 11)))


def word_sets(pack_path: Path, count: int, seed: int = 11) -> dict[str, list[tuple[str, str]]]:
    """(query, the word it came from, or "") for each kind of unknown word; none of the queries is a word of the
    pack, or the start of one."""
    rng = random.Random(seed)
    pack = open_pack(pack_path)
    conn = pack.conn

    def unknown(word: str) -> bool:
        row = conn.execute("SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1", (word, word + "\U0010ffff"))
        return row.fetchone() is None

    common = [t for (t,) in conn.execute("SELECT term FROM terms WHERE length(term) >= 6 AND docs >= 50")]
    rare = [t for (t,) in conn.execute("SELECT term FROM terms WHERE length(term) >= 6 AND docs = 1 LIMIT 200000")]
    sets: dict[str, list[tuple[str, str]]] = {"slip in a common word": [], "slip in a rare word": []}
    for label, words in (("slip in a common word", common), ("slip in a rare word", rare)):
        while words and len(sets[label]) < count:
            word = rng.choice(words)
            typed = slip(rng, word)
            if word.isalpha() and unknown(typed):
                sets[label].append((typed, word))
    sets["no near word"] = []
    while len(sets["no near word"]) < count:
        typed = gibberish(rng)
        if unknown(typed):
            sets["no near word"].append((typed, ""))
    pack.close()
    return sets


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench(pack_path: Path, count: int) -> None:
    pack = open_pack(pack_path)
    terms = pack.conn.execute("SELECT count(*) FROM terms").fetchone()[0]
    cards = pack.conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    print(f"{cards} cards, {terms} indexed words ({pack_path.stat().st_size / 1e6:.0f} MB):")
    for q in ("blood pressure", "dissociation"):  # warm the page cache
        pack.search(q)
    for label, queries in word_sets(pack_path, count).items():
        times, fixed = [], 0
        for typed, word in queries:
            t0 = time.perf_counter()
            result = pack.search(typed, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
            fixed += bool(word) and (result.corrected_query or "").lower() == word
        back = f", corrected back {fixed}/{len(queries)}" if queries[0][1] else ""
        print(
            f"  {label:22s} p50 {statistics.median(times):6.1f} ms, p95 {pct(times, 0.95):6.1f} ms, "
            f"slowest {max(times):6.1f} ms{back}"
        )
    pack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--rare", type=int, default=3, help="made-up words of its own per clinician card")
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument("--work", type=Path, help="folder to keep the generated packs in (default: a temporary one)")
    parser.add_argument("--budget", type=float, help="typo correction budget in ms (default: the app's; 0: none)")
    args = parser.parse_args()
    if args.budget is not None:
        ketaref.search.correct.CORRECTION_BUDGET = args.budget / 1000 if args.budget > 0 else 1e9
    work = args.work or Path(tempfile.mkdtemp(prefix="ketaref-typo-"))
    work.mkdir(parents=True, exist_ok=True)
    budget = ketaref.search.correct.CORRECTION_BUDGET
    shown = f"{budget * 1000:.0f} ms per query" if budget < 1e6 else "none"
    print(f"typo correction budget: {shown} (target: an unknown word <= 50 ms in all)")
    try:
        for count in args.cards:
            pack_path = work / f"typo-{count}-rare{args.rare}.sqlite"
            if not pack_path.exists():
                source = work / f"corpus-{count}"
                generate(source, count, rare=args.rare)
                t0 = time.perf_counter()
                subprocess.run(
                    [str(KETAREF), "pack", "--source", str(source), "--output", str(pack_path)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                print(f"built {count} cards in {time.perf_counter() - t0:.0f} s")
                shutil.rmtree(source)
            bench(pack_path, args.queries)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
