"""k9s habits and no silent key, at 80x24 through the real entry point: the `:` command line,
j/k/g/G, sort, copy (OSC 52), jumps to related objects and back, q/escape going back, F1."""

from __future__ import annotations

import base64

from textual.widgets import Input, Tabs, TextArea

from tests.helpers import drive, loaded, main_screen, make_app, rows, until
from tui import keys
from tui.screens.composer import ComposerScreen
from tui.screens.diagnosis import DiagnosisScreen
from tui.screens.help import HelpScreen
from tui.screens.logs import LogsScreen
from tui.screens.main import MainScreen
from tui.screens.related_chooser import RelatedChooser

SMALL = (80, 24)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def last_toast(app) -> str:
    shown = toasts(app)
    return shown[-1] if shown else ""


async def command(pilot, text: str) -> None:
    await pilot.press("colon", *text, "enter")
    await pilot.pause(0.1)


def tab_of(screen) -> str:
    return screen.tabs.current_view().name


def test_colon_command_line_opens_kinds_projects_and_names_what_it_accepts(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("4", "colon")
        line = screen.query_one("#command-line", Input)
        assert line.has_focus and line.value == ":"  # the prompt, one line at the bottom
        assert line.region.height == 1 and line.region.y >= SMALL[1] - 3
        await pilot.press(*"isvc", "enter")  # the deployments tab, not the composer
        assert isinstance(pilot.app.screen, MainScreen) and tab_of(screen) == "deployments"
        for typed, tab in (
            ("po", "pods"),
            ("ev", "events"),
            ("runtimes", "servers"),
            ("connections", "connections"),
            ("secrets", "secrets"),
            ("deployments", "deployments"),
        ):
            await command(pilot, typed)
            assert tab_of(screen) == tab, typed
        assert screen.tabs.current_table().has_focus  # keys act on the list again

        await command(pilot, "ns wrong-path")
        await loaded(pilot, screen, "wrong-path")
        assert rows(screen.tabs.table("deployments"))[0][0] == "fraud"
        await pilot.press("minus")  # back where the command was typed
        await loaded(pilot, screen, "iris-project")

        await command(pilot, "nonsense")
        said = last_toast(pilot.app)
        assert "Unknown command :nonsense" in said
        assert ":deployments (isvc" in said and ":ns NAME" in said and ":ctx NAME" in said
        await command(pilot, "po no-such-pod")
        assert last_toast(pilot.app) == "No pods named 'no-such-pod' in iris-project."
        await command(pilot, "isvc iris-model")  # a name puts the cursor on its row
        assert tab_of(screen) == "deployments" and screen.tabs.selected().name == "iris-model"
        await command(pilot, "ns no-such-project")
        assert "No project 'no-such-project'" in last_toast(pilot.app)
        await command(pilot, "ctx nowhere")
        assert "No context 'nowhere'" in last_toast(pilot.app)
        assert "developer" in last_toast(pilot.app)

        await pilot.press("colon", *"eve", "tab")  # tab completes
        assert line.value == ":events"
        await pilot.press("escape")  # leaves the line, typing nothing
        assert not line.display and isinstance(pilot.app.screen, MainScreen)

        await command(pilot, "q")
        await until(pilot, lambda: pilot.app.return_code is not None)

    drive(make_app(lab), scenario, size=SMALL)


def test_copy_name_and_url_to_the_clipboard_says_what_was_copied(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "pricing-project")
        driver, sent = pilot.app._driver, []
        write = driver.write
        driver.write = lambda data: (sent.append(data), write(data))[1]  # what the terminal gets
        await pilot.press("1", "c")
        assert pilot.app._clipboard == "pricing"
        assert f"\x1b]52;c;{base64.b64encode(b'pricing').decode()}\a" in sent  # OSC 52
        assert last_toast(pilot.app) == "Copied name: pricing"
        await pilot.press("C")
        dep = screen.snapshot.deployment("pricing")
        assert dep.url and pilot.app._clipboard == dep.url
        assert last_toast(pilot.app) == f"Copied URL: {dep.url}"
        await pilot.press("6", "C")  # a pod has no URL: said, clipboard untouched
        assert "C copies a URL: select a deployment or a route" in last_toast(pilot.app)
        assert pilot.app._clipboard == dep.url
        await pilot.press("c")
        pod = screen.tabs.selected()
        assert pilot.app._clipboard == pod.name and pod.name.startswith("pricing-predictor")

    drive(make_app(lab), scenario, size=SMALL)


def test_j_k_g_G_move_and_S_R_sort_with_the_mark_in_the_header(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        projects = screen.projects
        projects.focus()
        await pilot.pause(0.1)
        start = projects.cursor_row
        await pilot.press("g")
        assert projects.cursor_row == 0
        await pilot.press("j", "j")
        assert projects.cursor_row == 2
        await pilot.press("k")
        assert projects.cursor_row == 1
        await pilot.press("G")
        assert projects.cursor_row == projects.row_count - 1
        assert start is not None

        await pilot.press("S")  # the platform mark has no header: PROJECT is the first
        names = [r[1] for r in rows(projects)]
        assert names == sorted(names)
        assert "PROJECT ▲" in [str(c.label) for c in projects.ordered_columns]
        assert "Sorted by PROJECT ▲" in last_toast(pilot.app)
        await pilot.press("R")
        assert [r[1] for r in rows(projects)] == sorted(names, reverse=True)
        assert "PROJECT ▼" in [str(c.label) for c in projects.ordered_columns]
        await pilot.press("S")  # past the last column: the API's order again
        assert "PROJECT" in [str(c.label) for c in projects.ordered_columns]
        assert "as the API lists them" in last_toast(pilot.app)

        await pilot.press("4", "R")  # R before S says what to do
        assert "Press S first" in last_toast(pilot.app)

    drive(make_app(lab), scenario, size=SMALL)


def test_sort_survives_the_refresh(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await pilot.press("6", "S", "S")  # NAME, STATUS (right after the name)
        table = screen.tabs.table("pods")
        assert "STATUS ▲" in [str(c.label) for c in table.ordered_columns]
        await pilot.press("r")
        await pilot.pause(0.5)
        assert "STATUS ▲" in [str(c.label) for c in table.ordered_columns]

    drive(make_app(lab), scenario, size=SMALL)


def test_jump_to_related_objects_events_of_one_object_and_back(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("1", "o")
        await until(pilot, lambda: isinstance(pilot.app.screen, RelatedChooser))
        labels = [p.label for p in pilot.app.screen.places]
        assert any(label.startswith("runtime ") for label in labels), labels
        assert any(label.startswith("connection ") for label in labels), labels
        assert any(label.startswith("pod ") for label in labels), labels
        assert "events about iris-model" in labels
        await pilot.press("r")  # the runtime
        await until(pilot, lambda: tab_of(screen) == "servers")
        dep = screen.snapshot.deployment("iris-model")
        assert screen.tabs.selected().name == dep.runtime
        await pilot.press("minus")
        await until(pilot, lambda: tab_of(screen) == "deployments")
        assert screen.tabs.selected().name == "iris-model"

        await pilot.press("o", "p")  # its pod, then from the pod to its deployment
        await until(pilot, lambda: tab_of(screen) == "pods")
        pod = screen.tabs.selected()
        assert pod in screen.snapshot.pods_for(dep)
        await pilot.press("o", "d")
        await until(pilot, lambda: tab_of(screen) == "deployments")
        await pilot.press("minus")
        await until(pilot, lambda: tab_of(screen) == "pods")
        assert screen.tabs.selected().name == pod.name
        await pilot.press("minus")
        await until(pilot, lambda: tab_of(screen) == "deployments")

        screen.select_project("wrong-path")
        await loaded(pilot, screen, "wrong-path")
        await pilot.press("1", "o", "t")  # the route, in the mesh's namespace
        await until(pilot, lambda: tab_of(screen) == "routes")
        route = screen.snapshot.route_for(screen.snapshot.deployment("fraud"))
        await until(pilot, lambda: screen.tabs.selected() == route)
        await pilot.press("minus")
        await until(pilot, lambda: tab_of(screen) == "deployments")
        await pilot.press("e")  # events about this deployment (and its pods), as a filter
        await until(pilot, lambda: tab_of(screen) == "events")
        events = screen.tabs.table("events")
        await until(pilot, lambda: events.row_count > 0)
        assert events.filter_text == "fraud" and screen.filter_bar.display
        about = [f"{e.involved_kind}/{e.involved_name} {e.message}" for e in events.shown_objects()]
        assert about and all("fraud" in a for a in about), about
        assert any(a.startswith("Pod/fraud-predictor") for a in about), about
        await pilot.press("escape")  # one escape undoes the jump, filter and all
        await until(pilot, lambda: tab_of(screen) == "deployments")
        assert events.filter_text == "" and not screen.filter_bar.display
        await pilot.press("minus")
        assert "Nothing to go back to" in last_toast(pilot.app)

    drive(make_app(lab), scenario, size=SMALL)


def test_q_and_escape_go_back_on_sub_screens_and_f1_helps_everywhere(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "pricing-project")
        await pilot.press("6", "l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        await pilot.press("1", "d")
        await until(pilot, lambda: isinstance(pilot.app.screen, DiagnosisScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(pilot.app.screen, MainScreen)

        await pilot.press("i")  # the composer; F1 while its editor has focus
        await until(pilot, lambda: isinstance(pilot.app.screen, ComposerScreen))
        editor = pilot.app.screen.query_one(TextArea)
        editor.focus()
        await pilot.pause(0.1)
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        assert "Keys: " in pilot.app.screen.text()
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ComposerScreen)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: pilot.app.return_code is not None)

    drive(make_app(lab), scenario, size=SMALL)


def test_no_silent_key_and_tab_only_stops_where_focus_shows(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await pilot.press("4", "d")  # a one-deployment project: d acts from any tab
        await until(pilot, lambda: isinstance(pilot.app.screen, DiagnosisScreen))
        assert pilot.app.screen.deployment.name == "fraud"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

        await pilot.press("5", "C")
        assert "C copies a URL" in last_toast(pilot.app)
        await pilot.press("escape")
        assert "Nothing to clear or go back to" in last_toast(pilot.app)
        await pilot.press("minus")
        assert "Nothing to go back to" in last_toast(pilot.app)

        box = screen.query_one("#details-box")
        unfocused = box.styles.background
        seen = set()
        for _ in range(6):
            await pilot.press("tab")
            await pilot.pause(0.05)
            seen.add(pilot.app.focused.id)
            assert not isinstance(pilot.app.focused, Tabs)  # the strip shows no focus: skipped
            if pilot.app.focused is box:  # the details box shows it has focus
                assert box.styles.background != unfocused
        assert {"table-secrets", "details-box"} <= seen, seen
        assert "projects" not in seen  # folded away below 100 columns: no stop on a hidden pane

    drive(make_app(lab), scenario, size=SMALL)


def test_help_and_readme_key_table_come_from_the_bindings(lab) -> None:
    """README's table is what `python -m tui.keys --markdown` writes now; help shows the same."""
    assert keys.main(["--check"]) == 0, "run: python -m tui.keys --markdown"
    readme = keys.README.read_text()

    async def scenario(pilot) -> None:
        await main_screen(pilot)
        await pilot.press("question_mark")
        shown = pilot.app.screen.text()
        for key, what in keys.rows_of(MainScreen):
            assert f"{key}  {what}" in shown
            assert f"| `{key}` |" in readme.replace("\\|", "|")

    drive(make_app(lab), scenario, size=SMALL)
