"""Write a valid source tree of N generated cards (words drawn from the shipped cards) for benchmarks.

python benchmarks/gen_corpus.py OUTDIR --cards 20000 [--rare 3]

--rare N gives each clinician card N made-up words of its own (names, as a big reference has for drugs, trials
and places), so that the vocabulary grows with the pack as a real one does: typo correction's cost depends on it.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

from ketaref.model import CATEGORIES
from ketaref.paths import resources_dir


def vocabulary() -> list[str]:
    """Words of the shipped cards, with their natural frequencies."""
    words: list[str] = []
    for path in (resources_dir() / "cards").rglob("*.md"):
        body = path.read_text("utf-8").split("+++", 2)[-1]
        words += re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", body)
    return words


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


SYLLABLES = [c + v for c in "bcdfgklmnprstvz" for v in "aeio"]


def made_up(rng: random.Random) -> str:
    """A pronounceable made-up word of 6 to 12 letters (a stand-in for a name the shipped cards do not use)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 6))) + rng.choice("nrstxl")


def generate(out: Path, count: int, seed: int = 7, rare: int = 0) -> None:
    """Write count cards under out/cards, plus the shipped synonyms.toml and a pack.toml.

    Handouts are written in short sentences of short words, so that they pass the reading-grade check of
    `ketaref pack` as real handouts must.
    """
    rng = random.Random(seed)
    names = random.Random(seed + 1)  # its own stream: the rest of the corpus is the same with or without --rare
    clinician_words = vocabulary()
    plain_words = [w for w in clinician_words if len(w) <= 5]
    if out.exists():
        shutil.rmtree(out)
    for category in CATEGORIES:
        (out / "cards" / category).mkdir(parents=True)
    for n in range(count):
        category = CATEGORIES[n % len(CATEGORIES)]
        handout = category == "handouts"
        words = plain_words if handout else clinician_words
        long, short = (6, 5) if handout else (18, 14)
        card_id = f"gen-{n:05d}"
        related = [f"gen-{rng.randrange(count):05d}" for _ in range(2)]
        keywords = ", ".join(f'"{rng.choice(words)}"' for _ in range(4))
        sections = []
        for _ in range(3):
            sections.append(
                f"## {sentence(rng, words, 3)[:-1]}\n\n{sentence(rng, words, long)} {sentence(rng, words, short)}\n"
            )
            sections.append("\n".join(f"- {sentence(rng, words, 8)}" for _ in range(3)) + "\n")
        sections.append(f"See [[{related[0]}]] and {rng.choice([0.5, 1, 28, 56, 84])} mg.\n")
        if rare and not handout:
            sections.append(" ".join(made_up(names) for _ in range(rare)).capitalize() + ".\n")
        summary = " ".join(sentence(rng, words, 6) for _ in range(3)) if handout else sentence(rng, words, 20)
        text = (
            "+++\n"
            f'id = "{card_id}"\n'
            f'title = "{sentence(rng, words, 5)[:-1]}"\n'
            f'category = "{category}"\n'
            f'audience = "{"patient" if handout else "clinician"}"\n'
            f'summary = "{summary}"\n'
            f"keywords = [{keywords}]\n"
            "reviewed = 2026-11-01\n"
            f'related = ["{related[0]}", "{related[1]}"]\n\n'
            "[[sources]]\n"
            'cite = "Generated benchmark card."\n'
            "+++\n" + "\n".join(sections)
        )
        (out / "cards" / category / f"{card_id}.md").write_text(text, "utf-8")
    shutil.copy(resources_dir() / "synonyms.toml", out / "synonyms.toml")
    (out / "pack.toml").write_text('content_version = "1.0"\n', "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--rare", type=int, default=0, help="made-up words of its own per clinician card")
    args = parser.parse_args()
    generate(args.out, args.cards, rare=args.rare)
    print(f"wrote {args.cards} cards under {args.out}")


if __name__ == "__main__":
    main()
