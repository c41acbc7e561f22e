"""The diagnosis' `e` on a capture whose deployment is named `../../../../escaped` (issue 22,
M3): the report lands in the reports folder under a name of safe characters, never outside it.
Started as a user starts it (`rhoai-doctor --from BUNDLE`) on a recorded bundle of the lab."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from tests.helpers import console, drive, finished, main_screen

SOURCE = (
    Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "bundles" / "iris-project.tar.gz"
)
ISVCS = "objects/iris-project/inferenceservices.json"
HOSTILE = "../../../../escaped"


def renamed_bundle(path: Path) -> Path:
    with tarfile.open(SOURCE) as tar, tarfile.open(path, "w:gz") as out:
        for member in tar:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == ISVCS:
                items = json.loads(data)
                items[0]["metadata"]["name"] = HOSTILE
                data = json.dumps(items).encode()
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return path


def test_an_export_named_by_a_capture_stays_in_the_reports_folder(tmp_path, monkeypatch) -> None:
    state = tmp_path / "deep" / "down" / "state"
    state.mkdir(parents=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.chdir(tmp_path)
    bundle = renamed_bundle(tmp_path / "hostile.tar.gz")

    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        await pilot.press("1", "d")
        await finished(pilot)
        assert pilot.app.screen.report is not None, pilot.app.screen.error
        await pilot.press("e")
        await pilot.pause(0.2)

    drive(console("--from", str(bundle)), scenario)
    reports = state / "rhoai-doctor" / "reports"
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.md"))
    assert written == [
        (reports / "rhoai-doctor-iris-project-..-..-..-..-escaped.md").relative_to(tmp_path)
    ]
    assert not list(tmp_path.rglob("escaped*"))
