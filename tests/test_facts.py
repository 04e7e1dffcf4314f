"""fnlint.facts: what rules see of an analysis, and run_rules, which hands it to them."""

import ast
import textwrap

from conftest import ROOT

from fnlint.analyzer import analyze_source
from fnlint.facts import Facts, UndefinedName, UnknownKeyword, events, format_shape
from fnlint.rules import Rule, run_rules

SOURCE = textwrap.dedent("""\
    import keras
    from keras import layers
    inputs = keras.Input(shape=(28, 28))
    x = layers.Flatten()(inputs)
    x = layers.Dense(64, activaton="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x_trian, epochs=3)
    """)


def test_every_event_the_analyzer_records_has_a_typed_fact():
    recorded = set()
    for path in (ROOT / "fnlint" / "analyzer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "event" and node.args and \
                    isinstance(node.args[0], ast.Constant):
                recorded.add(node.args[0].value)
    assert recorded and recorded <= set(events.KINDS)


def test_facts_carry_models_calls_compiles_and_typed_events_with_spans():
    facts = Facts.of(analyze_source(SOURCE, "model.py"))
    (model,) = facts.models
    assert (model.kind, model.variable, facts.span(model).line) == ("functional", "model", 7)
    dense = [call for call in facts.calls if call.cls == "Dense"]
    assert [(facts.span(call).line, format_shape(call.outputs[0])) for call in dense] == \
        [(5, "(None, 64)"), (6, "(None, 10)")]
    assert facts.call(dense[1].inputs[0].node_id) is dense[0]
    assert facts.upstream(dense[1].id) >= {dense[0].id, model.inputs[0].node_id}
    assert [c.name for c in facts.consumers(dense[0].id)] == [dense[1].name]
    assert facts.from_input(model.outputs[0])
    ((compiled_model, _, compiled),) = facts.compiled
    assert compiled_model is model
    assert [(h.name, h.loss.name) for h in compiled.heads] == \
        [(dense[1].name, "categorical_crossentropy")]
    (keyword,) = facts.events_of(UnknownKeyword)
    assert (keyword.keyword, keyword.callee, facts.span(keyword).line) == \
        ("activaton", "keras.layers.Dense", 5)
    (undefined,) = facts.events_of(UndefinedName)
    assert undefined.name == "x_trian" and {"x", "model", "inputs"} <= undefined.visible
    assert Facts.of(facts) is facts


def test_run_rules_builds_the_facts_once_and_a_failing_rule_costs_only_its_findings():
    class Exploding(Rule):
        code, name = "FN999", "exploding"

        def check(self, facts):
            raise RuntimeError("simulated rule bug")

    class EveryDense(Rule):
        code, name = "FN998", "every-dense"

        def check(self, facts):
            seen.append(facts)
            return (self.finding(facts, layer, "a Dense") for layer in facts.layers
                    if layer.cls_name == "Dense")

    seen = []
    found = run_rules([Exploding(), EveryDense(), EveryDense()],
                      analyze_source(SOURCE, "model.py"))
    assert [(f.code, f.line, f.column) for f in found] == \
        [("FN000", 1, 1), ("FN998", 5, 5), ("FN998", 6, 11), ("FN998", 5, 5), ("FN998", 6, 11)]
    assert "internal error in FN999: RuntimeError: simulated rule bug" in found[0].message
    assert seen[0] is seen[1]
