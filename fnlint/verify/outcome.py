"""What verify mode measured for one model, read from the worker's answer."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # the rules read results without loading the recipe and worker machinery
    from fnlint.verify.pool import Outcome
    from fnlint.verify.recipe import Run, Target

DOMINANT_SHARE = 0.9  # a head making more of the weighted loss than this dominates (FN805)
NOT_VERIFIABLE, FAILED, BUILD_ERROR, RUN_ERROR, BUILT, TRAINED = (
    "not verifiable", "failed", "build error", "fit error", "built", "trained")


@dataclass
class RunResult:
    """One compile of the model trained on synthetic data."""

    plan: Run
    losses: list = field(default_factory=list)  # total loss per step
    heads: list = field(default_factory=list)  # {output name: unweighted loss} per step
    error: Optional[dict] = None  # {"at": place key, "stage": compile|fit, "message": ...}
    seconds: float = 0.0

    @property
    def finite(self) -> bool:
        return all(math.isfinite(x) for x in self.losses) and all(
            math.isfinite(v) for step in self.heads for v in step.values())

    def contributions(self) -> Optional[dict]:
        """Each head's weighted loss, averaged over the steps: what the optimizer was given
        of it.  None unless every head's loss and weight is known."""
        weights = dict(self.plan.heads)
        if len(weights) < 2 or not self.heads or not self.finite or \
                any(w is None for w in weights.values()) or \
                any(set(step) != set(weights) for step in self.heads):
            return None
        return {name: weights[name] * sum(step[name] for step in self.heads) / len(self.heads)
                for name in weights}

    def dominant(self, share: float = DOMINANT_SHARE) -> Optional[tuple]:
        """(name, share) of the head making more than `share` of the weighted loss, if any."""
        contributions = self.contributions()
        total = sum(contributions.values()) if contributions else 0.0
        if total <= 0:
            return None
        name, top = max(contributions.items(), key=lambda item: item[1])
        return (name, top / total) if top / total > share else None


@dataclass
class Verified:
    """A target and what became of it."""

    target: Target
    outcome: Optional[Outcome] = None
    runs: list = field(default_factory=list)

    @property
    def result(self) -> dict:
        return (self.outcome.result or {}) if self.outcome is not None else {}

    @property
    def status(self) -> str:
        if self.target.recipe is None:
            return NOT_VERIFIABLE
        if self.outcome is None or self.outcome.failure or "failure" in self.result:
            return FAILED
        if "build_error" in self.result:
            return BUILD_ERROR
        if any(run.error for run in self.runs):
            return RUN_ERROR
        return TRAINED if any(run.losses for run in self.runs) else BUILT

    @property
    def reason(self) -> Optional[str]:
        """Why the model was not verifiable or its verification failed."""
        if self.target.reason:
            return self.target.reason
        if self.outcome is not None:
            return self.outcome.failure or self.result.get("failure")
        return None

    @property
    def keras_model(self) -> Optional[dict]:
        return self.result.get("model")

    @property
    def static_params(self) -> Optional[int]:
        counts = self.target.model.weights()
        return sum(counts) if counts is not None else None

    @property
    def keras_params(self) -> Optional[int]:
        return self.keras_model["params"] if self.keras_model else None

    @property
    def disagreements(self) -> list:
        """Where fnlint's static summary of the model and the model Keras built differ
        (compare.Disagreement, layers matched by position and class: generated names may
        differ); empty when Keras built nothing."""
        if self.keras_model is None or self.target.analysis is None:
            return []
        from fnlint.analyzer.summary import summarize_model
        from fnlint.verify.compare import disagreements

        return disagreements(self.keras_model,
                             summarize_model(self.target.analysis, self.target.model),
                             names=False, op_layers=False)  # built by Keras 3

    @property
    def seconds(self) -> float:
        return self.outcome.seconds if self.outcome is not None else 0.0


def read(target: Target, outcome: Optional[Outcome]) -> Verified:
    verified = Verified(target, outcome)
    answers = verified.result.get("runs", [])
    for plan, answer in zip(target.runs, answers):
        if "skip" in answer:
            continue
        verified.runs.append(RunResult(
            plan, [step["loss"] for step in answer["steps"]],
            [step["heads"] for step in answer["steps"]], answer.get("error"),
            answer.get("seconds", 0.0)))
    return verified
