"""Nothing lost, nothing stuck (issue 20, point 6): the data folder's lock, merged bookmarks, a damaged cached or
installed pack, a full disk, odd --output targets, leftovers of killed writes, fsync before rename, the install
off the window's thread, and one window per data folder."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from packversions import make_pack, version_of

from ketaref import atomic, locking, updates
from ketaref.cli import main
from ketaref.errors import UpdateError
from ketaref.packchoice import open_chosen
from ketaref.paths import cached_pack


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "updates"
    path.mkdir()
    monkeypatch.setenv("KETAREF_UPDATES", str(path))
    return path


def data_dir() -> Path:
    return Path(os.environ["KETAREF_DATA_DIR"])


def enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# -- the lock around install, rollback and prune


def test_an_install_waits_for_the_lock_and_gives_up_with_a_plain_reason(
    current: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = updates.find_update(folder, current)
    assert update is not None
    monkeypatch.setattr(locking, "DEFAULT_TIMEOUT_S", 0.2)
    with locking.folder_lock(data_dir()):  # another window or `ketaref update` is installing
        with pytest.raises(locking.LockBusyError, match="Another KetaRef is changing the packs"):
            updates.install_update(update)
        result = run("update", "--rollback")
        assert 1 == result.exit_code and "Another KetaRef" in result.output
    assert updates.active_pack() is None
    updates.install_update(update)  # free again: it goes through
    assert "1.1" == version_of(updates.active_pack() or current)


def test_an_install_blocked_by_the_lock_goes_on_once_it_is_let_go(current: Path, folder: Path) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = updates.find_update(folder, current)
    assert update is not None
    results: list[object] = []
    with locking.folder_lock(data_dir()):
        worker = threading.Thread(target=lambda: results.append(updates.install_update(update)))
        worker.start()
        assert not results
    worker.join(30)
    assert [updates.active_pack()] == results


def test_two_installs_from_the_same_pack_never_go_backwards_or_lose_the_active_pack(
    current: Path, folder: Path, tmp_path: Path
) -> None:
    make_pack(folder / "ketaref-1.2.sqlite", "1.2")
    first = updates.find_update(folder, current)  # window A found 1.2
    other = tmp_path / "other-updates"
    other.mkdir()
    make_pack(other / "ketaref-1.1.sqlite", "1.1")
    second = updates.find_update(other, current)  # window B, at the same time, found 1.1
    assert first is not None and second is not None
    updates.install_update(first)
    with pytest.raises(UpdateError, match="installed content version 1.2 meanwhile"):
        updates.install_update(second)
    active = updates.active_pack()
    assert active is not None and "1.2" == version_of(active)


def test_bookmarks_from_two_windows_are_merged_not_lost(tmp_path: Path) -> None:
    from ketaref.gui import settings as S
    from ketaref.gui.shared_settings import save_bookmarks

    path = tmp_path / "settings.ini"
    a, b = S.Settings(path), S.Settings(path)
    saved_a = save_bookmarks(a, (), ["card-a1", "card-a2"])
    saved_b = save_bookmarks(b, (), ["card-b1"])  # B started before A saved
    assert ("card-a1", "card-a2", "card-b1") == saved_b
    save_bookmarks(a, saved_a, ["card-a2"])  # A removes one of its own
    fresh = S.Settings(path)
    assert ("card-a2", "card-b1") == fresh.get(S.BOOKMARKS)


def test_a_second_process_saving_bookmarks_keeps_the_firsts(tmp_path: Path) -> None:
    from ketaref.gui import settings as S
    from ketaref.gui.shared_settings import save_bookmarks

    path = tmp_path / "settings.ini"
    save_bookmarks(S.Settings(path), (), ["mine"])
    code = (
        "from pathlib import Path\n"
        "from ketaref.gui import settings as S\n"
        "from ketaref.gui.shared_settings import save_bookmarks\n"
        f"print(save_bookmarks(S.Settings(Path({str(path)!r})), (), ['theirs']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert 0 == done.returncode, done.stderr
    assert ("mine", "theirs") == S.Settings(path).get(S.BOOKMARKS)


# -- damaged packs: the cached default pack is rebuilt, a damaged installed update gives way


def _zero_header(path: Path) -> None:
    """Damage a pack's first page, keeping its size and modification time (so the cache stamp still matches)."""
    stat = path.stat()
    with path.open("r+b") as handle:
        handle.write(bytes(100))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_damaged_cached_default_pack_is_built_again_with_a_message(current: Path) -> None:
    assert current == cached_pack()
    assert 0 == run("info").exit_code  # a start that finds it current keeps a stamp: the next start skips hashing
    _zero_header(current)
    result = run("info", "--json")
    assert 0 == result.exit_code, result.output
    assert "Building the default pack again" in result.stderr
    with open_chosen() as pack:
        pack.verify()
        assert "1.0" == pack.content_version


