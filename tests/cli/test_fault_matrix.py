"""The fault matrix: the API server, S3 and a model route each replaced by a server that
refuses, hangs, drips, errors, answers a login page, cuts its answer short or answers 80 MiB;
every command a user runs against each must end by the deadline plus a margin, with exit 1 or 2,
one line that names the fault, and no traceback."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from tests.helpers.faults import FaultServer
from tests.helpers.matrix import cells, flags_for, route_tls, run_cli

CLI = ("get", "check", "infer", "inspect")


def test_every_command_meets_every_fault_with_one_line_in_time(lab: dict, tmp_path: Path) -> None:
    todo = cells(CLI)
    tls = route_tls(tmp_path, lab)
    with ExitStack() as stack:
        servers = {
            (cell.target, cell.fault): stack.enter_context(
                FaultServer(cell.fault, tls if cell.target == "route" else None)
            )
            for cell in todo
        }

        def run(cell):
            server = servers[(cell.target, cell.fault)]
            return run_cli(cell, flags_for(cell, server, lab, tmp_path, tls))

        with ThreadPoolExecutor(6) as pool:
            outcomes = list(pool.map(run, todo))
    (tmp_path / "matrix.txt").write_text("\n".join(o.row() for o in outcomes))
    wrong = [f"{o.row()}\n    -> {'; '.join(o.problems())}" for o in outcomes if o.problems()]
    assert (
        len(outcomes) == 3 * 10 * 4 - 30
    )  # S3 and route are not on get's path, nor route on inspect's
    assert not wrong, "\n" + "\n".join(wrong)
