"""Seeds the lab: cluster-wide RBAC and users, then each scenario's project as the dashboard and
controllers would leave it, with statuses taken from what the runtime met when it loaded the model.

One module per controller that creates the objects in a real cluster: `cluster` (installation),
`dashboard`, `modelmesh`, `kserve`, `status` (status and routes), `standard` (3.x Standard models), `bulk` (benchmarks).
Last, `raw_owners` gives every running Standard predictor the names, labels, owners and ports
KServe, odh-model-controller and the kube Deployment controller give it (controllers.md §1);
tests/core/test_lab_objects_as_controllers_make_them.py holds the result to that reference.
"""

from __future__ import annotations

from lab.scenarios import SCENARIOS
from lab.seed.base import Seeded
from lab.seed.bulk import seed_bulk
from lab.seed.causes import CausesSeeding
from lab.seed.cluster import ClusterSeeding
from lab.seed.connections import ConnectionSeeding
from lab.seed.dashboard import DashboardSeeding
from lab.seed.kserve import KServeSeeding
from lab.seed.llm import LlmSeeding
from lab.seed.llmd import LLMDSeeding
from lab.seed.migration import MigrationSeeding
from lab.seed.modelmesh import ModelMeshSeeding
from lab.seed.raw_owners import shape_raw_predictors
from lab.seed.rbac_proxy import RbacProxySeeding
from lab.seed.standard import StandardSeeding
from lab.seed.status import StatusSeeding
from lab.seed.storage_variants import StorageVariantSeeding
from lab.seed.vllm import VllmSeeding


class Seeder(
    StorageVariantSeeding,
    CausesSeeding,
    StandardSeeding,
    ClusterSeeding,
    DashboardSeeding,
    ModelMeshSeeding,
    KServeSeeding,
    StatusSeeding,
    ConnectionSeeding,
    VllmSeeding,
    RbacProxySeeding,
    LlmSeeding,
    LLMDSeeding,
    MigrationSeeding,
):
    """Every part of the seeding, on one store."""


def seed_all(seeder: Seeder) -> Seeded:
    seeder.seed_cluster()
    for scenario in SCENARIOS:
        if scenario.connection_kind:
            seeder.seed_connection_scenario(scenario)
        elif scenario.runtime_kind == "vllm":
            seeder.seed_vllm(scenario)
        else:
            seeder.seed_scenario(scenario)
    seeder.seed_llmd()
    seeder.seed_migration()
    shape_raw_predictors(seeder.store)  # last: what the controllers add to every predictor
    return seeder.result


__all__ = ["Seeded", "Seeder", "seed_all", "seed_bulk", "shape_raw_predictors"]
