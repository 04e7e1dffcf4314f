"""One finding per site: loop iterations and inlined call sites that reach the same line give
one finding, and the message says when they disagree."""

from conftest import findings_in
from fnlint.findings import Finding, one_per_site


def test_a_finding_in_a_loop_is_reported_once():
    found = findings_in("""
        import keras
        inp = keras.Input(shape=(8,))
        model = keras.Model(inp, keras.layers.Dense(1)(inp))
        model.compile(loss="mse")
        for epoch in range(100):
            model.fit(inp, inp)
        """)
    assert [(f.code, f.line) for f in found] == [("FN601", 7)]
    assert not found[0].message.startswith("at ")


def test_call_sites_that_disagree_are_counted_in_the_message():
    found = findings_in("""
        import keras
        def train(model, data):
            model.fit(data, data)
        first = keras.Input(shape=(8,))
        second = keras.Input(shape=(4,))
        for inp in (first, second, first):
            net = keras.Model(inp, keras.layers.Dense(1)(inp))
            net.compile(loss="mse")
            train(net, inp)
        """)
    assert [(f.code, f.line) for f in found] == [("FN601", 4)]
    assert found[0].message.startswith("at 2 call sites or loop iterations, e.g. ")
    assert "`first`" in found[0].message


def test_distinct_codes_and_spans_are_kept():
    def finding(code, line, column, message="m"):
        return Finding("a.py", line, column, code, "name", "error", message)

    findings = [finding("FN201", 1, 1), finding("FN201", 1, 1), finding("FN201", 1, 5),
                finding("FN202", 1, 1), finding("FN201", 2, 1, "other")]
    kept = one_per_site(findings)
    assert [(f.code, f.line, f.column, f.message) for f in kept] == [
        ("FN201", 1, 1, "m"), ("FN201", 1, 5, "m"), ("FN202", 1, 1, "m"),
        ("FN201", 2, 1, "other")]
