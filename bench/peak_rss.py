"""`python -m bench.peak_rss OUT -- ARGS…`: run `rhoai-doctor ARGS…` in this process (the real
entry point, unchanged) and write its peak RSS in MiB to OUT when it exits, whatever the exit:
its own, plus the biggest of the processes it started and waited for (a sweep's helpers,
checks/sweep_helper.py) times their number, as if every one peaked at once (an upper bound)."""

from __future__ import annotations

import atexit
import sys
from pathlib import Path


def main() -> None:
    out, rest = sys.argv[1], sys.argv[3:]

    def record() -> None:
        from bench.common import children_peak_rss_mb, peak_rss_mb

        Path(out).write_text(f"{peak_rss_mb() + children_peak_rss_mb():.1f}")

    atexit.register(record)
    sys.argv = ["rhoai-doctor", *rest]
    from rhoai_doctor.cli import entry_point

    entry_point()


if __name__ == "__main__":
    main()
