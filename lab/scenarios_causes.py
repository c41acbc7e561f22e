"""Scenarios where a cause hides behind its consequences (issue 23 item 5 and 3): a predictor pod
that cannot become ready (an init container crash-looping with a log no signature knows; the
model server killed by its liveness probe), and an InferenceService no controller reconciled.
Seeded by lab/seed/causes.py on top of what the dashboard and controllers leave."""

from __future__ import annotations

from lab.scenario_types import IRIS_KSERVE, IRIS_MM, KSERVE, MODELMESH, Scenario

INIT_CRASH, LIVENESS, UNRECONCILED = "init-crash", "liveness-killed", "unreconciled"
OAUTH_2X = "2.x KServe Raw: oauth-proxy in the predictor pod"

CAUSE_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "cause-init-crash",
        "storage-initializer crash-loops with an error no signature knows (no space left)",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="runtime-pods",
        enable_auth=False,
        standard=True,
        pod_fault=INIT_CRASH,
    ),
    Scenario(
        "cause-liveness",
        "The model server is killed by its liveness probe before it finishes loading",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="runtime-pods",
        enable_auth=False,
        standard=True,
        pod_fault=LIVENESS,
    ),
    Scenario(
        "auth-2x-denied",
        "2.x KServe Raw behind oauth-proxy: the token's service account may not get the model",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="token",
        role_binding=False,
        kube_rbac_proxy=True,  # seeded as 3.x first, then turned into 2.x (lab/seed/causes.py)
        notes=(OAUTH_2X,),
    ),
    Scenario(
        "cause-unreconciled",
        "A ModelMesh InferenceService in a project without modelmesh-enabled: never reconciled",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
        root_cause="deployment-status",
        enable_route=False,
        pod_fault=UNRECONCILED,
    ),
)
