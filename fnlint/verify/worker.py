"""The verify worker: the one part of fnlint that imports Keras (and so TensorFlow).

Run as `python -m fnlint.verify.worker` by `fnlint.verify.pool`.  It reads one JSON request per
line on stdin — a recipe from `fnlint.verify.recipe` — rebuilds the model from it, trains each
of its compiles for a few steps on synthetic data, and answers one JSON line per request on
its private channel (the original stdout; anything Keras or TensorFlow print goes to stderr).
Nothing of the user's script is imported or run: a recipe names only Keras and TensorFlow
objects and constants.
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import time

from fnlint.verify import allowed


class Refused(BaseException):
    """A recipe names something `fnlint.verify.allowed` does not allow: never called.  A
    BaseException, so that no `except Exception` of the build reports it as Keras' error."""

    def __init__(self, what: str) -> None:
        super().__init__(f"verify mode does not call {what}")


class BuildError(Exception):
    """Keras refused part of the model; `at` is the recipe key of that part."""

    def __init__(self, at: str, error: BaseException) -> None:
        super().__init__(str(error))
        self.at = at
        self.error = error


def message(error: BaseException) -> str:
    """What Keras or TensorFlow said, without the stack of graph nodes TensorFlow adds."""
    text = str(error).strip() or type(error).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(line.startswith("Detected at node") for line in lines):
        lines = [line for line in lines if not line.startswith(
            ("File ", "Detected at node", "Graph execution error", "[[", "Stack trace"))
            and "defined at (most recent call last)" not in line]
        lines = lines[-1:] or ["TensorFlow graph execution error"]
    lines = [line for line in lines if not line.startswith("Arguments received by")
             and not line.startswith("•")]
    return f"{type(error).__name__}: {' '.join(lines)[:600]}"


class Rebuild:
    """Builds the Keras objects of one recipe, each once (shared layers stay shared)."""

    def __init__(self, keras, recipe: dict) -> None:
        self.keras = keras
        self.recipe = recipe
        self.layers: dict = {}
        self.models: dict = {}
        self.tensors: dict = {}

    def resolve(self, path: str, allow=allowed.referable):
        """A public Keras or TensorFlow object by its dotted path, if `allow` allows it (the
        recipe builder checked already: this is the worker's own guard)."""
        if not allow(path):
            raise Refused(path)
        root, _, rest = path.partition(".")
        if root == "keras":
            obj = self.keras
        else:
            import tensorflow as obj  # noqa: PLC0415 - only a recipe naming tf.* needs it
        for part in rest.split("."):
            obj = getattr(obj, part)
        return obj

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "$tuple" in value:
            return tuple(self.decode(item) for item in value["$tuple"])
        if "$dict" in value:
            if any(key == allowed.SERIALIZED_KEY for key, _ in value["$dict"]):
                raise Refused("a serialized Keras object")
            return {key: self.decode(item) for key, item in value["$dict"]}
        if "$tensor" in value:
            outputs = self.keras.tree.flatten(self.tensors[value["$tensor"]])
            return outputs[value["index"]]
        if "$ref" in value:
            return self.resolve(value["$ref"])
        if "$call" in value:
            return self.resolve(value["$call"], allowed.instantiable)(
                *self.decode(value["args"]),
                                                **self.decode(value["kwargs"]))
        if "$op" in value:
            return self.resolve(value["$op"], allowed.op)(*self.decode(value["args"]),
                                                          **self.decode(value["kwargs"]))
        if "$layer" in value:
            return self.layer(value["$layer"])
        if "$model" in value:
            return self.model(value["$model"])
        if allowed.SERIALIZED_KEY in value:
            raise Refused("a serialized Keras object")
        return {key: self.decode(item) for key, item in value.items()}  # keyword arguments

    def layer(self, key: str):
        if key not in self.layers:
            spec = self.recipe["layers"][key]
            try:
                layer = self.resolve(spec["path"], allowed.layer)(*self.decode(spec["args"]),
                                                   **self.decode(spec["kwargs"]))
            except BuildError:
                raise
            except Exception as err:  # noqa: BLE001 - whatever Keras raises is the finding
                raise BuildError(key, err) from err
            if not spec["trainable"]:
                layer.trainable = False
            self.layers[key] = layer
        return self.layers[key]

    def model(self, key: str):
        if key not in self.models:
            spec = self.recipe["models"][key]
            builder = getattr(self, spec["kind"])
            model = builder(key, spec)
            if not spec["trainable"]:
                model.trainable = False
            self.models[key] = model
        return self.models[key]

    def make_input(self, spec: dict):
        options = {"batch_size": spec["batch_size"], "dtype": spec["dtype"]}
        if spec["name"]:
            options["name"] = spec["name"]
        return self.keras.Input(shape=tuple(spec["input"]), **options)

    def functional(self, key: str, spec: dict):
        for node in spec["nodes"]:
            try:
                if "input" in node:
                    self.tensors[node["id"]] = self.make_input(node)
                    continue
                if "op" in node:
                    callee = self.resolve(node["op"], allowed.op)
                else:
                    callee = self.model(node["callee"]) if node["callee"].startswith("M") \
                        else self.layer(node["callee"])
                self.tensors[node["id"]] = callee(*self.decode(node["args"]),
                                                  **self.decode(node["kwargs"]))
            except BuildError:
                raise
            except Exception as err:  # noqa: BLE001
                raise BuildError(node["id"], err) from err
        try:
            return self.keras.Model(inputs=self.decode(spec["inputs"]),
                                    outputs=self.decode(spec["outputs"]), **_named(spec))
        except Exception as err:  # noqa: BLE001
            raise BuildError(key, err) from err

    def sequential(self, key: str, spec: dict):
        model = self.keras.Sequential(**_named(spec))
        model.add(self.make_input(spec["input"]))
        for item in spec["items"]:
            obj = self.model(item) if item.startswith("M") else self.layer(item)
            try:
                model.add(obj)
            except Exception as err:  # noqa: BLE001
                raise BuildError(item, err) from err
        return model

    def application(self, key: str, spec: dict):
        try:
            return self.resolve(spec["path"], allowed.application)(
                **self.decode(spec["kwargs"]))
        except Exception as err:  # noqa: BLE001
            raise BuildError(key, err) from err


