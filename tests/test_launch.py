"""The `ketaref` entry point: opening the window skips the click CLI; everything else goes through it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ketaref import launch


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, False)),
        (["gui"], (None, False)),
        (["gui", "--smoke"], (None, True)),
        (["--pack", "p.sqlite"], ("p.sqlite", False)),
        (["--pack=p.sqlite", "gui", "--smoke"], ("p.sqlite", True)),
        (["--pack", "p.sqlite", "gui"], ("p.sqlite", False)),
    ],
)
def test_window_command_lines_take_the_fast_path(args: list[str], expected: tuple[str | None, bool]) -> None:
    assert expected == launch._window_args(args)


@pytest.mark.parametrize(
    "args",
    [["search", "TRD"], ["--pack"], ["--pack", "--help"], ["--pack="], ["gui", "--help"], ["--version"], ["--help"]],
)
def test_every_other_command_line_goes_to_the_cli(args: list[str]) -> None:
    assert launch._window_args(args) is None


def test_opening_the_window_never_imports_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    code = (
        "import sys\n"
        "import ketaref.gui.app as app\n"
        "app.run = lambda pack, smoke: 0\n"
        "sys.argv = ['ketaref', 'gui', '--smoke']\n"
        "from ketaref import launch\n"
        "try:\n"
        "    launch.main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(name for name in sys.modules if name in ('click', 'ketaref.cli')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "[]" == result.stdout.strip()


def test_a_command_line_that_is_not_the_window_reaches_the_cli() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['ketaref', '--version']; from ketaref import launch; launch.main()",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert 0 == result.returncode
    assert result.stdout.startswith("ketaref")


def _both(args: list[str], env: dict[str, str], tty: bool = False) -> list[tuple[int, str, str]]:
    """What `ketaref ARGS` gives through the entry point (its fast path) and through the click CLI itself."""
    results = []
    for entry in (
        "from ketaref import launch; launch.main()",
        "from ketaref.cli import main; main(prog_name='ketaref')",
    ):
        code = f"import sys; sys.argv = ['ketaref', *{args!r}]; {entry}"
        if not tty:
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
            results.append((done.returncode, done.stdout, done.stderr))
            continue
        import os
        import pty

        leader, follower = pty.openpty()
        process = subprocess.Popen([sys.executable, "-c", code], stdout=follower, stderr=subprocess.PIPE, env=env)
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(leader)
        stderr = process.stderr.read().decode() if process.stderr else ""
        results.append((process.wait(timeout=60), out.decode(), stderr))
    return results


SEARCH_LINES = [
    ["search", "blood", "pressure"],
    ["search", "blood", "--limit", "2", "pressure"],
    ["search", "--json", "bp", "too", "high"],
    ["search", "--limit=3", "--category", "dosing", "ketamine"],
    ["search", "--audience=patient", "home"],
    ["search", "contraindicatoins"],
    ["search", "ketamine", "zzzqqq"],
    ["search", "zzzqqq"],
    ["search"],
    ["search", "--limit", "0", "bp"],
    ["search", "--limit", "x", "bp"],
    ["search", "--category", "nope", "bp"],
    ["search", "--json", "--json", "bp"],
    ["search", "--help"],
    ["search", "--", "-bp"],
    ["search", "--jso", "bp"],
]


@pytest.mark.parametrize("args", SEARCH_LINES, ids=" ".join)
def test_a_plain_search_prints_what_the_cli_prints(args: list[str], pack_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    fast, cli = _both(["--pack", str(pack_path), *args], dict(os.environ))
    assert cli == fast


def test_a_search_on_a_terminal_is_styled_as_the_cli_styles_it(pack_path) -> None:  # type: ignore[no-untyped-def]
    import os

    fast, cli = _both(["--pack", str(pack_path), "search", "blood", "pressure"], dict(os.environ), tty=True)
    assert "\x1b[1m" in cli[1]  # bold titles: the test does reach a terminal
    assert cli == fast


def test_errors_go_through_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"nope")
    fast, cli = _both(["--pack", str(bad), "search", "bp"], dict(os.environ))
    assert 1 == cli[0]
    assert cli == fast
    fast, cli = _both(["--pack", str(tmp_path), "search", "bp"], dict(os.environ))  # a folder
    assert 2 == cli[0]
    assert cli == fast


@pytest.mark.parametrize("as_json", [False, True], ids=["lines", "json"])
def test_a_search_piped_to_a_reader_that_stops_exits_quietly(pack_path, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    # `ketaref search TRD | head -1`: the reader is gone before the first line; as click does, exit 1, no traceback.
    read, write = os.pipe()
    os.close(read)
    argv = ["ketaref", "--pack", str(pack_path), "search", "dose", *(["--json"] if as_json else [])]
    code = f"import sys\nsys.argv = {argv!r}\n"
    code += "from ketaref import launch\nlaunch.main()\n"
    try:
        done = subprocess.run([sys.executable, "-c", code], stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert "" == done.stderr
    assert 1 == done.returncode


def test_a_plain_search_never_imports_click(pack_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys\n"
        f"sys.argv = ['ketaref', '--pack', {str(pack_path)!r}, 'search', 'bp']\n"
        "from ketaref import launch\n"
        "try:\n"
        "    launch.main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(name for name in sys.modules if name in ('click', 'ketaref.cli')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "[]" == result.stdout.strip().splitlines()[-1]


# What a search needs none of when no key is trusted and no site file is found: each costs 2-15 ms of every run
# (dataclasses with inspect the most: the records a search builds are NamedTuples).
NOT_NEEDED = (
    "click", "dataclasses", "inspect", "logging", "tempfile", "tomllib", "hashlib", "ketaref.signing", "cryptography",
)  # fmt: skip


@pytest.mark.parametrize("default_pack", [False, True], ids=["--pack", "default pack"])
def test_a_plain_search_imports_only_what_it_needs(pack_path, default_pack: bool) -> None:  # type: ignore[no-untyped-def]
    pack = [] if default_pack else ["--pack", str(pack_path)]
    code = (
        "import sys\n"
        f"sys.argv = ['ketaref', *{pack!r}, 'search', 'bp']\n"
        "from ketaref import launch\n"
        "try:\n"
        "    launch.main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        f"not_needed = {NOT_NEEDED!r}\n"
        "print(sorted(name for name in sys.modules if name in not_needed or name.split('.')[0] in not_needed))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "KETAREF_SITE"}  # no site file here
    for _run in range(2):  # the first builds the default pack and keeps its stamp; the second is every later one
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True, env=env
        )
    assert "[]" == result.stdout.strip().splitlines()[-1]