def test_a_damaged_installed_update_gives_way_to_the_built_in_pack_and_can_be_rolled_back(
    current: Path, folder: Path
) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = updates.find_update(folder, current)
    assert update is not None
    installed = updates.install_update(update)
    _zero_header(installed)
    told: list[str] = []
    with open_chosen(warn=told.append) as pack:
        assert "1.0" == pack.content_version
    assert 1 == len(told) and "damaged" in told[0] and "Using the built-in pack" in told[0]
    assert updates.previous_pack() is not None  # File > Roll back stays available
    assert 0 == run("update", "--rollback").exit_code


def test_the_window_opens_on_a_damaged_installed_update_and_says_so(
    qtbot, current: Path, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.actions import Act
    from ketaref.gui.app import Startup
    from ketaref.gui.messages import Messages
    from ketaref.gui.settings import Settings

    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = updates.find_update(folder, current)
    assert update is not None
    _zero_header(updates.install_update(update))
    told: list[str] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: told.append(message.text))
    startup = Startup(None, Settings(tmp_path / "settings.ini"))
    window = startup.build()
    assert window is not None
    qtbot.addWidget(window)
    assert "1.0" == window.pack.content_version
    assert 1 == len(told) and "damaged" in told[0]
    window.pack_updates.refresh_actions()
    assert window.actions_[Act.ROLLBACK_PACK].isEnabled()


# -- a full disk is a plain message


def test_a_full_disk_while_writing_a_pack_is_one_line_and_keeps_the_old_pack(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.sqlite"
    assert 0 == run("pack", "--source", str(source_dir), "--output", str(out)).exit_code
    before = out.read_bytes()
    monkeypatch.setattr(atomic.os, "replace", enospc)
    result = run("pack", "--source", str(source_dir), "--output", str(out))
    assert 1 == result.exit_code
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert 1 == len(result.output.strip().splitlines())
    assert before == out.read_bytes()
    assert ["out.sqlite"] == sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".out", "out")))


