"""scikit-learn's data helpers: `train_test_split` (rows unknown, feature axes kept, for every
array passed) and the scalers' and encoders' `fit_transform`/`transform`."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import CLASS_IDS, derive
from fnlint.analyzer.values import ArrayV, Seq, Unknown

SPLIT = "sklearn.model_selection.train_test_split"

# Transformer class: what `fit_transform(X)` returns. "same": X's shape as floats; "labels":
# one integer id per sample; "columns": one row per sample, a column count the data decides.
TRANSFORMERS = {
    **{f"sklearn.preprocessing.{name}": "same" for name in (
        "StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer",
        "QuantileTransformer", "PowerTransformer")},
    "sklearn.preprocessing.LabelEncoder": "labels",
    "sklearn.preprocessing.OneHotEncoder": "columns",
    "sklearn.preprocessing.LabelBinarizer": "columns",
}
TRANSFORM_METHODS = ("fit_transform", "transform", "inverse_transform")


def train_test_split(args: list, kwargs: dict, node):
    """Two arrays (train, test) per array passed, in order; their rows depend on the split."""
    if not args:
        return Unknown("train_test_split without arrays")
    out = []
    for value in args:
        if isinstance(value, ArrayV) and value.shape:
            part = derive(value, shape=(None,) + value.shape[1:], node=node,
                          step="train_test_split")
            out.extend([part, part])
        else:
            out.extend([Unknown("split of an unknown array")] * 2)
    return Seq(out, "list")


def transform(path: str, method: str, args: list, kwargs: dict, node):
    """What a transformer's method returns for its array argument."""
    kind = TRANSFORMERS.get(path)
    data = args[0] if args else kwargs.get("X", kwargs.get("y"))
    if kind is None or method not in TRANSFORM_METHODS or not isinstance(data, ArrayV) or \
            not data.shape:
        return Unknown(f"{path}.{method}")
    if method == "inverse_transform":
        return Unknown("inverse_transform")  # the shape of the data fitted, not followed
    rows = data.shape[0]
    step = f"{path.rpartition('.')[2]}.{method}"
    if kind == "same":
        return derive(data, dtype="float", node=node, step=step, keep_range=False)
    if kind == "labels":
        if len(data.shape) > 2 or (len(data.shape) == 2 and data.shape[1] != 1):
            return Unknown("LabelEncoder of a matrix")
        return ArrayV((rows,), "int", 0, None, origin=f"{CLASS_IDS} of LabelEncoder", node=node)
    return ArrayV((rows, None), "float", 0, 2, origin="onehot", node=node)
