"""One verify session: the files' recipes built and trained in Keras workers, and what each
model's run gave (the verify rules judge it in `fnlint.pipeline`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from fnlint.verify import outcome, pool


@dataclass
class Options:
    steps: int = 5
    timeout: float = 120.0
    jobs: int = 1
    memory_mb: Optional[int] = 8192


@dataclass
class Session:
    verified: list = field(default_factory=list)  # outcome.Verified, in source order
    groups: list = field(default_factory=list)  # the Verified of each file, in its order
    keras: dict = field(default_factory=dict)  # the first worker's ready line
    seconds: float = 0.0

    def failed(self) -> list:
        """The models whose verification failed: timed out, over the memory limit, or the
        worker crashed.  Like an FN000, they make the run exit 2."""
        return [v for v in self.verified if v.status == outcome.FAILED]


def verify(targets: list, options: Options,
           progress: Callable[[outcome.Verified, int, int], None] = lambda v, d, t: None
           ) -> Session:
    """Build and train the models of each file (`targets`: a list of `recipe.Target` per file,
    from `recipe.targets` of its analysis) in Keras workers.  Raises pool.Unavailable without
    TensorFlow."""
    import time

    started = time.perf_counter()
    pairs = [(index, target) for index, group in enumerate(targets) for target in group]
    todo = [i for i, (_, target) in enumerate(pairs) if target.recipe is not None]
    count = {"done": 0}

    def done(index: int, result: pool.Outcome) -> None:
        count["done"] += 1
        progress(outcome.read(pairs[todo[index]][1], result), count["done"], len(todo))

    outcomes, info = pool.run([pairs[i][1].recipe for i in todo], options.steps,
                              options.timeout, options.jobs, options.memory_mb, done)
    by_pair = dict(zip(todo, outcomes))
    session = Session(keras=info, groups=[[] for _ in targets])
    for index, (of, target) in enumerate(pairs):
        verified = outcome.read(target, by_pair.get(index))
        session.verified.append(verified)
        session.groups[of].append(verified)
    session.seconds = time.perf_counter() - started
    return session
