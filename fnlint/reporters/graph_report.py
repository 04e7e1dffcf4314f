"""`fnlint graph`: each model as a diagram, as `keras.utils.plot_model` draws it — every layer
(a Sequential model's InputLayer too) with its class and output shape, edges along the data
flow, shared layers dashed, layers with findings in red, nested models expanded on request —
in Mermaid (GitHub renders it in a pull-request comment), Graphviz DOT, or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fnlint.reporters.shapes import shapes_text
from fnlint.summaries import SEQUENTIAL, LayerRow

RANKDIRS = ("TB", "LR", "BT", "RL")


@dataclass(frozen=True)
class Options:
    """plot_model's options (`show_shapes` is on by default here: shapes are the point)."""

    show_shapes: bool = True
    show_dtype: bool = False
    rankdir: str = "TB"
    expand_nested: bool = False


@dataclass
class Diagram:
    summary: object
    nodes: list = field(default_factory=list)  # dicts: id, name, class, shape...
    edges: list = field(default_factory=list)  # (from id, to id)
    clusters: list = field(default_factory=list)  # (id, label, Diagram) of expanded models


def diagram(summary, findings: list, options: Options = Options(), summaries=()) -> Diagram:
    """The diagram of one model; `summaries` are the other models of the run, where a nested
    model's own layers are found when `expand_nested` is set."""
    flagged = {f.line for f in findings if f.path == summary.path}
    nested = {(s.path, s.name): s for s in summaries}
    return _diagram(summary, flagged, options, nested, "n", frozenset({summary.name}))


def _rows(summary) -> list:
    """The model's layers as plot_model shows them: a Sequential model's InputLayer first, and
    each of its layers fed by the one before."""
    if summary.kind != SEQUENTIAL:
        return list(summary.rows)
    rows = [LayerRow(name, "InputLayer", summary.line, [shape], 0, [], [], dtype=dtype)
            for name, shape, dtype in summary.inputs[:1]]
    for row in summary.rows:
        previous = rows[-1].name if rows else None
        rows.append(LayerRow(row.name, row.cls, row.line, row.output_shapes, row.params, [],
                             [previous] if previous else [], row.error, row.cause, row.calls,
                             row.lines, row.dtype))
    return rows


def _diagram(summary, flagged: set, options: Options, nested: dict, prefix: str,
             seen: frozenset) -> Diagram:
    result = Diagram(summary)
    entries, exits = {}, {}  # layer name -> ids that edges go into / come out of
    for index, row in enumerate(_rows(summary)):
        node_id = f"{prefix}{index}"
        inner = nested.get((summary.path, row.name)) if options.expand_nested else None
        if inner is not None and inner.rows and inner.name not in seen:
            sub = _diagram(inner, flagged, options, nested, f"{node_id}_", seen | {inner.name})
            result.clusters.append((node_id, f"{row.name} ({row.cls})", sub))
            entries[row.name] = _ends(sub, 1)
            exits[row.name] = _ends(sub, 0)
        else:
            result.nodes.append({
                "id": node_id, "name": row.name, "class": row.cls,
                "shape": shapes_text(row.output_shapes), "dtype": row.dtype,
                "shared": row.calls > 1, "calls": row.calls,
                "finding": bool(flagged & set(row.lines or (row.line,)))})
            entries[row.name] = exits[row.name] = [node_id]
        for source in row.inbound:
            for edge in ((a, b) for a in exits.get(source, ()) for b in entries[row.name]):
                if edge not in result.edges:
                    result.edges.append(edge)
    return result


def _all(d: Diagram) -> tuple:
    """(every node, every edge) of a diagram and its expanded models."""
    nodes, edges = list(d.nodes), list(d.edges)
    for _, _, sub in d.clusters:
        more_nodes, more_edges = _all(sub)
        nodes += more_nodes
        edges += more_edges
    return nodes, edges


def _ends(d: Diagram, side: int) -> list:
    """The ids where data enters (side 1: no edge comes in) or leaves (side 0) a diagram."""
    nodes, edges = _all(d)
    inner = {edge[side] for edge in edges}
    return [node["id"] for node in nodes if node["id"] not in inner]


def _label(node, newline: str, options: Options) -> str:
    parts = [node["name"], node["class"]]
    if options.show_shapes:
        parts.append(node["shape"])
    if options.show_dtype and node["dtype"]:
        parts.append(node["dtype"])
    if node["shared"]:
        parts.append(f"shared: {node['calls']} calls")
    return newline.join(parts)


def title(summary) -> str:
    return f"model '{summary.name}' ({summary.path}:{summary.line})"


