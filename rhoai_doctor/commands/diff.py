"""`rhoai-doctor diff A B`: what changed between two captures, or a capture and the live
cluster ("it worked yesterday"), per deployment, on one screen."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.text import one_line
from rhoai_doctor.flags import add_connection_flags, open_session

if TYPE_CHECKING:  # the capture readers load when a diff runs, not to parse its flags
    from checks.capture.diff import CaptureDiff, Side

EXAMPLES = """A and B are each a capture (an rhoai-doctor bundle, an oc adm must-gather or
oc adm inspect directory) or the word `live` (the cluster your kubeconfig points at).

Compared per deployment: spec fields, labels, annotations, the runtime's images, args and
resources, the images running, the data connection's key names (never values), and the check
outcomes. Outcomes a capture could not hold ("not in the capture") are counted, not compared.

exit codes: 0 no difference, 1 something differs, 2 could not compare

examples:
  rhoai-doctor diff ./must-gather.local.1234 live
  rhoai-doctor diff monday.tar.gz tuesday.tar.gz -n fraud-demo
  rhoai-doctor diff ./mg-before ./mg-after fraud-detection -n fraud-demo -o json
"""
WIDTH = 56  # a value column in the table; -o json has them whole


def add_parser(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser(
        "diff",
        help="what changed between two captures, or a capture and the live cluster",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("a", metavar="A", help="a capture path, or `live`")
    diff.add_argument("b", metavar="B", help="a capture path, or `live`")
    diff.add_argument("deployment", nargs="?", help="only this deployment")
    diff.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(diff)
    diff.set_defaults(run=run)


def _progress(line: str) -> None:
    if sys.stderr.isatty():
        print(f"… {one_line(line)}", file=sys.stderr)


async def _sides(args: argparse.Namespace) -> tuple[Side, Side]:
    from checks.capture.diff_sides import (
        LIVE,
        capture_label,
        capture_side,
        deployment_namespaces,
        live_namespaces,
        live_side,
        load_any,
    )

    specs = [args.a, args.b]
    if specs.count(LIVE) == 2:
        raise DoctorError(ErrorKind.USAGE, "give at least one capture: `diff live live` is empty")
    captures = {spec: load_any(Path(spec)) for spec in specs if spec != LIVE}
    namespaces: list[str] | None = [args.namespace] if args.namespace else None
    if LIVE not in specs:
        sides = [
            await capture_side(
                captures[s],
                capture_label(captures[s], Path(s)),
                namespaces,
                args.deployment,
                _progress,
            )
            for s in specs
        ]
        return sides[0], sides[1]
    async with open_session(args) as session:
        if namespaces is None:
            found = {ns for c in captures.values() for ns in deployment_namespaces(c)}
            namespaces = sorted(found | set(await live_namespaces(session)))
        built = []
        for spec in specs:
            if spec == LIVE:
                built.append(await live_side(session, namespaces, args.deployment, _progress))
            else:
                label = capture_label(captures[spec], Path(spec))
                built.append(
                    await capture_side(
                        captures[spec], label, namespaces, args.deployment, _progress
                    )
                )
        return built[0], built[1]


def _cut(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def _pair(before: str, after: str) -> tuple[str, str]:
    """Two long values that share a beginning (args with one more flag) show where they part."""
    before, after = one_line(before), one_line(after)
    if max(len(before), len(after)) > WIDTH:
        common = 0
        for x, y in zip(before, after, strict=False):
            if x != y:
                break
            common += 1
        cut = before.rfind(" ", 0, common + 1)
        if cut > 8:
            before, after = "…" + before[cut:], "…" + after[cut:]
    return _cut(before), _cut(after)


def render_table(result: CaptureDiff) -> str:
    from checks.resources.tables import table

    lines = [f"A  {one_line(result.before)}", f"B  {one_line(result.after)}", ""]
    for dep in result.deployments:
        where = f"{dep.namespace}/{dep.name}"
        if dep.change == "added":
            lines += [f"{where}   only in B (added)", ""]
            continue
        if dep.change == "removed":
            lines += [f"{where}   only in A (removed)", ""]
            continue
        rows = [(c.what, *_pair(c.before, c.after)) for c in dep.changes]
        body = table(("WHAT", "A", "B"), rows)
        lines += [f"{where}   {len(dep.changes)} change(s)"]
        lines += ["  " + line for line in body.splitlines()] + [""]
    counts = {k: sum(1 for d in result.deployments if d.change == k) for k in ("changed", "added")}
    removed = len(result.deployments) - counts["changed"] - counts["added"]
    summary = (
        f"{counts['changed']} changed, {counts['added']} added, {removed} removed, "
        f"{len(result.unchanged)} unchanged"
    )
    if result.not_compared:
        summary += f"; {result.not_compared} check outcome(s) not compared (not in the capture)"
    if not result.deployments:
        lines.append("No differences.")
    lines.append(summary)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from checks.capture.diff import compare

    a, b = asyncio.run(_sides(args))
    result = compare(a, b)
    if args.output == "json":
        # ASCII only: a capture's C1 controls and bidi overrides reach a terminal as \u escapes
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=True))
    else:
        print(render_table(result))
    return ExitCode.FAILED if result.differs else ExitCode.OK
