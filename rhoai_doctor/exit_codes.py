"""The one exit-code table every command follows, printed by `rhoai-doctor --help` and kept in
the README (a test holds them equal): 1 is a finding about what you asked about, 2 a failure to
look at it, whichever command met it."""

from __future__ import annotations

import textwrap

from checks.errors import ExitCode

ROWS: tuple[tuple[int, str], ...] = (
    (ExitCode.OK, "all good (warnings allowed; `check --fail-on warn` makes a warning fail)"),
    (
        ExitCode.FAILED,
        "a finding: a check failed (`check`); the model answered an error, differs from the "
        "local run, or the request does not match it (`infer`); the model file is not ONNX or "
        "not there, or its data connection is wrong (bucket, keys, endpoint), whichever command "
        "found it; no lab is running (`lab status`, `lab env`)",
    ),
    (
        ExitCode.CANNOT_JUDGE,
        "could not judge: the cluster, S3 or a route was unreachable or refused you "
        "(unauthorized, forbidden), a check could not run, an object or kind could not be "
        "listed or found, bad usage or local input; one line on stderr says why",
    ),
    (ExitCode.INTERRUPTED, "interrupted (ctrl+c)"),
)


def help_text() -> str:
    lines = ["exit codes (every command):"]
    for code, meaning in ROWS:
        wrapped = textwrap.wrap(meaning.replace("`", ""), 84)
        lines.append(f"  {int(code):<4} {wrapped[0]}")
        lines += [f"       {more}" for more in wrapped[1:]]
    return "\n".join(lines)


def markdown_table() -> str:
    rows = [f"| {int(code)} | {meaning} |" for code, meaning in ROWS]
    return "\n".join(["| code | meaning |", "|---|---|", *rows])


# The line under every sub-command's examples: the codes, and where the whole table is.
SHORT = (
    "exit codes: 0 all good, 1 a finding (a check failed, the model is broken),\n"
    "  2 could not judge (unreachable, forbidden, bad usage), 130 interrupted;\n"
    "  rhoai-doctor --help has the table"
)
