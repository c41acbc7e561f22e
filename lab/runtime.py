"""What the serving runtime does with a deployment: pull the model from S3, then load it in OVMS.

The lab runs these steps for real against its own S3 with the deployment's storage-config entry,
so the failure a deployment shows is the one the lab met, worded as the runtime would word it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lab.ovms import ModelLoadError, OvmsImage, ServedModel, modelmesh_model_id
from lab.scenarios import MODELMESH

TOO_LARGE = 2**31  # protobuf's limit for one message: an ONNX file this big never parses


@dataclass
class LoadOutcome:
    """Where loading stopped (None: the model is served) and what the runtime logged."""

    served: ServedModel | None
    failed_stage: str | None  # "storage" or "model"
    message: str = ""
    storage_log: list[str] = field(default_factory=list)
    runtime_log: list[str] = field(default_factory=list)


class PullError(Exception):
    def __init__(self, message: str, log: list[str]) -> None:
        super().__init__(message)
        self.log = log


_resources = threading.local()  # boto3 resources are not thread-safe: one set per thread


def _s3_resource(entry: dict):
    """boto3 as the initializer builds it: unsigned when `anonymous`, unverified TLS when
    `verify_ssl` is "0" or "false", and (lab only) the CA file
    the pod would have from the cluster's CA bundle ConfigMap (`_ca_file`; else certifi). Kept
    per connection and thread: making one costs ~25 ms of CPU, and the lab loads dozens."""
    fields = ("endpoint_url", "access_key_id", "secret_access_key", "region", "_ca_file")
    fields += ("verify_ssl",)
    key = (*(str(entry.get(name) or "") for name in fields), str(entry.get("anonymous", "")))
    kept = _resources.__dict__.setdefault("by_connection", {})
    if key not in kept:
        kept[key] = _new_s3_resource(entry)
    return kept[key]


def _new_s3_resource(entry: dict):
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    anonymous = str(entry.get("anonymous", "")).lower() == "true"
    verified = str(entry.get("verify_ssl", "")).strip().lower() not in ("0", "false")
    return boto3.resource(
        "s3",
        endpoint_url=entry.get("endpoint_url") or None,
        aws_access_key_id=entry.get("access_key_id"),
        aws_secret_access_key=entry.get("secret_access_key"),
        region_name=entry.get("region") or "us-east-1",
        verify=(entry.get("_ca_file") or None) if verified else False,
        config=Config(
            connect_timeout=3,
            read_timeout=5,
            retries={"max_attempts": 1},
            s3={"addressing_style": "path"},
            **({"signature_version": UNSIGNED} if anonymous else {}),
        ),
    )


class Pulled(Mapping[str, bytes]):
    """The files a pull put in the model directory, by path. The listing (and every fault of
    it) is real; an object's bytes are read when the runtime opens it, once: the initializer
    would GET all of them, but the lab's folder of 1,201 files cost its start-up ~6 s of GETs
    nothing looks at (a listed object always reads here: one credential, no object policy)."""

    def __init__(self) -> None:
        self._objects: dict[str, Any] = {}
        self._read: dict[str, bytes] = {}

    def add(self, path: str, obj: Any) -> None:
        self._objects[path] = obj

    def __getitem__(self, path: str) -> bytes:
        if path not in self._read:
            self._read[path] = _body(self._objects[path])
        return self._read[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._objects)

    def __len__(self) -> int:
        return len(self._objects)


def _body(obj: Any) -> bytes:
    """The object's bytes; one at or over protobuf's 2 GiB limit is not read (the lab keeps
    such objects sparse), and loads as the unreadable file it is to the runtime."""
    if obj.size >= TOO_LARGE:
        return b""
    return obj.get()["Body"].read()


def kserve_storage_initializer(entry: dict, path: str) -> tuple[Pulled, list[str]]:
    """KServe's storage-initializer: list the prefix, copy every object to /mnt/models."""
    bucket_name = entry.get("bucket", "")
    uri = f"s3://{bucket_name}/{path}"
    log = [
        f"INFO:root:Initializing, args: src_uri [{uri}] dest_path[ [/mnt/models]",
        f"INFO:root:Copying contents of {uri} to local",
    ]
    files = Pulled()
    try:
        bucket = _s3_resource(entry).Bucket(bucket_name)
        prefix = path.lstrip("/")
        for obj in bucket.objects.filter(Prefix=prefix):
            if obj.key.endswith("/"):  # boto3 lists folder markers as objects: skipped
                continue
            if obj.key == prefix:  # the exact object alone, to its basename
                files = Pulled()
                files.add(obj.key.rsplit("/", 1)[-1], obj)
                break
            relative = re.sub("^" + re.escape(prefix) + "/?", "", obj.key)
            files.add(relative, obj)
            log.append(f"INFO:root:Downloaded object {obj.key} to /mnt/models/{relative}")
        if not files:
            raise RuntimeError(f"Failed to fetch model. No model found in {path}.")
    except Exception as error:  # the initializer dies on any exception: so does the lab's
        last = f"{type(error).__module__}.{type(error).__name__}".removeprefix("builtins.")
        log += [
            "Traceback (most recent call last):",
            '  File "/storage-initializer/scripts/initializer-entrypoint", line 21, in <module>',
            "    kserve.Storage.download(src_uri, dest_path)",
            f"{last}: {error}",
        ]
        raise PullError(f"{last}: {error}", log) from error
    log.append(f"INFO:root:Successfully copied {uri} to /mnt/models")
    return files, log


