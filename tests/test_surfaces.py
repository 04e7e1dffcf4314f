"""Each file's Keras names are checked against the surface it speaks: `keras` (Keras 3),
`tf.keras` (Keras 3's `keras._tf_keras`), `tf_keras` and Keras-2 projects (Keras 2), never
private modules or dunders; functions Keras calls later are checked too."""

import textwrap

from fnlint.analyzer import analyze_source
from fnlint.facts import Facts
from fnlint.rules import all_rules

RULES = all_rules()


def codes(source, target="3"):
    analysis = analyze_source(textwrap.dedent(source), "example.py", target=target)
    return sorted((f.line, f.code, f.message, f.suggestion or "")
                  for rule in RULES for f in rule.check(Facts.of(analysis)))


def test_tf_keras_keeps_keras_2_backend_functions_that_keras_3_lacks():
    source = """\
        import tensorflow as tf
        import keras
        def width(x):
            return tf.keras.backend.int_shape(x)[-1]
        def other(x):
            return keras.backend.int_shape(x)[-1]
        """
    found = codes(source)
    assert [(line, code) for line, code, _, _ in found] == [(6, "FN202")]
    message, suggestion = found[0][2:]
    assert "`keras.backend` has no attribute `int_shape` in Keras 3" in message
    assert "x.shape" in suggestion
    assert codes(source, target="2") == []


def test_keras_2_target_checks_against_keras_2():
    source = """\
        import keras
        from tensorflow import keras as tfk
        x = keras.layers.Conv2d
        y = tfk.layers.ThresholdedReLU(theta=1.0)
        z = keras.ops.mean
        w = keras.utils.multi_gpu_model  # Keras 2.3's: maybe an older Keras 2's name
        """
    found = codes(source, "2")
    assert [(line, code) for line, code, _, _ in found] == [(3, "FN202")]
    assert "in Keras 2" in found[0][2] and "Conv2D" in found[0][3]
    on_keras_3 = [(line, code) for line, code, _, _ in codes(source, "3")]
    assert on_keras_3 == [(3, "FN202"), (6, "FN202")]  # keras.ops is Keras 3's


def test_names_tried_for_several_kerases_are_not_reported():
    source = """\
        try:
            from keras.utils import tf_utils
        except ImportError:
            from keras.src.utils import tf_utils
        try:
            import keras.backend as K
            mean = K.mean
        except AttributeError:
            mean = None
        try:
            from keras.layers import Conv2d
        except ValueError:
            pass
        """
    assert [(line, code) for line, code, _, _ in codes(source)] == [(11, "FN202")]


def test_tf_keras_is_keras_2_whatever_the_target():
    source = """\
        import tf_keras
        opt = tf_keras.optimizers.SGD(lr=0.01, decay=1e-6)
        size = tf_keras.backend.int_shape
        bad = tf_keras.layers.Conv2d(3, 3)
        """
    for target in ("3", "2"):
        found = codes(source, target)
        assert [(line, code) for line, code, _, _ in found] == [(4, "FN202")], target
        assert "in Keras 2" in found[0][2] and "Conv2D" in found[0][3]


def test_keras_2_api_that_keras_3_removed_names_the_target_setting():
    found = codes("""\
        import keras
        layer = keras.layers.LocallyConnected2D(4, 3)
        """)
    assert [(line, code) for line, code, _, _ in found] == [(2, "FN202")]
    assert "Keras 2 API" in found[0][3] and 'target-keras = "2"' in found[0][3]


def test_private_modules_and_dunders_are_never_reported():
    source = """\
        import keras
        import keras.src.backend as backend
        from keras.src.utils.module_utils import tensorflow as tf_module
        from keras.src.legacy.backend import int_shape
        version = keras.__version__
        path = keras.layers.__file__, keras.src.whatever.__name__
        dtype = backend.standardize_dtype
        """
    assert codes(source) == []


def test_functions_keras_calls_later_are_checked_once_where_they_read_the_module():
    source = """\
        import keras
        import keras.backend as K
        class Scale(keras.layers.Layer):
            def call(self, x):
                return K.mean(x) * K.epsilon()
        def metric(y_true, y_pred):
            return K.mean(y_pred)
        def shadowed(K, y):
            return K.mean(y)
        def rebound(y):
            import numpy as K
            return K.mean(y)
        @keras.saving.register_keras_serializable()
        def called(y):
            return K.sum(y)
        def twice(y):
            return K.prod(y)
        twice(1)
        twice(2)
        layer = keras.layers.Lambda(lambda t: K.max(t))
        def annotated(layer: K.Layerr) -> K.Tensorr:  # annotations: not run here
            local: K.Whatever = 1
            return local
        def branches(x, *args, **kwargs):
            if x:
                return 1
            if x > 1:
                y = 2
            else:
                y = [K.min(v) for v in args]
            return y
        """
    found = [(line, code, message.split("`")[3]) for line, code, message, _ in codes(source)]
    assert found == [(5, "FN202", "mean"), (7, "FN202", "mean"), (15, "FN202", "sum"),
                     (17, "FN202", "prod"), (20, "FN202", "max"), (30, "FN202", "min")]


def test_migration_findings_stay_once_per_site_on_keras_3():
    source = """\
        import keras
        from keras.optimizers import SGD
        def make():
            return SGD(lr=0.01)
        a = make()
        b = make()
        """
    found = codes(source)
    assert [(line, code) for line, code, _, _ in found] == [(4, "FN701")]
    assert "learning_rate=" in found[0][3]
    assert codes(source, "2") == []