def test_sqlite_saying_the_disk_is_full_is_one_line(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ketaref.pack

    def full(*_args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ketaref.pack, "_write", full)
    result = run("pack", "--source", str(source_dir), "--output", str(tmp_path / "x.sqlite"))
    assert 1 == result.exit_code
    assert "database or disk is full" in result.output and "Traceback" not in result.output


def test_a_full_disk_during_an_install_is_one_line_and_keeps_the_pack_in_use(
    current: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    monkeypatch.setattr(shutil, "copyfileobj", enospc)  # the copy into the data folder
    result = run("update", "--install")
    assert 1 == result.exit_code
    assert "No space left on device" in result.output and "the current pack stays in use" in result.output
    assert "Traceback" not in result.output
    assert updates.active_pack() is None


def test_a_full_disk_on_the_first_builds_cache_is_one_line(
    tmp_path: Path, source_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETAREF_RESOURCES", str(source_dir))
    monkeypatch.setattr(atomic.os, "replace", enospc)
    result = run("info")
    assert 1 == result.exit_code
    assert "No space left on device" in result.output and "Traceback" not in result.output


# -- --output: a regular file or a new path, nothing else


@pytest.mark.parametrize("kind", ["device", "folder", "fifo"])
def test_output_onto_anything_but_a_file_is_refused(source_dir: Path, tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = Path(os.devnull)
    elif kind == "folder":
        target = tmp_path / "folder"
        target.mkdir()
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        target = tmp_path / "pipe"
        os.mkfifo(target)
    result = run("pack", "--source", str(source_dir), "--output", str(target))
    assert 1 <= result.exit_code
    assert 1 == len([line for line in result.output.splitlines() if line.startswith("Error")]), result.output
    if kind == "device":
        assert Path(os.devnull).is_char_device()
    if kind == "fifo":
        assert target.is_fifo()


# -- leftovers of killed builds and installs


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    dead = 2**22 + 12345  # above Linux's largest process id: no such process
    old = tmp_path / ".out.sqlite.k2j3h4.tmp"  # from before process ids were in the name: removed once old
    leftovers = [tmp_path / f".out.sqlite.{dead}.abc_12.tmp", tmp_path / f".out.sqlite.{dead}.abc_12.tmp-journal", old]
    live = tmp_path / f".out.sqlite.{os.getpid()}.live12.tmp"  # a write under way in a running process
    young = tmp_path / ".out.sqlite.young1.tmp"
    mine = [tmp_path / ".out.sqlite.notes", tmp_path / "out.sqlite.tmp", tmp_path / "other.tmp", live, young]
    for path in leftovers + mine:
        path.write_bytes(b"x" * 1000)
    os.utime(old, (1, 1))
    now = time.time()
    for path in (live, young):  # written now by the process clock, whatever the file system's clock says
        os.utime(path, (now, now))
    assert 0 == run("pack", "--source", str(source_dir), "--output", str(out)).exit_code
    assert [] == [p.name for p in leftovers if p.exists()]
    assert all(p.exists() for p in mine)


def test_leftovers_of_killed_installs_are_removed_by_the_next_install(current: Path, folder: Path) -> None:
    packs = data_dir() / "packs"
    packs.mkdir(parents=True)
    stale = [packs / ".ketaref-1.1-0123456789ab.sqlite.4242.x1y2z3.tmp", packs / ".ketaref-1.0-abc.sqlite.k9.tmp"]
    for path in stale:
        path.write_bytes(b"half a pack")
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    assert 0 == run("update", "--install").exit_code
    assert [] == [p for p in stale if p.exists()]
    assert sorted(p.name for p in packs.iterdir() if p.name.startswith(".")) == []


def test_a_pack_is_flushed_to_disk_before_it_replaces_the_old_one(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = atomic.fsync_file, atomic.os.replace

    def fsync(path: Path) -> None:
        events.append(f"fsync {Path(path).name}")
        real_fsync(path)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(f"replace {Path(src).name}")
        real_replace(src, dst)

    monkeypatch.setattr(atomic, "fsync_file", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    assert 0 == run("pack", "--source", str(source_dir), "--output", str(tmp_path / "p.sqlite")).exit_code
    replaced = [e for e in events if e.startswith("replace .p.sqlite.")]
    assert 1 == len(replaced)
    temporary = replaced[0].split(" ", 1)[1]
    assert events.index(f"fsync {temporary}") < events.index(replaced[0])


# -- the install runs off the window's thread, with progress


def test_the_window_installs_on_another_thread_with_progress(
    qtbot, make_window, current: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.update_dialog import InstallProgress

    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    update = updates.find_update(folder, current)
    assert update is not None
    window = make_window(current)
    threads: list[str] = []
    steps: list[tuple[int, int]] = []
    real_install = updates.install_update

    def install(update: updates.Update, data_dir: Path | None = None, progress: updates.Progress | None = None) -> Path:
        threads.append(threading.current_thread().name)
        return real_install(update, data_dir, progress)

    monkeypatch.setattr(updates, "install_update", install)
    real_show = InstallProgress.show_progress
    monkeypatch.setattr(
        InstallProgress, "show_progress", lambda self, d, t: (steps.append((d, t)), real_show(self, d, t))
    )
    installed = window.pack_updates.install(update)
    assert ["ketaref-update-install"] == threads  # not the window's thread
    assert steps and steps[-1] == (1000, 1000)
    assert installed == updates.active_pack()


# -- one window per data folder


def test_a_second_instance_brings_the_first_forward(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.instance import SingleInstance

    first = SingleInstance(tmp_path / "data")
    assert first.claim()
    try:
        other_folder = SingleInstance(tmp_path / "other-data")
        assert other_folder.claim()  # another data folder is another instance
        other_folder.release()
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert not SingleInstance(tmp_path / "data").claim()
    finally:
        first.release()
    again = SingleInstance(tmp_path / "data")
    assert again.claim()  # the first closed: the next launch is the first again
    again.release()


def test_the_first_window_claims_its_folder_before_loading_the_socket_code(tmp_path: Path) -> None:
    # The lock is taken before the window shows; QtNetwork and hashlib (the socket and its name) wait for the
    # first paint, and a later launch still reaches the window once it listens.
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ketaref.gui.instance import SingleInstance\n"
        "app = QApplication([])\n"
        f"first = SingleInstance(__import__('pathlib').Path({str(tmp_path / 'data')!r}))\n"
        "claimed = first.claim(listen_now=False)\n"
        "print(claimed, sorted(m for m in ('hashlib', 'PySide6.QtNetwork') if m in sys.modules))\n"
        "first.listen()\n"
        "print(first.server is not None and first.server.isListening(), first.name.startswith('ketaref-'))\n"
        "first.release()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert 0 == done.returncode, done.stderr
    assert ["True []", "True True"] == done.stdout.strip().splitlines()[-2:]


def test_the_window_is_built_when_a_task_after_the_paint_fails(qtbot, pack_path: Path, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui import app
    from ketaref.gui.window import MainWindow

    def broken() -> None:
        raise ImportError("libQt6Network.so.6: cannot open shared object file")

    startup = app.Startup(pack_path, app.Settings(tmp_path / "settings.ini"))
    startup.after_paint.append(broken)
    window = startup.window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: isinstance(window, MainWindow), timeout=10_000)
    assert "libQt6Network" in caplog.text
    panel = window.search_panel
    qtbot.keyClicks(panel.edit, "dose")
    qtbot.waitUntil(lambda: panel.up_to_date and bool(panel.model.rows))


def test_a_second_ketaref_launch_exits_0_and_the_cli_still_runs(qtbot, pack_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.instance import SingleInstance

    first = SingleInstance(data_dir())
    assert first.claim()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        with qtbot.waitSignal(first.activated, timeout=30_000):
            launch = subprocess.Popen([sys.executable, "-m", "ketaref.cli", "--pack", str(pack_path)], env=env)
            qtbot.waitUntil(lambda: launch.poll() is not None, timeout=30_000)
        assert 0 == launch.returncode
        cli = subprocess.run(
            [sys.executable, "-m", "ketaref.cli", "--pack", str(pack_path), "search", "dose"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert 0 == cli.returncode and "dose" in cli.stdout.lower()
    finally:
        first.release()
    shutil.rmtree(data_dir(), ignore_errors=True)
