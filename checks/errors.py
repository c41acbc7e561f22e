"""One exception type per boundary, each carrying a `kind` a person-facing message is built from."""

from __future__ import annotations


class DoctorError(Exception):
    """Base of every error rhoai-doctor turns into one line for a person."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConnectError(DoctorError):
    """The cluster connection could not be configured (kubeconfig, flags, in-cluster files)."""


class KubeError(DoctorError):
    """An API request failed: kinds are unauthorized, forbidden, not-found, timeout, refused,
    dns, tls, bad-response, http."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(kind, message)
        self.status = status