def _named(spec: dict) -> dict:
    return {"name": spec["name"]} if spec.get("name") else {}


def synthetic(value, rng):
    """Arrays for the `$data` leaves of a data spec (structures kept)."""
    import numpy as np

    if isinstance(value, list):
        return [synthetic(item, rng) for item in value]
    if "$dict" in value:
        return {key: synthetic(item, rng) for key, item in value["$dict"]}
    kind, shape, dtype = value["$data"], tuple(value["shape"]), value["dtype"]
    if kind == "ids":
        return rng.integers(value["low"], max(value["high"], value["low"] + 1),
                            size=shape).astype(dtype)
    if kind == "onehot":
        return np.eye(shape[-1], dtype=dtype)[rng.integers(0, shape[-1], size=shape[:-1])]
    if kind == "binary":
        return rng.integers(0, 2, size=shape).astype(dtype)
    if kind == "uniform":
        return rng.uniform(value["low"], value["high"], size=shape).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


def describe(keras, model) -> dict:
    """`model.layers` as Keras built them: class, output shapes and parameter count."""
    layers = []
    for layer in model.layers:
        try:
            shapes = [list(t.shape) for t in keras.tree.flatten(layer.output)]
        except (AttributeError, ValueError):
            shapes = None
        layers.append({"name": layer.name, "class": type(layer).__name__, "shapes": shapes,
                       "params": layer.count_params() if layer.built else None})
    return {"layers": layers, "params": model.count_params(),
            "trainable": sum(int(math.prod(w.shape)) for w in model.trainable_weights)}


def train(keras, model, run: dict, steps: int) -> dict:
    """Compile as the source does and train on one repeated synthetic batch."""
    import numpy as np

    out = {"at": run["at"], "steps": []}
    if "skip" in run:
        out["skip"] = run["skip"]
        return out
    started = time.perf_counter()
    rebuild = Rebuild(keras, {"layers": {}, "models": {}})
    try:
        model.compile(**rebuild.decode(run["compile"]))
    except Exception as err:  # noqa: BLE001
        out["error"] = {"at": run["at"], "stage": "compile", "message": message(err)}
        return out
    rng = np.random.default_rng(0)
    x, y = synthetic(run["x"], rng), synthetic(run["y"], rng)
    for _ in range(steps):
        try:
            logs = model.train_on_batch(x, y, return_dict=True)
        except Exception as err:  # noqa: BLE001
            out["error"] = {"at": run["fit_at"] or run["at"], "stage": "fit",
                            "message": message(err)}
            break
        step = {"loss": float(logs["loss"]),
                "heads": {k[:-5]: float(v) for k, v in logs.items()
                          if k.endswith("_loss") and k != "loss"}}
        out["steps"].append(step)
        if not math.isfinite(step["loss"]):
            break
    out["seconds"] = time.perf_counter() - started
    return out


def verify(keras, request: dict) -> dict:
    recipe, steps = request["recipe"], request["steps"]
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    result = {"id": request["id"], "runs": []}
    started = time.perf_counter()
    try:
        model = Rebuild(keras, recipe).model(recipe["root"])
    except BuildError as err:
        result["build_error"] = {"at": err.at, "message": message(err.error)}
        result["build_seconds"] = time.perf_counter() - started
        return result
    result["build_seconds"] = time.perf_counter() - started
    result["model"] = describe(keras, model)
    initial = model.get_weights()
    for run in recipe["runs"]:
        model.set_weights(initial)
        result["runs"].append(train(keras, model, run, steps))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Never outlive fnlint (killed by SIGKILL, SIGTERM, Ctrl-C), whatever it was doing:
    Linux sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); elsewhere, and for a parent
    that died before that was set, a watchdog thread sees the parent change."""
    parent = int(os.environ.get("FNLINT_PARENT_PID", "0") or 0)
    if not parent:
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):
        pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main() -> int:
    die_with_parent()
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # what Keras and TensorFlow print must not mix with the answers
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")

    def send(obj) -> None:
        channel.write(json.dumps(obj) + "\n")

    started = time.perf_counter()
    try:
        import keras
    except Exception as err:  # noqa: BLE001 - no TensorFlow: the parent explains what to do
        send({"ready": False, "error": f"{type(err).__name__}: {err}"})
        return 3
    send({"ready": True, "keras": keras.__version__, "backend": keras.backend.backend(),
          "import_seconds": time.perf_counter() - started})
    from keras.src.saving import serialization_lib

    for line in sys.stdin:
        request = json.loads(line)
        # Safe mode: Keras refuses to deserialize Lambda bytecode.  On for every request, and
        # checked after it (None, after the request's clear_session, is Keras' safe default):
        # a worker where it was turned off answers no more.
        with serialization_lib.SafeModeScope(True):
            try:
                answer = verify(keras, request)
            except Refused as err:
                answer = {"id": request["id"], "failure": str(err)}
            except Exception as err:  # noqa: BLE001 - a surprise in one model, not in all
                answer = {"id": request["id"], "failure": message(err)}
            if serialization_lib.in_safe_mode() is False:
                send({"id": request["id"], "failure": "Keras' safe mode was turned off"})
                return 4
        send(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
