"""Deployment modes as KServe reads them (rhoai-3x §1.1): the ISVC annotation, its legacy aliases,
and what the controller recorded in status.deploymentMode.

An absent annotation is the cluster default (Standard on ODH/RHOAI 3.x), unless the status says
which mode the controller used; that is what keeps a 3.x Standard model from looking Serverless."""

from __future__ import annotations

from dataclasses import dataclass

MODE_ANNOTATION = "serving.kserve.io/deploymentMode"
STOP_ANNOTATION = "serving.kserve.io/stop"
VISIBILITY_KEY = "networking.kserve.io/visibility"

STANDARD, SERVERLESS, MODELMESH_MODE = "Standard", "Serverless", "ModelMesh"
ALIASES = {
    "standard": STANDARD,
    "rawdeployment": STANDARD,
    "serverless": SERVERLESS,
    "knative": SERVERLESS,
    "modelmesh": MODELMESH_MODE,
}
LABELS = {
    STANDARD: "Standard (RawDeployment)",
    SERVERLESS: "Serverless (Knative)",
    MODELMESH_MODE: "ModelMesh",
}


@dataclass(frozen=True)
class Mode:
    """The one mode a deployment runs in, and where that was read from."""

    name: str  # Standard, Serverless or ModelMesh; the raw word when KServe would not accept it
    annotation: str  # the annotation as written ("" when absent)
    status: str  # status.deploymentMode ("" when absent)
    source: str  # "annotation", "status" or "cluster default"

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)

    @property
    def known(self) -> bool:
        return self.name in LABELS


def canonical(word: str) -> str:
    """One name per mode: RawDeployment/Standard -> Standard, Knative/Serverless -> Serverless."""
    return ALIASES.get(word.strip().lower(), word.strip())


def parse_mode(annotation: str | None, status: str | None) -> Mode:
    """The annotation wins when set; absent, the status tells; neither, the cluster default."""
    written, recorded = str(annotation or "").strip(), str(status or "").strip()
    if written:
        return Mode(canonical(written), written, recorded, "annotation")
    if recorded:
        return Mode(canonical(recorded), "", recorded, "status")
    return Mode(STANDARD, "", "", "cluster default")


def is_stop_requested(annotations: dict[str, str]) -> bool:
    """serving.kserve.io/stop "true" in any case is stopped; anything else is running (§2)."""
    return str(annotations.get(STOP_ANNOTATION, "")).strip().lower() == "true"