def as_json(diagrams: list) -> str:
    models = []
    for d in diagrams:
        nodes, edges = _all(d)
        parents = {n["id"]: cluster for cluster, _, sub in _clusters(d)
                   for n in sub.nodes}
        models.append({"name": d.summary.name, "path": d.summary.path, "line": d.summary.line,
                       "nodes": [dict(n, parent=parents.get(n["id"])) if parents else n
                                 for n in nodes],
                       "edges": [list(e) for e in edges]})
    return json.dumps({"models": models}, indent=2) + "\n"


def _clusters(d: Diagram) -> list:
    found = list(d.clusters)
    for _, _, sub in d.clusters:
        found += _clusters(sub)
    return found


def mermaid(d: Diagram, options: Options = Options()) -> str:
    direction = "TD" if options.rankdir == "TB" else options.rankdir  # Mermaid's own word
    lines = [f"%% {title(d.summary)}", f"flowchart {direction}"]
    lines += _mermaid_body(d, options, "    ")
    nodes, edges = _all(d)
    lines += [f"    {a} --> {b}" for a, b in edges]
    lines.append("    classDef finding fill:#fdd,stroke:#c00,stroke-width:2px")
    lines.append("    classDef shared stroke-dasharray:5 5")
    for kind in ("finding", "shared"):
        marked = [n["id"] for n in nodes if n[kind]]
        if marked:
            lines.append(f"    class {','.join(marked)} {kind}")
    return "\n".join(lines) + "\n"


def _mermaid_body(d: Diagram, options: Options, indent: str) -> list:
    lines = []
    for node in d.nodes:
        label = _label(node, "<br/>", options).replace('"', "#quot;")
        lines.append(f'{indent}{node["id"]}["{label}"]')
    for cluster, label, sub in d.clusters:
        lines.append(f'{indent}subgraph {cluster}["{label.replace(chr(34), "#quot;")}"]')
        lines += _mermaid_body(sub, options, indent + "    ")
        lines.append(f"{indent}end")
    return lines


def dot(d: Diagram, options: Options = Options()) -> str:
    name = d.summary.name.replace("\\", "\\\\").replace('"', '\\"')
    lines = [f'digraph "{name}" {{', f"    rankdir={options.rankdir};",
             '    node [shape=box, fontname="monospace"];']
    lines += _dot_body(d, options, "    ")
    lines += [f"    {a} -> {b};" for a, b in _all(d)[1]]
    return "\n".join(lines + ["}"]) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_body(d: Diagram, options: Options, indent: str) -> list:
    lines = []
    for node in d.nodes:
        label = "\\n".join(_dot_text(part) for part in _label(node, "\n", options).split("\n"))
        style = ', color="red", penwidth=2' if node["finding"] else ""
        style += ', style="dashed"' if node["shared"] else ""
        lines.append(f'{indent}{node["id"]} [label="{label}"{style}];')
    for cluster, label, sub in d.clusters:
        lines.append(f'{indent}subgraph cluster_{cluster} {{')
        lines.append(f'{indent}    label="{_dot_text(label)}";')
        lines += _dot_body(sub, options, indent + "    ")
        lines.append(f"{indent}}}")
    return lines


def document(diagrams: list, fmt: str, options: Options = Options()) -> str:
    """What `fnlint graph` prints: one model, its diagram; several Mermaid diagrams, one
    Markdown document with a fenced block each (each block a valid Mermaid diagram); several
    DOT graphs, one after the other (Graphviz reads them all); JSON, one object."""
    if fmt == "json":
        return as_json(diagrams)
    if fmt == "dot":
        return "\n".join(dot(d, options) for d in diagrams)
    if len(diagrams) == 1:
        return mermaid(diagrams[0], options)
    blocks = [f"## {title(d.summary)}\n\n```mermaid\n{mermaid(d, options)}```\n"
              for d in diagrams]
    return "\n".join(blocks)


def one(d: Diagram, fmt: str, options: Options = Options()) -> str:
    """One model's diagram, for `--output DIR`."""
    return as_json([d]) if fmt == "json" else dot(d, options) if fmt == "dot" else \
        mermaid(d, options)


def file_name(summary, extension: str, taken: set) -> str:
    """`model.py` + model 'encoder' -> `model.encoder.mmd`; names from the code are reduced to
    safe characters, and a second model of one name gets its line."""
    import re
    from pathlib import Path

    def safe(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "model"

    name = f"{safe(Path(summary.path).stem)}.{safe(summary.name)}"
    if name in taken:
        name += f"-{summary.line}"
    while name in taken:
        name += "_"
    taken.add(name)
    return f"{name}.{extension}"
