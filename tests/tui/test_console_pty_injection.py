"""Every screen, palette and toast of the console, as a user runs it (`python -m rhoai_doctor` in
a real pty at 80x24, keys as bytes), over a lab, a bundle and a must-gather whose free strings
(project and deployment names, runtime, model format, event messages, logs, context and user
names, the capture's folder) carry a clipboard write (OSC 52), a DCS, a C1 CSI, a right-to-left
override, a screen clear and console markup (`[@click=app.quit]`, a project named `[/x]`).
Not one of those sequences reaches the terminal raw; the markup is shown as words; the console
lives through the tour and quits with 0."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.bundles import BUNDLES
from tests.helpers.hostile import LITERAL, NAME, hostile_bundle, hostile_tree, raw_found
from tests.helpers.hostile_proxy import HostileProxy, hostile_kubeconfig
from tests.helpers.must_gather import write_must_gather
from tests.helpers.pty_console import CTRL_P, CTRL_Q, ESCAPE, PtyConsole

TOUR = (  # where, the keys, the words its screen shows once it is whole ("" = none to wait for)
    ("the main screen", (), ""),
    ("every tab", ("2", "3", "4", "5", "6", "7", "1"), ""),
    ("c on a name (a toast)", ("c",), "opied"),
    ("the manifest", ("y",), ""),
    ("back", (ESCAPE,), ""),
    ("the diagnosis", ("d",), "Verdict:"),
    ("back", (ESCAPE,), ""),
    ("the logs of the first pod", ("6", "l"), "logs of"),
    ("back to the deployments", (ESCAPE, "1"), ""),
    ("the composer (or its toast offline)", ("i",), ""),
    ("back", (ESCAPE,), ""),
    ("the command line completing a project", (":", "n", "s", " ", "i"), ""),
    ("back", (ESCAPE,), ""),
    ("the command palette", (CTRL_P,), ""),
    ("the palette searching", ("i", "r"), ""),
    ("back", (ESCAPE,), ""),
    ("help", ("?",), "Keys:"),
    ("back", (ESCAPE,), ""),
    ("all projects", ("0",), "All projects"),
    ("back", (ESCAPE,), ""),
)
SHOWN_OSC52 = "␛]52;c;SGVsbG8=␇"  # the clipboard write as the console shows it
SEEN = ("diagnosis of", "logs of", "Keys:", "All projects", "Not copied")


def private_places(tmp_path: Path) -> dict[str, str]:
    """Preferences, crash reports and history under tmp_path, never the real home's."""
    return {
        f"XDG_{kind}_HOME": str(tmp_path / f"xdg-{kind.lower()}")
        for kind in ("CONFIG", "STATE", "DATA", "CACHE")
    }


def tour(argv: list[str], tmp_path: Path, seen: tuple[str, ...] = SEEN) -> None:
    with PtyConsole(argv, private_places(tmp_path)) as console:
        assert console.wait_for("read-only", 60), console.text[-2000:]
        console.settle(2.5)  # the first project's objects
        for where, keys, until in TOUR:
            console.press(*keys, until=until)
            found = {what: n for what, n in raw_found(console.text).items() if n}
            assert not found, f"raw in the terminal after {where}: {found}"
        console.press(CTRL_Q)
    shown = console.text
    found = {what: n for what, n in raw_found(shown).items() if n}  # every byte, to the last
    assert not found, f"raw in the terminal by the end: {found}"
    assert console.exit_code() == 0, shown[-2000:]
    assert LITERAL in shown, "the markup in the names was parsed, not shown"
    assert SHOWN_OSC52 in shown, "the payload never reached the screen: the test tests nothing"
    for words in seen:  # the tour went where it says
        assert words in shown, words


def test_a_hostile_bundle_reaches_the_terminal_as_text(tmp_path: Path) -> None:
    tokens = {f: f + NAME for f in ("iris", "model-server", "onnx")}
    bundle = hostile_bundle(BUNDLES / "iris-project.tar.gz", tmp_path / "hostile.tar.gz", tokens)
    tour(["--from", str(bundle)], tmp_path)


def test_a_hostile_must_gather_reaches_the_terminal_as_text(lab: dict, tmp_path: Path) -> None:
    top = write_must_gather(lab, tmp_path / f"must-gather{NAME}", namespaces=["oom-crashloop"])
    hostile_tree(top, {f: f + NAME for f in ("oom-crashloop", "iris", "onnx")})
    tour(["--from", str(top)], tmp_path)


def test_a_hostile_cluster_reaches_the_terminal_as_text(lab: dict, tmp_path: Path) -> None:
    with HostileProxy(lab) as proxy:
        kubeconfig = hostile_kubeconfig(proxy, lab["tokens"]["lab-admin"], tmp_path / "kube")
        argv = ["--kubeconfig", str(kubeconfig), "-n", "iris-project"]
        tour(argv, tmp_path, (*SEEN[:4], "Request to"))
