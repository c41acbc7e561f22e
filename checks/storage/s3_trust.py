"""What the storage initializer's boto3 trusts for an https:// endpoint, and what this machine
would have said instead.

The pod verifies with certifi (boto3's default bundle), or with the cluster's CA bundle ConfigMap
(cabundle_configmap: its cabundle.crt, beside certifi) — never with the workstation's trust store.
So the verdict uses the pod's trust, and a TLS handshake with the local store only adds a line
when the two disagree (a private CA trusted here but not in the pod, or the other way round)."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import ssl
import tempfile
import threading
from urllib.parse import urlsplit

from checks.storage.s3_target import S3Target

CA_KEY = "cabundle.crt"  # the key of odh-kserve-custom-ca-bundle the pod mounts
_files: dict[str, str] = {}
_lock = threading.Lock()
_folder: list[str] = []


def _certifi() -> str:
    import certifi

    return str(certifi.where())


def _bundle_file(pem: str) -> str:
    """The ConfigMap's PEM followed by certifi's, in a private file kept for this process."""
    digest = hashlib.sha256(pem.encode()).hexdigest()[:16]
    with _lock:
        if digest in _files:
            return _files[digest]
        if not _folder:
            _folder.append(tempfile.mkdtemp(prefix="rhoai-doctor-ca-"))
            atexit.register(shutil.rmtree, _folder[0], True)
        path = os.path.join(_folder[0], f"{digest}.pem")
        with open(_certifi(), encoding="utf-8") as public:
            text = pem.rstrip() + "\n" + public.read()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        _files[digest] = path
        return path


def pod_verify(target: S3Target) -> tuple[str | bool, str]:
    """(boto3's `verify`, the words for it): a CA file, or False when verify_ssl is off."""
    if not target.tls:
        return True, ""
    if not target.verify:
        return False, "verify_ssl is off, so the pod's boto3 accepts any certificate (so did this)"
    if target.like_pod and target.ca_configmap:
        if target.ca_configmap_pem:
            return (
                _bundle_file(target.ca_configmap_pem),
                f"the ConfigMap {target.ca_configmap} ({CA_KEY}) and certifi, as the pod does",
            )
        why = target.ca_configmap_note or "could not be read"
        return _certifi(), f"certifi only (the ConfigMap {target.ca_configmap} {why})"
    if target.like_pod and target.pod_ca_path:
        if target.ca_bundle:
            return (
                target.ca_bundle,
                f"{target.ca_bundle}, given for the pod's ca_bundle {target.pod_ca_path}",
            )
        return _certifi(), (
            f"certifi (the pod's ca_bundle {target.pod_ca_path} cannot be read from here: pass "
            "its content with --s3-ca)"
        )
    if not target.like_pod and target.ca_bundle:
        return target.ca_bundle, f"{target.ca_bundle} (--s3-ca / $AWS_CA_BUNDLE)"
    return _certifi(), "certifi, boto3's default CA bundle, as the pod does"


def local_accepts(target: S3Target, timeout: float) -> bool | None:
    """Would this machine's trust store (--s3-ca / $AWS_CA_BUNDLE, else the system's) accept
    the endpoint's certificate? None when the handshake did not get that far."""
    parts = urlsplit(target.endpoint)
    host = parts.hostname or ""
    port = parts.port or 443
    if target.virtual and target.bucket:
        host = f"{target.bucket}.{host}"
    dial_host, dial_port = host, port
    for rule in target.overrides:
        if rule.matches(host, port):
            dial_host, dial_port = rule.target_host or host, rule.target_port or port
            break
    cafile = target.ca_bundle or os.environ.get("AWS_CA_BUNDLE") or None
    try:
        context = ssl.create_default_context(cafile=cafile)
        with (
            socket.create_connection((dial_host, dial_port), timeout) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False
    except (OSError, ValueError):
        return None


def local_words(target: S3Target, accepted: bool | None) -> str:
    if accepted is None:
        return ""
    store = "--s3-ca" if target.ca_bundle else "this machine's trust store"
    if accepted:
        return f"; {store} accepts it, but the pod does not use it"
    return f"; {store} refuses it too"
