"""The lab's certificate authority: one CA, a cert for the API server and one for the router."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

APPS_DOMAIN = "apps.rhoai-lab.test"


@dataclass(frozen=True)
class LabTls:
    ca_file: Path
    api_context: ssl.SSLContext
    router_context: ssl.SSLContext


def create(state_dir: Path) -> LabTls:
    """Write ca.crt into the state dir and return server contexts signed by that CA."""
    import trustme

    ca = trustme.CA(organization_name="rhoai-doctor lab")
    ca_file = state_dir / "ca.crt"
    ca.cert_pem.write_to_path(str(ca_file))
    api_cert = ca.issue_cert("127.0.0.1", "localhost", "api.rhoai-lab.test")
    router_cert = ca.issue_cert(f"*.{APPS_DOMAIN}", "127.0.0.1", "localhost")
    contexts = []
    for cert in (api_cert, router_cert):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        contexts.append(context)
    return LabTls(ca_file, contexts[0], contexts[1])
