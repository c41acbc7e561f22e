"""Which data connection `inspect s3://…` reads with, and which exit code an error gets: the
choices made before and after any I/O, on recorded connections."""

from __future__ import annotations

import dataclasses

import pytest

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.model_files.inspection import pick_connection
from checks.model_files.onnx import OnnxSignatureError
from checks.storage.s3 import StorageError
from tests.helpers.recorded import recorded_snapshot


def _connections():
    (only,) = recorded_snapshot("iris-project").connections
    return only, dataclasses.replace(only, name="second")


def test_the_only_connection_is_used_when_none_is_named() -> None:
    only, _ = _connections()
    assert pick_connection([only], None, "iris-project") is only


def test_several_connections_need_a_name_and_a_wrong_name_lists_them() -> None:
    only, second = _connections()
    with pytest.raises(DoctorError) as several:
        pick_connection([only, second], None, "p")
    assert several.value.kind == ErrorKind.USAGE
    assert str(several.value) == (
        "p has several data connections: pass --connection (aws-connection-models, second)"
    )
    assert pick_connection([only, second], "second", "p") is second
    with pytest.raises(DoctorError, match=r'"nope" not found in p \(there: aws-connection'):
        pick_connection([only, second], "nope", "p")
    with pytest.raises(DoctorError, match="p has no data connection"):
        pick_connection([], None, "p")


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (OnnxSignatureError("not an ONNX model: a pickle", "not-onnx"), ExitCode.FAILED),
        (OnnxSignatureError("the file ends early", "truncated"), ExitCode.FAILED),
        (StorageError("no-such-bucket", 'bucket "modles" does not exist'), ExitCode.FAILED),
        (StorageError("not-s3", "an HTML page"), ExitCode.FAILED),
        (StorageError("timeout", "S3 did not answer"), ExitCode.CANNOT_JUDGE),
        (StorageError("truncated", "the answer was cut short"), ExitCode.CANNOT_JUDGE),
        (DoctorError(ErrorKind.FORBIDDEN, "you cannot list secrets"), ExitCode.CANNOT_JUDGE),
        (DoctorError(ErrorKind.NO_MODEL, "no .onnx file", finding=True), ExitCode.FAILED),
        (DoctorError(ErrorKind.USAGE, "bad flag"), ExitCode.CANNOT_JUDGE),
    ],
)
def test_a_finding_exits_1_and_a_failure_to_look_exits_2(error: DoctorError, code: int) -> None:
    assert error.exit_code == code
