"""Write a valid source tree of N generated cards (words drawn from the shipped cards) for benchmarks.

python benchmarks/gen_corpus.py OUTDIR --cards 20000
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


def generate(out: Path, count: int, seed: int = 7) -> None:
    """Write count cards under out/cards, plus the shipped synonyms.toml and a pack.toml."""
    rng = random.Random(seed)
    words = vocabulary()
    if out.exists():
        shutil.rmtree(out)
    for category in CATEGORIES:
        (out / "cards" / category).mkdir(parents=True)
    for n in range(count):
        category = CATEGORIES[n % len(CATEGORIES)]
        card_id = f"gen-{n:05d}"
        related = [f"gen-{rng.randrange(count):05d}" for _ in range(2)]
        keywords = ", ".join(f'"{rng.choice(words)}"' for _ in range(4))
        sections = []
        for _ in range(3):
            sections.append(
                f"## {sentence(rng, words, 3)[:-1]}\n\n{sentence(rng, words, 18)} {sentence(rng, words, 14)}\n"
            )
            sections.append("\n".join(f"- {sentence(rng, words, 8)}" for _ in range(3)) + "\n")
        sections.append(f"See [[{related[0]}]] and {rng.choice([0.5, 1, 28, 56, 84])} mg.\n")
        text = (
            "+++\n"
            f'id = "{card_id}"\n'
            f'title = "{sentence(rng, words, 5)[:-1]}"\n'
            f'category = "{category}"\n'
            f'audience = "{"patient" if category == "handouts" else "clinician"}"\n'
            f'summary = "{sentence(rng, words, 20)}"\n'
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
    args = parser.parse_args()
    generate(args.out, args.cards)
    print(f"wrote {args.cards} cards under {args.out}")


if __name__ == "__main__":
    main()
