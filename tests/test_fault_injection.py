"""Fault injection that CI can afford: `ketaref pack` and `ketaref update --install` killed with SIGKILL at seeded
random moments (N runs in all); after each kill the pack and packs.json are intact and the next run works, and the
next complete run leaves no temporary file behind. Seed and count: KETAREF_FAULT_SEED, KETAREF_FAULT_RUNS."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packversions import make_pack, make_source

from ketaref import updates
from ketaref.pack import build
from ketaref.store import open_pack

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SEED = int(os.environ.get("KETAREF_FAULT_SEED", "20"))
RUNS = int(os.environ.get("KETAREF_FAULT_RUNS", "20"))  # half builds, half installs


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETAREF_")}
    env.update(
        KETAREF_CACHE_DIR=str(tmp_path / "cache"),
        KETAREF_SITE=os.environ["KETAREF_SITE"],
        SOURCE_DATE_EPOCH="1764633600",
        **extra,
    )
    return env


BATCH = 10  # runs started together (each in its own data folder, builds onto the same pack), to keep CI fast


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ketaref.cli", *args],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _kill_at(runs: list[tuple[subprocess.Popen[bytes], float]]) -> int:
    """SIGKILL each process at its moment (seconds from now) unless it ended first; how many were killed."""
    start = time.monotonic()
    killed = 0
    for process, moment in sorted(runs, key=lambda run: run[1]):
        try:
            process.wait(timeout=max(0.0, start + moment - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed += 1
    return killed


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """How long one complete run takes here (the kills are spread over it)."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "ketaref.cli", *args], env=env, cwd=cwd, capture_output=True)
    assert 0 == done.returncode, done.stderr
    return time.monotonic() - start


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name)


def test_kills_during_builds_and_installs_lose_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    resources = make_source(tmp_path / "resources", "1.0")
    source = make_source(tmp_path / "source", "1.1", add=True)
    folder = tmp_path / "updates"
    folder.mkdir()
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "pack.sqlite"
    env = _env(tmp_path, KETAREF_RESOURCES=str(resources))
    build_args = ["pack", "--source", str(source), "--output", str(target)]
    build_time = _timed(build_args, env, tmp_path)
    original = target.read_bytes()  # built from 1.1 already: every complete build writes these same bytes
    current = tmp_path / "cache" / "ketaref.pack.sqlite"  # the default pack the installs start from
    build(resources, current)
    install_time = build_time * 0.8  # an install starts as fast and copies a pack instead of building one

    killed = 0
    for batch in range(0, RUNS, BATCH):
        runs, datas = [], []
        for run in range(batch, min(RUNS, batch + BATCH)):
            if run % 2 == 0:
                runs.append((_start(build_args, env, tmp_path), rng.uniform(0.0, build_time * 1.1)))
            else:
                data = tmp_path / f"data-{run}"
                datas.append(data)
                install_env = {**env, "KETAREF_DATA_DIR": str(data), "KETAREF_UPDATES": str(folder)}
                runs.append((_start(["update", "--install"], install_env, tmp_path), rng.uniform(0.0, install_time)))
        killed += _kill_at(runs)
        assert original == target.read_bytes()  # the old pack, whole, or the same one rebuilt
        with open_pack(target) as pack:
            pack.verify()
        for data in datas:
            state_file = data / "packs.json"
            if state_file.exists():
                state = json.loads(state_file.read_text("utf-8"))  # never half written
                if state.get("active"):
                    with open_pack(data / "packs" / state["active"]) as pack:
                        pack.verify()
            # The next run works (in this process: the same code as `ketaref update --install`).
            update = updates.find_update(folder, updates.active_pack(data) or current, data)
            if update is not None:
                updates.install_update(update, data)
            active = updates.active_pack(data)
            assert active is not None
            with open_pack(active) as pack:
                pack.verify()
                assert "1.1" == pack.content_version
            assert [] == _temporaries(data / "packs")
    assert killed >= RUNS // 4, f"only {killed} of {RUNS} runs were killed before they ended"
    # The next complete build removes what the killed ones left.
    assert 0 == subprocess.run([sys.executable, "-m", "ketaref.cli", *build_args], env=env, cwd=tmp_path).returncode
    assert [] == _temporaries(out)
    assert original == target.read_bytes()
