"""The committed Keras catalog: what the analyzer reads, and (with Keras installed) a check
that it is not stale."""

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from fnlint import catalog
from fnlint.analyzer.layers import lookup

HAS_KERAS = importlib.util.find_spec("keras") is not None
HAS_TF_KERAS = importlib.util.find_spec("tf_keras") is not None


def test_layer_signatures_and_aliases_come_from_the_catalog():
    dense = lookup("Dense")
    assert dense.params[:3] == ("units", "activation", "use_bias")
    assert dense.required == ("units",)
    assert dense.accepts("kernel_initializer") and not dense.accepts("activaton")
    assert lookup("GlobalMaxPool1D").name == "GlobalMaxPooling1D"
    assert lookup("Convolution2D").name == "Conv2D"
    assert lookup("GroupQueryAttention").name == "GroupedQueryAttention"
    assert lookup("Conv2d") is None


def test_keywords_popped_from_kwargs_are_accepted():
    assert lookup("LayerNormalization").accepts("rms_scaling")
    assert lookup("Dense").accepts("input_shape")
    assert not lookup("Dense").accepts("batch_input_shape")  # Keras 3 refuses it


def test_identifiers_keras_accepts():
    assert "relu" in catalog.identifiers("activation")
    assert "categorical_crossentropy" in catalog.identifiers("loss")
    assert "adam" in catalog.identifiers("optimizer")
    assert "accuracy" in catalog.identifiers("metric")
    assert catalog.identifiers("padding") == ("valid", "same", "causal")


def test_applications_table_has_measured_counts():
    xception = catalog.application("Xception")
    assert xception["base_weights"] == [20806952, 54528]
    assert xception["default_size"] == 299
    assert catalog.application("ResNet50")["top_per_class"] == 2049


def test_each_surface_has_its_own_names():
    """`tf.keras` (Keras 3's `keras._tf_keras`) keeps Keras 2's backend functions and a few
    layers; Keras 2 has neither `keras.ops` nor Keras 3's newer layers."""
    assert "int_shape" in catalog.module_names("keras.backend", "tf.keras")
    assert "int_shape" not in catalog.module_names("keras.backend")
    assert "mean" in catalog.module_names("keras.backend", "keras2")
    assert "RandomHeight" in catalog.module_names("keras.layers", "tf.keras")
    assert "Reduction" in catalog.module_names("keras.losses", "tf.keras")
    assert "RandomHeight" not in catalog.module_names("keras.layers")
    assert "ops" in catalog.module_names("keras") and \
        "ops" not in catalog.module_names("keras", "keras2")
    assert catalog.module_names("keras.ops", "keras2") is None
    assert "ThresholdedReLU" in catalog.module_names("keras.layers", "keras2")
    assert "np_utils" in catalog.module_names("keras.utils", "keras2")  # Keras <= 2.12's module


def test_surfaces_share_what_is_identical_and_differ_in_keywords():
    dense3 = catalog.callable_signature("keras.layers", "Dense")
    assert catalog.callable_signature("keras.layers", "Dense", "tf.keras") is dense3
    dense2 = catalog.callable_signature("keras.layers", "Dense", "keras2")
    assert dense2.accepts("weights") and dense2.accepts("units") and not dense2.accepts("lora_rank")
    assert not dense3.accepts("weights") and dense3.accepts("lora_rank")
    assert catalog.model_method("fit", "keras2").accepts("workers")
    assert not catalog.model_method("fit").accepts("workers")
    assert catalog.callable_signature("keras.layers", "AdaptiveAveragePooling2D", "keras2") is None
    assert "logcosh" in catalog.identifiers("metric", "keras2")
    assert "logcosh" not in catalog.identifiers("metric")
    assert catalog.surface_version("keras2").startswith("2.")


@pytest.mark.skipif(not HAS_KERAS, reason="needs the verify extra")
def test_committed_catalog_matches_the_installed_keras(tmp_path):
    """Fails when Keras (or tf_keras, when installed: the Keras 2 surface) changed:
    regenerate with `python -m fnlint.catalog.generate --part api`."""
    subprocess.run([sys.executable, "-m", "fnlint.catalog.generate", "--part", "api",
                    "--output", str(tmp_path)], check=True, cwd=ROOT, timeout=600)
    for name in ("layers", "api", "surfaces") if HAS_TF_KERAS else ("layers", "api"):
        fresh = json.loads((tmp_path / f"{name}.json").read_text())
        committed = json.loads((ROOT / "fnlint" / "catalog" / f"{name}.json").read_text())
        assert fresh == committed, f"{name}.json is stale for the installed Keras"


@pytest.mark.slow
@pytest.mark.skipif(not HAS_KERAS, reason="needs the verify extra")
def test_application_entries_match_the_installed_keras():
    script = ("import json; from fnlint.catalog.generate import applications_part; "
              "print(json.dumps(applications_part(['MobileNet', 'DenseNet121'])))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT, timeout=900)
    fresh = json.loads(result.stdout.strip().splitlines()[-1])
    for name, entry in fresh.items():
        committed = catalog.application(name)
        entry["output_sizes"] = {str(k): v for k, v in entry["output_sizes"].items()}
        assert entry == committed, name



def test_every_application_has_a_measured_minimum_size():
    """Measured by building each network (`smallest_input_size`): a `null` once crashed the
    summary of every file using ResNet50V2 or MobileNetV3."""
    import dataclasses

    from fnlint.analyzer.layers.applications import application
    from fnlint.analyzer.layers.spec import ShapeError

    table = json.loads((ROOT / "fnlint" / "catalog" / "applications.json").read_text())
    sizes = {name: entry.get("min_size") for name, entry in table["applications"].items()}
    assert all(isinstance(size, int) and size >= 1 for size in sizes.values()), sizes
    assert sizes["ResNet50V2"] == sizes["MobileNetV3Small"] == sizes["ResNet50"] == 32
    with pytest.raises(ShapeError):
        application("ResNet50V2").spatial(16)
    unmeasured = dataclasses.replace(application("ResNet50V2"), min_size=None)
    assert unmeasured.spatial(64) == 2  # no minimum known: none checked, no crash
