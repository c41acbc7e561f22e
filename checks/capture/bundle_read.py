"""Read an evidence bundle (layout: checks.capture.bundle_write) into a `Capture`, in memory and
bounded: only regular files with the names the layout uses (a member whose path escapes, or
names one already read, is refused), each and all together under a size cap, the JSON under a
cap on what parsing makes, every field of the expected type, so a hostile or broken archive is
one clear line naming the file and what is wrong, never a full memory, a hang or a traceback."""

from __future__ import annotations

import json
import posixpath
import tarfile
import time
import zlib
from pathlib import Path
from typing import Any

from checks.capture import bundle_checks as checks_of
from checks.capture.bundle_checks import BadBundle
from checks.capture.bundle_write import FORMAT, VERSION
from checks.capture.model import Capture, CaptureMeta
from checks.errors import DoctorError, ErrorKind

MEMBER_CAP = 64 * 1024 * 1024
TOTAL_CAP = 512 * 1024 * 1024
MAX_MEMBERS = 50_000
# lists and objects in all JSON files together (a `{}` costs 64 bytes as a dict, 1 in the file)
MAX_CONTAINERS = 2_000_000
MAX_DEPTH = 100


def _bad(path: Path, why: str) -> DoctorError:
    return DoctorError(
        ErrorKind.CORRUPT, f"{path} is not a readable rhoai-doctor bundle: {why}", finding=False
    )


def _member_name(raw: str) -> str:
    """The member's path as the layout names it; BadBundle when it escapes or is absolute."""
    name = raw.removeprefix("./")
    normal = posixpath.normpath(name) if name else ""
    if not name or name.startswith("/") or normal != name or normal.split("/")[0] == "..":
        raise BadBundle(f"member {raw!r} has an unsafe path")
    return name


def read_files(path: Path, timeout: float = 10.0) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = count = 0
    deadline = time.monotonic() + max(timeout, 1.0) * 6  # the whole archive: a few reads' worth
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                count += 1
                if count > MAX_MEMBERS:
                    raise BadBundle(f"more than {MAX_MEMBERS:,} members")
                if time.monotonic() > deadline:
                    raise BadBundle("it takes too long to unpack")
                if not member.isfile():
                    continue
                name = _member_name(member.name)
                if name in files:
                    raise BadBundle(f"member {name!r} appears twice")
                if member.size > MEMBER_CAP:
                    raise BadBundle(f"member {name!r} is larger than 64 MiB")
                total += member.size
                if total > TOTAL_CAP:
                    raise BadBundle("it unpacks to more than 512 MiB")
                handle = tar.extractfile(member)
                files[name] = handle.read(MEMBER_CAP + 1) if handle is not None else b""
                tar.members = []  # type: ignore[attr-defined]  # the headers read so far are not kept (a million of them)
    except BadBundle as error:
        raise _bad(path, str(error)) from None
    except tarfile.ReadError as error:
        if not files:
            raise _bad(path, "not a tar.gz archive") from error
        raise _bad(path, f"the archive is damaged after {len(files)} files ({error})") from error
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        why = (str(error) or type(error).__name__).splitlines()[0]
        raise _bad(path, f"the archive is damaged ({why})") from error
    return files


class _Json:
    """Parses the bundle's JSON files against one budget of lists and objects."""

    def __init__(self, path: Path, files: dict[str, bytes]) -> None:
        self.path, self.files = path, files
        self.containers = MAX_CONTAINERS

    def __call__(self, name: str) -> Any:
        try:
            data = self.files[name]
        except KeyError:
            raise _bad(self.path, f"{name} is missing") from None
        self.containers -= data.count(b"{") + data.count(b"[")  # an upper bound, before parsing
        if self.containers < 0:
            raise _bad(self.path, f"{name}: more than {MAX_CONTAINERS:,} JSON objects in all")
        try:
            value = json.loads(data)
        except RecursionError:
            raise _bad(self.path, f"{name} is nested too deeply") from None
        except ValueError as error:
            raise _bad(self.path, f"{name} is not JSON ({error})") from error
        if checks_of.depth(value) > MAX_DEPTH:
            raise _bad(self.path, f"{name} is nested deeper than {MAX_DEPTH} levels")
        return value


def read_bundle(path: Path, timeout: float = 10.0) -> Capture:
    files = read_files(path, timeout)
    load = _Json(path, files)
    try:
        return _capture(files, load)
    except BadBundle as error:
        raise _bad(path, str(error)) from None


def _capture(files: dict[str, bytes], load: _Json) -> Capture:
    manifest = checks_of.kind(load("manifest.json"), dict, "manifest.json")
    if manifest.get("format") != FORMAT:
        raise BadBundle("manifest.json does not name the rhoai-doctor bundle format")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadBundle("manifest.json: version is not a number")
    if version > VERSION:
        raise BadBundle(f"format version {version} is newer than this tool reads")
    meta = _meta(manifest)
    capture = Capture(meta=meta)
    for namespace in checks_of.strings(manifest.get("namespaces"), "manifest.json: namespaces"):
        capture.objects.setdefault(namespace, {})
    for name in files:
        parts = name.split("/")
        if parts[0] == "objects" and len(parts) == 3 and parts[2].endswith(".json"):
            items = checks_of.objects(load(name), name)
            capture.objects.setdefault(parts[1], {})[parts[2].removesuffix(".json")] = items
        elif parts[0] in ("facts", "diagnosis") and len(parts) == 3:
            key = f"{parts[1]}/{parts[2].removesuffix('.json')}"
            value = checks_of.kind(load(name), dict, name)
            if parts[0] == "facts":
                capture.facts[key] = checks_of.facts(value, name)
            else:
                capture.reports[key] = value
    _forbidden(capture, manifest.get("forbidden"))
    for entry in checks_of.kind(manifest.get("logs") or [], list, "manifest.json: logs"):
        log, where = checks_of.log_entry(entry)
        data = files.get(where)
        if data is not None:
            capture.logs[log] = data.decode("utf-8", "replace")
    if "projects.json" in files:
        capture.projects = checks_of.objects(load("projects.json"), "projects.json")
    return capture


def _meta(manifest: dict[str, Any]) -> CaptureMeta:
    meta = checks_of.kind(manifest.get("meta") or {}, dict, "manifest.json: meta")
    known = CaptureMeta.__dataclass_fields__
    fields = {k: v for k, v in meta.items() if k in known}
    fields.setdefault("namespace", manifest.get("namespace") or "")
    fields.setdefault("tls_unverified", bool(manifest.get("tls_unverified")))
    for key in ("source", "context", "server", "captured_at"):
        fields.setdefault(key, "")
    for key, value in fields.items():
        wanted = bool if key == "tls_unverified" else str
        checks_of.kind(value, wanted, f"manifest.json: meta.{key}")
    return CaptureMeta(**fields)


def _forbidden(capture: Capture, forbidden: Any) -> None:
    for namespace, kinds in checks_of.kind(
        forbidden or {}, dict, "manifest.json: forbidden"
    ).items():
        where = f"manifest.json: forbidden.{namespace}"
        for kind, failed in checks_of.kind(kinds, dict, where).items():
            failed = checks_of.kind(failed, dict, f"{where}.{kind}")
            capture.forbidden.setdefault(namespace, {})[kind] = str(failed.get("message", ""))
            capture.error_kinds.setdefault(namespace, {})[kind] = str(failed.get("kind", ""))
