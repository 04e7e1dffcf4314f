"""One verify session: recipes from the analyzed files, workers, and the FN8xx rules' findings
added to each file's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from fnlint.rules import run_rules
from fnlint.verify import outcome, pool, recipe


@dataclass
class Options:
    steps: int = 5
    timeout: float = 120.0
    jobs: int = 1
    memory_mb: Optional[int] = 8192


@dataclass
class Session:
    verified: list = field(default_factory=list)  # outcome.Verified, in source order
    keras: dict = field(default_factory=dict)  # the first worker's ready line
    seconds: float = 0.0

    def failed(self) -> list:
        """The models whose verification failed: timed out, over the memory limit, or the
        worker crashed.  Like an FN000, they make the run exit 2."""
        return [v for v in self.verified if v.status == outcome.FAILED]


def verify(reports: list, rules: list, options: Options,
           progress: Callable[[outcome.Verified, int, int], None] = lambda v, d, t: None
           ) -> Session:
    """Verify every model of the reports' analyses; the verify rules' findings are appended
    to each report's (raw) findings.  Raises pool.Unavailable without TensorFlow."""
    import time

    started = time.perf_counter()
    pairs = [(report, target) for report in reports
             if report.analysis is not None and report.analysis.module is not None
             for target in recipe.targets(report.analysis)]
    todo = [i for i, (_, target) in enumerate(pairs) if target.recipe is not None]
    count = {"done": 0}

    def done(index: int, result: pool.Outcome) -> None:
        count["done"] += 1
        progress(outcome.read(pairs[todo[index]][1], result), count["done"], len(todo))

    outcomes, info = pool.run([pairs[i][1].recipe for i in todo], options.steps,
                              options.timeout, options.jobs, options.memory_mb, done)
    by_pair = dict(zip(todo, outcomes))
    session = Session(keras=info)
    for index, (report, target) in enumerate(pairs):
        verified = outcome.read(target, by_pair.get(index))
        session.verified.append(verified)
        report.findings.extend(run_rules(rules, report.analysis, verified))
    session.seconds = time.perf_counter() - started
    return session
