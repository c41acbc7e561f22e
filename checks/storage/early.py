"""Work started early because it will be needed: boto3 loads while the LISTs are on their way."""

from __future__ import annotations

from collections.abc import Callable

from checks.resources import Deployment


def warm_when_listed(name: str) -> Callable[[str, list[dict]], None]:
    """boto3 loads as soon as the InferenceServices are listed, beside the slower LISTs, when the
    one named takes its model from a connection or s3:// (a wrong guess costs CPU only)."""

    def listed(kind: str, items: list[dict]) -> None:
        if kind != "inferenceservices":
            return
        for raw in items:
            if (raw.get("metadata") or {}).get("name") != name:
                continue
            dep = Deployment.parse(raw)
            uri = dep.storage_uri
            if uri.startswith("s3://") or (not uri and dep.connection_name):
                from checks.storage.s3 import warm_up

                warm_up()

    return listed