def modelmesh_pull(entry: dict, path: str, model_id: str) -> tuple[Pulled, list[str]]:
    """The ModelMesh puller: same S3 listing, errors worded by the OVMS adapter."""
    log = [f'{{"level":"info","msg":"Pulling model","modelId":"{model_id}","path":"{path}"}}']
    for field_name in ("access_key_id", "secret_access_key", "endpoint_url", "region"):
        if not entry.get(field_name):
            message = (
                "Failed to pull model from storage due to error: could not process pull "
                "command: unable to create repository of type 's3': missing required "
                f"string configuration '{field_name}'"
            )
            raise PullError(message, [*log, message])
    files = Pulled()
    try:
        bucket = _s3_resource(entry).Bucket(entry.get("bucket", ""))
        for obj in bucket.objects.filter(Prefix=path):
            # with "models/mnist", not "models/mnist2/...": only the path or keys under path/
            # (so an empty path pulls nothing: no key starts with "/")
            inside = path.endswith("/") or obj.key == path or obj.key.startswith(path + "/")
            if not inside or obj.key.endswith("/"):
                continue
            relative = obj.key.replace(path, "", 1).lstrip("/") or obj.key.rsplit("/", 1)[-1]
            files.add(relative, obj)
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code") or type(error).__name__
        message = (
            f"Failed to pull model from storage due to error: unable to list objects in "
            f"bucket '{entry.get('bucket', '')}': {code}: {error}"
        )
        raise PullError(message, [*log, message]) from error
    if not files:
        leaf = path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else "_model"
        message = (
            "Failed to load Model due to adapter error: Error calling stat on model file: "
            f"stat /models/{model_id}/{leaf}: no such file or directory"
        )
        raise PullError(message, [*log, message])
    log.append(
        f'{{"level":"info","msg":"Model pulled","modelId":"{model_id}","files":{len(files)}}}'
    )
    return files, log


def load(platform: str, deployment: str, entry: dict, path: str, image: str) -> LoadOutcome:
    """Pull then load, the way the deployment's runtime would."""
    model_id = modelmesh_model_id(deployment) if platform == MODELMESH else deployment
    try:
        if platform == MODELMESH:
            files, storage_log = modelmesh_pull(entry, path, model_id)
        else:
            files, storage_log = kserve_storage_initializer(entry, path)
    except PullError as error:
        return LoadOutcome(None, "storage", str(error), error.log)
    layout = "modelmesh" if platform == MODELMESH else "kserve"
    try:
        served = ServedModel(model_id, files, OvmsImage.from_image(image), layout)
    except ModelLoadError as error:
        message = str(error)
        if platform == MODELMESH:
            message = f"Failed to load model due to error: OVMS model load failed. {message}"
        return LoadOutcome(None, "model", message, storage_log, [message])
    return LoadOutcome(served, None, "", storage_log, list(served.log_lines))
