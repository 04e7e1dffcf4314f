"""The per-model table of a verify run: built or not, parameters (fnlint / Keras), steps,
each head's loss at the first and last step with its share of the total, and time."""

from __future__ import annotations

from rich.table import Table

from fnlint.verify.outcome import DOMINANT_SHARE


def render(session, console) -> None:
    table = Table(title=f"verified in real Keras {session.keras.get('keras', '')}".rstrip(),
                  title_justify="left", show_lines=True)
    for column, justify in (("model", "left"), ("status", "left"),
                            ("params fnlint / Keras", "right"), ("compile", "left"),
                            ("steps", "right"), ("loss first → last (share)", "left"),
                            ("time", "right")):
        table.add_column(column, justify=justify, overflow="fold")
    for verified in session.verified:
        target = verified.target
        model = f"{target.path}:{target.line or '?'} {target.name}"
        status = verified.status + (f": {verified.reason}" if verified.reason else "")
        params = f"{_count(verified.static_params)} / {_count(verified.keras_params)}"
        if not verified.runs:
            table.add_row(model, status, params, "", "", "", f"{verified.seconds:.1f} s")
            continue
        for n, run in enumerate(verified.runs):
            table.add_row(model if n == 0 else "", status if n == 0 else "",
                          params if n == 0 else "", _compile(run), str(len(run.losses)),
                          _losses(run), f"{run.seconds:.1f} s")
    console.print(table)
    console.print(f"{len(session.verified)} models, TensorFlow import "
                  f"{session.keras.get('import_seconds', 0):.1f} s, total "
                  f"{session.seconds:.1f} s")


def _count(value) -> str:
    return f"{value:,}" if value is not None else "?"


def _compile(run) -> str:
    where = "fnlint's default compile" if not run.plan.from_source else \
        f"compile at line {run.plan.compile_line}"
    if run.error:
        where += f"\n{run.error['stage']} failed"
    return where


def _losses(run) -> str:
    if not run.losses:
        return "-"
    lines = [f"total {run.losses[0]:.4g} → {run.losses[-1]:.4g}"]
    contributions = run.contributions()
    total = sum(contributions.values()) if contributions else 0
    first, last = run.heads[0], run.heads[-1]
    for name in first if len(first) > 1 else ():
        share = f" ({contributions[name] / total:.0%})" if contributions and total else ""
        lines.append(f"{name} {first[name]:.4g} → {last.get(name, float('nan')):.4g}{share}")
    if contributions:
        found = run.dominant()
        lines.append(f"'{found[0]}' dominates ({found[1]:.0%})" if found else
                     f"no head over {DOMINANT_SHARE:.0%}")
    return "\n".join(lines)
