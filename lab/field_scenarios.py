"""Scenarios of the 2026 field (issue 11): llm-d deployments (LLMInferenceService) and a project
left half-way through the 2.x -> 3.x migration. Kept apart from SCENARIOS, whose shape is one
InferenceService per project; each is still one project with one target and one root cause."""

from __future__ import annotations

from dataclasses import dataclass

ISVC, LLMISVC = "isvc", "llmisvc"


@dataclass(frozen=True)
class FieldScenario:
    project: str
    title: str
    kind: str
    deployment: str
    root_cause: str | None  # the check that names the fault (None: healthy)
    verdict: str = "fail"  # what the root cause reports: "fail", or "warn" for a pending chore
    others: tuple[str, ...] = ()  # the project's other deployments

    @property
    def deployments(self) -> tuple[str, ...]:
        return (self.deployment, *self.others)

    @property
    def healthy(self) -> bool:
        return self.root_cause is None


FIELD_SCENARIOS: tuple[FieldScenario, ...] = (
    FieldScenario(
        "llmd-httproute",
        "llm-d model whose HTTPRoute has no Gateway to attach to",
        LLMISVC,
        "qwen",
        "deployment-status",
    ),
    FieldScenario(
        "llmd-healthy",
        "Healthy llm-d model behind its own Gateway with an AuthPolicy",
        LLMISVC,
        "granite",
        None,
    ),
    FieldScenario(
        "migr-half",
        "Half-migrated project: fraud (Serverless) beside fraud-raw (RawDeployment)",
        ISVC,
        "fraud",
        "migration",
        verdict="warn",
        others=("fraud-raw",),
    ),
)

# Every deployment the lab serves: one per classic scenario, plus these.
FIELD_DEPLOYMENTS = sum(len(s.deployments) for s in FIELD_SCENARIOS)
