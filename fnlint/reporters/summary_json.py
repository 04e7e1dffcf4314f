"""`fnlint summary --format json`: one object per model (a contract tools read)."""

from __future__ import annotations

import json

from fnlint.reporters.shapes import shape_json


def model_dict(summary) -> dict:
    return {
        "path": summary.path,
        "line": summary.line,
        "variable": summary.variable,
        "name": summary.name,
        "kind": summary.kind,
        "status": summary.status,
        "reason": summary.reason,
        "cause": summary.cause,
        "inputs": [{"name": n, "shape": shape_json(s), "dtype": d} for n, s, d in summary.inputs],
        "outputs": [{"name": n, "shape": shape_json(s)} for n, s in summary.outputs],
        "total_params": summary.total,
        "trainable_params": summary.trainable,
        "non_trainable_params": summary.non_trainable,
        "notes": list(summary.notes),
        "layers": [
            {
                "name": row.name,
                "class": row.cls,
                "line": row.line,
                "output_shape": shape_json(row.output_shapes[0]) if len(row.output_shapes) == 1
                else [shape_json(s) for s in row.output_shapes],
                "params": row.params,
                "inbound": row.inbound,
            }
            for row in summary.rows
        ],
    }


def render(summaries: list) -> str:
    return json.dumps([model_dict(s) for s in summaries], indent=2, ensure_ascii=False) + "\n"
