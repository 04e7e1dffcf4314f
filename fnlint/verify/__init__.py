"""Verify mode: the models fnlint resolved, rebuilt and trained for a few steps in real Keras.

The user's script is never run.  `recipe` turns each resolved model of a `ModuleAnalysis` into
a JSON recipe (layer classes with their constant arguments, the wiring, compile arguments and
a plan for synthetic data); `pool` hands recipes to worker subprocesses (`worker`, the only
code that imports TensorFlow) with a time and memory limit each; the FN8xx rules judge what
came back.
"""
