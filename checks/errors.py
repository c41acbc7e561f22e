"""One exception type per boundary, each carrying a typed `kind` a person-facing line is built from,
and the exit codes every command shares (documented in README and `--help`)."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """Why something could not be done. A StrEnum, so a kind still reads as its word."""

    USAGE = "usage"
    CONFIG = "config"
    CONNECT = "connect"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    DNS = "dns"
    TLS = "tls"
    BAD_RESPONSE = "bad-response"
    HTTP = "http"
    NO_ROUTE = "no-route"
    NO_MODEL = "no-model"
    NOT_ONNX = "not-onnx"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    LOCAL = "local"
    UNMET = "unmet"
    TOO_LARGE = "too-large"
    # S3 (checks.storage.s3)
    NO_SCHEME = "no-scheme"
    MISSING_FIELD = "missing-field"
    NOT_S3 = "not-s3"
    BAD_CREDENTIALS = "bad-credentials"
    NO_SUCH_BUCKET = "no-such-bucket"
    NO_SUCH_KEY = "no-such-key"
    ACCESS_DENIED = "access-denied"


class ExitCode(IntEnum):
    """The one table every command follows (README "Exit codes", `rhoai-doctor --help`):
    1 is a finding about the user's deployment or model, 2 a failure to look at it."""

    OK = 0
    FAILED = 1
    CANNOT_JUDGE = 2
    INTERRUPTED = 130


# Errors that are a finding about the model or its data connection, whichever command met them:
# the exit code of the failed check that reports them (model-format, data-connection,
# bucket-path), never the cluster-unreachable code.
FINDING_KINDS = frozenset(
    {
        ErrorKind.NOT_ONNX,
        ErrorKind.CORRUPT,
        ErrorKind.NO_SCHEME,
        ErrorKind.MISSING_FIELD,
        ErrorKind.NOT_S3,
        ErrorKind.BAD_CREDENTIALS,
        ErrorKind.NO_SUCH_BUCKET,
        ErrorKind.NO_SUCH_KEY,
        ErrorKind.ACCESS_DENIED,
    }
)


class DoctorError(Exception):
    """Base of every error rhoai-doctor turns into one line for a person. `finding`: the
    error says something about the user's model or deployment (exit 1), rather than that it
    could not be looked at (exit 2); by default decided by the kind."""

    def __init__(self, kind: ErrorKind | str, message: str, *, finding: bool | None = None) -> None:
        super().__init__(message)
        self.kind = ErrorKind(kind)
        self.message = message
        self._finding = finding

    @property
    def finding(self) -> bool:
        return self.kind in FINDING_KINDS if self._finding is None else self._finding

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.finding else ExitCode.CANNOT_JUDGE

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        """Whole across a process boundary (a sweep's helper, checks/sweep_helper.py): kind,
        message, status and all, whatever the subclass's __init__ asks."""
        return (_restored, (type(self), self.message, dict(self.__dict__)))


def _restored(cls: type[DoctorError], message: str, state: dict[str, Any]) -> DoctorError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ConnectError(DoctorError):
    """The cluster connection could not be configured (kubeconfig, flags, in-cluster files)."""


class KubeError(DoctorError):
    """An API request failed (unauthorized, forbidden, not-found, timeout, refused, dns, tls,
    bad-response, http)."""

    def __init__(self, kind: ErrorKind | str, message: str, status: int | None = None) -> None:
        super().__init__(kind, message)
        self.status = status


class Unmet(DoctorError):
    """A check's precondition is missing (a fact it needs could not be had): the engine reports
    it as a `skip` with this reason, never as an error or a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorKind.UNMET, message)
