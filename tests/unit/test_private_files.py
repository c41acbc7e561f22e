"""Issue 22 (minor): files we write are 0600 in 0700 folders, also when the folders were made
earlier with wider modes (the crash report: the console's panic path calls this very function)."""

from __future__ import annotations

import stat

from checks.engine.redaction import Redactor
from tui import crash, prefs
from tui.exports import write_export
from tui.xdg import Places


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_crash_reports_and_exports_are_private(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    (tmp_path / "rhoai-doctor").mkdir(mode=0o755)  # as an older version left it
    (tmp_path / "rhoai-doctor").chmod(0o755)
    try:
        raise RuntimeError("boom sha256~abcdefghijklmnopqrstuvwxyz")
    except RuntimeError as error:
        report = crash.write_report(error, Redactor())
    assert report is not None and "sha256~abc" not in report.read_text()
    assert mode(report) == 0o600 and mode(report.parent) == 0o700
    export = write_export(Places.from_environ({"XDG_STATE_HOME": str(tmp_path)}), "r.txt", "x")
    assert mode(export) == 0o600
    assert mode(export.parent) == mode(export.parent.parent) == 0o700


def test_console_toml_is_private_in_a_private_folder(tmp_path) -> None:
    places = Places.from_environ({"XDG_CONFIG_HOME": str(tmp_path)})
    places.config.mkdir(mode=0o755)
    places.config.chmod(0o755)
    assert prefs.save(places.prefs_file, prefs.Prefs()) == ""
    assert mode(places.prefs_file) == 0o600 and mode(places.config) == 0o700


def test_names_from_a_capture_never_become_paths_and_a_planted_link_is_not_followed(
    tmp_path,
) -> None:
    """A capture's namespace `../../x` names the history file; a symlink planted where a
    report goes is not written through."""
    from tui.history import history_file, record

    folder = tmp_path / "history"
    path = history_file("../../outside", "../x", folder)
    assert path.parent == folder and "/" not in path.name
    record("../../outside", "../x", "https://m", "{}", 200, 0.1, "ok", folder)
    assert list(tmp_path.rglob("*.jsonl")) == [path]
    places = Places.from_environ({"XDG_STATE_HOME": str(tmp_path / "state")})
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    places.reports.mkdir(parents=True)
    (places.reports / "r.md").symlink_to(victim)
    try:
        write_export(places, "r.md", "report")
    except Exception as error:  # refused in one sentence
        assert "r.md" in str(error)
    assert victim.read_text() == "mine"
