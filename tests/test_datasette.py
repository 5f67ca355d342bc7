"""The intranet view: Datasette serves a pack as is, with the shipped metadata (search, facets, labels, safe HTML)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from ketaref.paths import resources_dir


@pytest.fixture
def served(pack_path: Path, tmp_path: Path) -> Datasette:
    """The fixture pack as `datasette serve --immutable pack.sqlite --metadata datasette-metadata.json` serves it."""
    path = tmp_path / "served" / "pack.sqlite"
    path.parent.mkdir()
    shutil.copy(pack_path, path)
    metadata = json.loads((resources_dir() / "datasette-metadata.json").read_text("utf-8"))
    return Datasette(immutables=[str(path)], metadata=metadata)


def get(ds: Datasette, path: str) -> Any:
    """GET a page from Datasette in-process: the JSON for .json paths, else the response."""

    async def fetch() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path)

    response = asyncio.run(fetch())
    return response.json() if ".json" in path else response


def test_search_finds_the_card_through_datasette(served: Datasette) -> None:
    found = get(served, "/pack/cards.json?_search=blood&_shape=objects")
    assert "safety-blood-pressure" in [row["id"] for row in found["rows"]]


def test_cards_are_faceted_by_category_and_audience(served: Datasette) -> None:
    page = get(served, "/pack/cards.json?_extra=facet_results")
    facets = page["facet_results"]
    if "results" in facets:  # newer Datasette nests them
        facets = facets["results"]
    audience = {item["value"]: item["count"] for item in facets["audience"]["results"]}
    category = {item["value"]: item["count"] for item in facets["category"]["results"]}
    assert {"clinician": 3, "patient": 1} == audience
    assert {"contraindications": 1, "dosing": 1, "handouts": 1, "safety": 1} == category


def test_only_the_listed_columns_sort(served: Datasette) -> None:
    assert 200 == get(served, "/pack/cards?_sort=reviewed").status_code
    assert "Cannot sort table by body" in get(served, "/pack/cards?_sort=body").text


def test_internal_tables_are_hidden_or_labelled(served: Datasette) -> None:
    tables = {t["name"]: t for t in get(served, "/pack.json")["tables"]}
    assert tables["terms"]["hidden"]
    assert tables["cards_fts"]["hidden"]
    assert not tables["cards"]["hidden"]
    assert "Internal to search" in get(served, "/pack/synonyms").text


def test_sources_name_their_card_by_title(served: Datasette) -> None:
    page = get(served, "/pack/sources.json?card_id=safety-blood-pressure&_labels=on&_shape=objects")
    assert {"value": "safety-blood-pressure", "label": "Blood pressure rise"} == page["rows"][0]["card_id"]


def test_card_html_is_shown_as_text_not_rendered(served: Datasette) -> None:
    page = get(served, "/pack/cards/safety-blood-pressure").text
    assert "&lt;h2" in page
    assert "<h2 id=" not in page


def _readme_command() -> list[str]:
    """The `datasette serve` command exactly as the README gives it (continuation lines joined)."""
    import shlex

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    start = readme.index("    datasette serve ")
    lines = []
    for line in readme[start:].splitlines():
        lines.append(line.strip().rstrip("\\"))
        if not line.endswith("\\"):
            break
    return shlex.split(" ".join(lines))


def test_the_readme_command_refuses_free_sql_and_still_searches(pack_path: Path, tmp_path: Path) -> None:
    import re
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    command = _readme_command()
    assert "default_allow_sql off" in " ".join(command) and "sql_time_limit_ms" in command
    served = tmp_path / "pack.sqlite"
    shutil.copy(pack_path, served)
    args = [a if a != "/srv/ketaref/pack.sqlite" else str(served) for a in command[1:]]
    args = [
        str(resources_dir() / "datasette-metadata.json") if a.endswith("datasette-metadata.json") else a for a in args
    ]
    host = args.index("--host")
    args[host + 1] = "127.0.0.1"
    args[args.index("--port") + 1] = "0"
    datasette = Path(sys.executable).parent / "datasette"
    process = subprocess.Popen([str(datasette), *args], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        port = ""
        for line in process.stderr:
            found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
            if found:
                port = found.group(1)
                break
        assert port, "Datasette did not say where it listens"
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/pack.json?sql=select+1", timeout=10)
        assert 403 == refused.value.code
        with urllib.request.urlopen(f"{base}/pack/cards.json?_search=blood&_shape=objects", timeout=10) as page:
            rows = json.load(page)["rows"]
        assert "safety-blood-pressure" in [row["id"] for row in rows]
    finally:
        process.terminate()
        process.wait(timeout=10)
