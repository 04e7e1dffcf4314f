"""`fnlint summary --stats`: how much of the code's models fnlint resolves, and why not the
rest — the coverage measure of the shape engine."""

from __future__ import annotations

from collections import Counter

from fnlint.summaries import per_site


def render(builds: list, files: int) -> str:
    summaries = per_site(builds)
    total = len(summaries)
    kinds = Counter(s.cls if s.kind == "application" else s.kind for s in summaries)
    statuses = Counter(s.status for s in summaries)
    lines = [f"{total} model{'s' if total != 1 else ''} in {files} file"
             f"{'s' if files != 1 else ''}: "
             + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
             + (f" ({len(builds)} builds: a loop or a function called more than once builds"
                " some of them again; each counts once, as its least resolved build)"
                if len(builds) > total else "")]
    for status in ("complete", "partial", "unresolved"):
        share = 100.0 * statuses[status] / total if total else 0.0
        lines.append(f"  {status:<11}{statuses[status]:>6}  {share:5.1f}%")
    causes = Counter(s.cause or "unknown" for s in summaries if s.status != "complete")
    if causes:
        lines.append("why not complete:")
        for cause, n in causes.most_common():
            lines.append(f"  {n:>6}  {cause}")
            example = next(s for s in summaries if s.status != "complete"
                           and (s.cause or "unknown") == cause)
            lines.append(f"          e.g. {example.where}: {example.reason}")
    return "\n".join(lines) + "\n"
