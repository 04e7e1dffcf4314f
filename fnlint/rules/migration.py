"""Words the Keras 2 to Keras 3 rules share: which project setting says the code is Keras 2."""

from __future__ import annotations


def keras2_hint(surface) -> str:
    """`; if the project is written for Keras 2, set target-keras = "2"`, for a finding that
    holds only because the code meets Keras 3 (`tf.keras` is Keras 3 from TensorFlow 2.16)."""
    which = "TensorFlow before 2.16 (Keras 2)" if surface == "tf.keras" else "Keras 2"
    return f"; if the project is written for {which}, set `target-keras = \"2\"` in [tool.fnlint]"
