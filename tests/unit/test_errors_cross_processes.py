"""An error a sweep's helper process meets (checks/sweep_helper.py) reaches the parent whole:
the same one line, the same kind and HTTP status, so the same exit code as when the parent
meets it itself."""

from __future__ import annotations

import pickle

from checks.errors import DoctorError, ErrorKind, ExitCode, KubeError, Unmet


def test_each_error_crosses_a_process_boundary_whole() -> None:
    errors = [
        KubeError(ErrorKind.FORBIDDEN, 'pods is forbidden in "team-a"', 403),
        DoctorError(ErrorKind.TIMEOUT, "the API server did not answer in 10 s", finding=True),
        Unmet("no token"),
    ]
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert (str(again), again.kind, again.finding) == (str(error), error.kind, error.finding)
        assert getattr(again, "status", None) == getattr(error, "status", None)
    assert pickle.loads(pickle.dumps(errors[1])).exit_code == ExitCode.FAILED
