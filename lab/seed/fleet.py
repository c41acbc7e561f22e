"""A fleet for the sweep benchmark: PROJECTS projects holding DEPLOYMENTS deployments between
them, 2.x and 3.x kinds mixed (Serverless and ModelMesh OVMS, Standard OVMS, LLMInferenceServices),
with one deployment in five broken by a real fault (a connection secret that is not there, a
storage path with nothing under it, a runtime that was never created, a pod that crash-loops, an
HTTPRoute the gateway never accepted).

Objects come from the same builders as the scenarios (lab/seed/*.py). The deployments of one
format share one model file in one bucket, and the runtime's load of each (platform, path, image)
is done once and its outcome reused: a thousand deployments seed in a few seconds."""

from __future__ import annotations

import copy
from dataclasses import replace

from lab import objects
from lab.ovms import modelmesh_model_id
from lab.runtime import LoadOutcome, load
from lab.s3_backend import create_bucket, put
from lab.scenario_types import IRIS_KSERVE, IRIS_MM, KSERVE, MODELMESH, Scenario, Upload
from lab.seed.base import CONNECTION

BUCKET = "fleet-models"
# ModelMesh's model in a folder of its own: under "iris" beside KServe's iris/1/model.onnx the
# puller would bring both, and OVMS's adapter could not tell which one is the model
MM_UPLOAD = Upload(IRIS_MM.model, "mm-iris/rf_iris.onnx")
# (project kind, platform); a project is one kind, as a real one is (ModelMesh is per project)
KINDS = (
    ("serverless", KSERVE),
    ("modelmesh", MODELMESH),
    ("standard", KSERVE),
    ("serverless", KSERVE),
    ("llmd", ""),
)
NAMES = ("fraud", "pricing", "churn", "forecast", "iris", "credit", "sentiment", "triage")
# the faults a broken deployment of each kind takes in turn (by project index)
FAULTS = {
    "serverless": ("bucket-path", "missing-connection", "crashloop", "missing-runtime"),
    "standard": ("missing-connection", "bucket-path", "missing-runtime"),
    "modelmesh": ("bucket-path",),
    "llmd": ("httproute",),
}
ROOT_CAUSE = {  # the check that must name each fault
    "bucket-path": "bucket-path",
    "missing-connection": "data-connection",
    "crashloop": "runtime-pods",
    "missing-runtime": "serving-runtime",
    "httproute": "deployment-status",
}
GONE_CONNECTION = "aws-connection-archive"  # named by the deployment, never created
GONE_RUNTIME = "ovms-2024-1"
EMPTY_PATH = "models/v2"  # nothing was ever uploaded under it


