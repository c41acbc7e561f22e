"""Read an evidence bundle (layout: checks.capture.bundle_write) into a `Capture`, in memory and
bounded: only regular files with the names the layout uses, each and all together under a size
cap, so a hostile or broken archive is one clear line, never a full disk or a traceback."""

from __future__ import annotations

import json
import tarfile
import zlib
from pathlib import Path
from typing import Any

from checks.capture.bundle_write import FORMAT, VERSION
from checks.capture.model import Capture, CaptureMeta, LogKey
from checks.errors import DoctorError, ErrorKind

MEMBER_CAP = 64 * 1024 * 1024
TOTAL_CAP = 512 * 1024 * 1024


def _bad(path: Path, why: str) -> DoctorError:
    return DoctorError(
        ErrorKind.CORRUPT, f"{path} is not a readable rhoai-doctor bundle: {why}", finding=False
    )


def read_files(path: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.lstrip("./")
                if ".." in name.split("/") or member.size > MEMBER_CAP:
                    raise _bad(path, f"member {name!r} is unsafe or too large")
                total += member.size
                if total > TOTAL_CAP:
                    raise _bad(path, "it unpacks to more than 512 MiB")
                handle = tar.extractfile(member)
                if handle is not None:
                    files[name] = handle.read()
    except tarfile.ReadError as error:
        raise _bad(path, "not a tar.gz archive") from error
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        why = (str(error) or type(error).__name__).splitlines()[0]
        raise _bad(path, why) from error
    return files


def _json(path: Path, files: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name])
    except KeyError:
        raise _bad(path, f"{name} is missing") from None
    except ValueError as error:
        raise _bad(path, f"{name} is not JSON ({error})") from error


def read_bundle(path: Path) -> Capture:
    files = read_files(path)
    manifest = _json(path, files, "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(path, "manifest.json does not name the rhoai-doctor bundle format")
    if int(manifest.get("version") or 0) > VERSION:
        raise _bad(path, f"format version {manifest.get('version')} is newer than this tool reads")
    known = {f for f in CaptureMeta.__dataclass_fields__}
    meta_raw = {k: v for k, v in (manifest.get("meta") or {}).items() if k in known}
    meta_raw.setdefault("namespace", manifest.get("namespace") or "")
    meta_raw.setdefault("tls_unverified", bool(manifest.get("tls_unverified")))
    try:
        meta = CaptureMeta(**meta_raw)
    except TypeError as error:
        raise _bad(path, f"manifest meta: {error}") from error
    capture = Capture(meta=meta)
    for namespace in manifest.get("namespaces") or []:
        capture.objects.setdefault(namespace, {})
    for name in files:
        parts = name.split("/")
        if parts[0] == "objects" and len(parts) == 3 and parts[2].endswith(".json"):
            items = _json(path, files, name)
            capture.objects.setdefault(parts[1], {})[parts[2].removesuffix(".json")] = items
        elif parts[0] in ("facts", "diagnosis") and len(parts) == 3:
            key = f"{parts[1]}/{parts[2].removesuffix('.json')}"
            target = capture.facts if parts[0] == "facts" else capture.reports
            target[key] = _json(path, files, name)
    for namespace, kinds in (manifest.get("forbidden") or {}).items():
        for kind, failed in kinds.items():
            capture.forbidden.setdefault(namespace, {})[kind] = str(failed.get("message", ""))
            capture.error_kinds.setdefault(namespace, {})[kind] = str(failed.get("kind", ""))
    for entry in manifest.get("logs") or []:
        data = files.get(str(entry.get("path")))
        if data is None:
            continue
        log = LogKey(entry["namespace"], entry["pod"], entry["container"], bool(entry["previous"]))
        capture.logs[log] = data.decode("utf-8", "replace")
    if "projects.json" in files:
        capture.projects = _json(path, files, "projects.json")
    return capture
