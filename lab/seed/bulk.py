"""Many deployments and events, for the console's scale benchmarks: one bulk-project
(`--bulk 1000,5000`), or spread over many projects (`--bulk 10000,0,500`: bulk-000 … bulk-499)."""

from __future__ import annotations

from lab import objects
from lab.kube.store import Store
from lab.seed.base import CONNECTION


def seed_bulk(store: Store, deployments: int, events: int, projects: int = 1) -> None:
    """`deployments` and `events` in one bulk-project, or spread evenly over `projects`."""
    if projects <= 1:
        _seed_project(store, "bulk-project", deployments, events)
        return
    width = len(str(projects - 1))
    for index in range(projects):
        share = deployments // projects + (index < deployments % projects)
        events_share = events // projects + (index < events % projects)
        _seed_project(store, f"bulk-{index:0{width}d}", share, events_share)


def _seed_project(store: Store, project: str, deployments: int, events: int) -> None:
    ns = store.put(
        objects.namespace(
            project,
            {**objects.DASHBOARD, "modelmesh-enabled": "false"},
            {"openshift.io/display-name": "Bulk (benchmark)"},
        )
    )
    store.put(objects.project(ns))
    for index in range(deployments):
        name = f"model-{index:04d}"
        state = "FailedToLoad" if index % 17 == 0 else "Loaded"
        isvc = store.put(
            {
                "kind": "InferenceService",
                "metadata": {
                    "name": name,
                    "namespace": project,
                    "labels": dict(objects.DASHBOARD),
                    "annotations": {"serving.kserve.io/deploymentMode": "Serverless"},
                },
                "spec": {
                    "predictor": {
                        "model": {
                            "modelFormat": {"name": "onnx", "version": "1"},
                            "runtime": name,
                            "storage": {"key": CONNECTION, "path": name},
                        }
                    }
                },
                "status": {
                    "modelStatus": {
                        "states": {"activeModelState": state, "targetModelState": state}
                    }
                },
            }
        )
        if index < events:
            store.put(
                objects.event(
                    project, isvc, "InferenceServiceReady", f"InferenceService [{name}] is Ready"
                )
            )
    for index in range(max(0, events - deployments)):
        involved = {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": f"model-{index % max(deployments, 1):04d}-pod-{index}"},
        }
        store.put(
            objects.event(
                project,
                involved,
                "BackOff" if index % 5 == 0 else "Pulled",
                f"event {index}",
                type_="Warning" if index % 5 == 0 else "Normal",
            )
        )