def layout(projects: int, deployments: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(project, kind, [(deployment, fault or "")]) for the whole fleet: deployments spread
    evenly, every fifth deployment (the last of each group of five) broken."""
    plan = []
    counter = 0
    for index in range(projects):
        kind = KINDS[index % len(KINDS)][0]
        count = deployments // projects + (1 if index < deployments % projects else 0)
        project = f"fleet-{index:03d}-{kind}"
        members = []
        for slot in range(count):
            counter += 1
            name = f"{NAMES[(index + slot) % len(NAMES)]}-{slot}"
            fault = ""
            if counter % 5 == 0:
                faults = FAULTS[kind]
                fault = faults[(index // len(KINDS)) % len(faults)]
            members.append((name, fault))
        plan.append((project, kind, members))
    return plan


def expected(projects: int, deployments: int) -> dict[tuple[str, str], str | None]:
    """(project, deployment) -> the root cause check id the doctor must name (None: healthy)."""
    return {
        (project, name): ROOT_CAUSE[fault] if fault else None
        for project, _, members in layout(projects, deployments)
        for name, fault in members
    }


class FleetSeeding:
    """Seeds the fleet on a Seeder (lab.seed.Seeder: every builder is there)."""

    def __init__(self, seeder) -> None:
        self.seeder = seeder
        self.outcomes: dict[tuple, LoadOutcome] = {}
        self.entry: dict = {}

    def seed(self, projects: int, deployments: int) -> None:
        self._bucket()
        for project, kind, members in layout(projects, deployments):
            self._project(project, kind)
            if kind == "llmd":
                for name, fault in members:
                    self.seeder._llm_project(
                        project,
                        name,
                        "hf://ibm-granite/granite-3.3-2b-instruct",
                        gateway=(project, "inference-gateway"),
                        route_ready=not fault,
                    )
                continue
            # ModelMesh pods belong to the project's model server: the broken model first,
            # so the shared pod is the one the healthy models left
            ordered = sorted(members, key=lambda m: not m[1]) if kind == "modelmesh" else members
            for name, fault in ordered:
                self._ovms(project, kind, name, fault)

    def _bucket(self) -> None:
        create_bucket(BUCKET)
        for upload in (IRIS_KSERVE, MM_UPLOAD):
            put(BUCKET, upload.key, getattr(self.seeder.models, upload.model))

    def _project(self, project: str, kind: str) -> None:
        seeder = self.seeder
        mesh = "true" if kind == "modelmesh" else "false"
        seeder._put_namespace(
            project,
            {**objects.DASHBOARD, "modelmesh-enabled": mesh},
            {"openshift.io/display-name": project, "openshift.io/requester": "developer"},
        )
        seeder.store.put(
            objects.role_binding(
                "developer-admin",
                project,
                "ClusterRole",
                "admin",
                [{"kind": "User", "name": "developer", "apiGroup": "rbac.authorization.k8s.io"}],
            )
        )
        if kind != "llmd":
            sc = Scenario(project, project, KSERVE, "x", (), "", connection_bucket=BUCKET)
            self.entry = seeder._data_connection(sc)

    def _ovms(self, project: str, kind: str, name: str, fault: str) -> None:
        seeder = self.seeder
        platform = MODELMESH if kind == "modelmesh" else KSERVE
        sc = Scenario(
            project,
            name,
            platform,
            name,
            (),
            EMPTY_PATH if fault == "bucket-path" else _path(platform),
            connection_bucket=BUCKET,
            standard=kind == "standard",
            kube_rbac_proxy=kind == "standard",
            pod_fault="oom-crashloop" if fault == "crashloop" else None,
        )
        if fault == "missing-runtime":
            sc = replace(sc, runtime_name=GONE_RUNTIME)
        if fault != "missing-runtime" or platform == MODELMESH:
            runtime = seeder.store.put(seeder._serving_runtime(sc))
        else:
            runtime = seeder._serving_runtime(sc)  # built for its owner reference, not stored
        isvc = seeder._inference_service(sc)
        if fault == "missing-connection":
            isvc["spec"]["predictor"]["model"]["storage"]["key"] = GONE_CONNECTION
        isvc = seeder.store.put(isvc)
        seeder._token_objects(sc, runtime, isvc)
        if fault == "missing-runtime":
            self._unknown_runtime(sc, isvc)
            return
        outcome = self._load(sc, fault)
        pod = seeder._pods(sc, outcome, runtime, isvc)
        seeder._status(sc, isvc, outcome, pod)
        if sc.kube_rbac_proxy:
            seeder._standard_mode(sc, isvc, pod)
        else:
            seeder._route(sc, isvc)
        if outcome.served is not None and sc.pod_fault is None:
            served = copy.copy(outcome.served)  # one loaded model per format, named per deployment
            served.name = modelmesh_model_id(name) if platform == MODELMESH else name
            seeder.result.served[(project, name)] = served

    def _load(self, sc: Scenario, fault: str) -> LoadOutcome:
        """What the runtime met, loaded once per (platform, path, image, fault)."""
        key = (sc.platform, sc.storage_path, sc.runtime_image, fault)
        if key not in self.outcomes:
            if fault == "missing-connection":
                message = (
                    f'Exception: storage key "{GONE_CONNECTION}" is not in the storage-config '
                    "secret"
                )
                self.outcomes[key] = LoadOutcome(None, "storage", message, [message])
            else:
                self.outcomes[key] = load(
                    sc.platform, "fleet", self.entry, sc.storage_path, sc.runtime_image
                )
        return self.outcomes[key]

    def _unknown_runtime(self, sc: Scenario, isvc: dict) -> None:
        """KServe refuses a predictor whose runtime does not exist: no pod, a failed status."""
        message = (
            f"Specified runtime {sc.runtime} does not exist in namespace {sc.project}; "
            "no pod was created"
        )
        isvc["status"] = {
            "observedGeneration": 1,
            "modelStatus": {
                "transitionStatus": "InvalidSpec",
                "states": {"activeModelState": "", "targetModelState": "FailedToLoad"},
                "lastFailureInfo": {"reason": "RuntimeNotRecognized", "message": message},
            },
            "conditions": [
                objects.condition("PredictorReady", False, "RuntimeNotRecognized", message),
                objects.condition("Ready", False, "RuntimeNotRecognized", message),
            ],
        }
        self.seeder.store.put(isvc)


def seed_fleet(seeder, projects: int, deployments: int) -> None:
    """The fleet on the seeder's store, S3 and router table (seeder.result.served)."""
    FleetSeeding(seeder).seed(projects, deployments)


__all__ = ["CONNECTION", "ROOT_CAUSE", "expected", "layout", "seed_fleet"]


def _path(platform: str) -> str:
    """Each platform's model folder in the fleet's bucket (neither a prefix of the other)."""
    return MM_UPLOAD.key.split("/")[0] if platform == MODELMESH else IRIS_KSERVE.key.split("/")[0]
