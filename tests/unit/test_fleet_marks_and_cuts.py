"""The all-projects marks (the diagnosis verdict) on recorded objects, and how the console cuts
text and fits columns."""

from __future__ import annotations

import pytest

from checks.resources.fleet import (
    LEGEND,
    MARKS,
    Diagnosed,
    ProjectMark,
    fleet_rows,
    project_marks,
)
from tests.helpers.recorded import recorded_snapshot
from tui.truncate import cut_end, cut_middle, fit_widths

POD = "iris-predictor-00001-deployment-fmdqmd67p-fmdqm"


def _rows(diagnosed: dict[str, Diagnosed], *projects: str):
    """Each project's deployments with the state its own snapshot (pods and all) gives."""
    snapshots = {p: recorded_snapshot(p) for p in projects}
    deployments = [d for s in snapshots.values() for d in s.all_deployments]
    return fleet_rows(deployments, lambda d: snapshots[d.namespace].state_of(d), diagnosed)


def test_marks_are_the_diagnosis_verdict_and_say_what_is_not_diagnosed_yet() -> None:
    rows = _rows(
        {
            "wrong-path/fraud": Diagnosed("fail", "bucket-path: nothing under fraud-model"),
            "std-stopped/iris": Diagnosed("pass"),
            "std-quota/iris": Diagnosed("fail", "runtime-pods: quota", final=False),
            "llmd-healthy/granite": Diagnosed("pass", final=False),  # the probes are to come
            "iris-project/iris-model": Diagnosed("warn"),
        },
        "iris-project",
        "wrong-path",
        "std-stopped",
        "std-quota",
        "llmd-healthy",
        "unschedulable",
    )
    marks = {name: mark.text for name, mark in project_marks(rows).items()}
    assert marks == {
        "wrong-path": "✗ 1",
        "std-quota": "✗ 1",  # a first look's failure is a failure
        "llmd-healthy": "…",  # a first look that passed proves nothing yet
        "unschedulable": "…",  # not diagnosed: no guess from its state
        "iris-project": "⚠",
        "std-stopped": "■",  # passed, and stopped on purpose
    }
    assert [r.deployment.namespace for r in rows][:2] == ["std-quota", "wrong-path"]
    assert [r.mark for r in rows] == ["✗", "✗", "…", "…", "⚠", "■"]
    quota = rows[0]
    assert quota.state.text == "Pending · FailedCreate (quota compute-quota)"  # its pods' words
    assert quota.cause == "runtime-pods: quota"
    assert rows[2].cause in ("not diagnosed yet", "first look passed; probing S3 and routes…")
    assert LEGEND.startswith("✗ failed") and all(m in LEGEND for m in MARKS.values())


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        ((("fail", 2), ("pass", 3)), "✗ 2"),
        ((("error", 1), ("pending", 1)), "?"),
        ((("pending", 1), ("warn", 1)), "…"),
        ((("pass", 1), ("warn", 1)), "⚠"),
        ((("stopped", 2),), "■"),
        ((("stopped", 1), ("pass", 1)), "✓"),
        ((), ""),
    ],
)
def test_a_project_mark_names_the_worst_it_holds(
    counts: tuple[tuple[str, int], ...], text: str
) -> None:
    assert ProjectMark(counts).text == text


def test_names_lose_their_middle_and_words_their_end_always_with_an_ellipsis() -> None:
    cut = cut_middle(POD, 30)
    assert len(cut) == 30 and "…" in cut
    head, tail = cut.split("…")
    assert POD.startswith(head) and POD.endswith(tail) and tail.endswith("fmdqm")
    assert cut_middle(POD, len(POD)) == POD
    assert cut_end("Back-off restarting failed container", 12) == "Back-off re…"
    assert cut_end("⚠ 警告警告警告", 6) == "⚠ 警…"  # wide characters count twice


def test_columns_fit_widest_first_and_never_below_their_header() -> None:
    natural = [49, 16, 5, 8]  # a KServe pod: NAME, STATUS, READY, RESTARTS
    floors = [4, 6, 5, 8]
    widths = fit_widths(natural, floors, 70)
    assert sum(widths) <= 70 and widths[1:] == [16, 5, 8] and widths[0] == 41
    assert fit_widths([4, 30, 7], [4, 5, 7], 60) == [4, 30, 7]  # room enough: untouched
    squeezed = fit_widths([10, 40, 10, 10], [4, 5, 7, 7], 20)
    assert squeezed[2:] == [7, 7]  # RUNTIME stays RUNTIME, never `R`
    roomy = fit_widths([9, 9, 16, 56, 160], [9, 4, 6, 6, 7], 68, [1, 1, 1, 1, 3])
    assert roomy[-1] >= 3 * roomy[3] - 2 and sum(roomy) <= 68


def test_columns_cut_last_keep_their_width_while_the_others_can_give() -> None:
    natural, floors = [10, 30, 9, 6, 12, 4], [4, 5, 8, 6, 7, 4]  # NAME STATE PLATFORM FORMAT…
    kept = fit_widths(natural, floors, 64, None, frozenset({0, 1}))
    assert kept[:2] == [10, 29] and sum(kept) <= 64  # the others are at their floors
    assert fit_widths(natural, floors, 64)[1] < 29  # without: the state is cut with the rest
    tight = fit_widths([10, 40, 9, 6, 12, 4], floors, 40, None, frozenset({0, 1}))
    assert tight[2:] == [8, 6, 7, 4] and sum(tight) <= 40  # floors first, then the kept share
