"""pandas DataFrames as 2-D arrays of unknown rows: a column count is known only where the
code selects columns by a list of names (`df[["a", "b"]]`, `read_csv(usecols=[...])`) or
by explicit positions (`df.iloc[:, 1:5]`), and `.values`/`.to_numpy()` turn a selection
into the array `fit` gets.  A frame's own width (from the file) is never known."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import argument, derive, is_int
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Seq, Unknown, to_python

FRAME = "dataframe"  # the origin of a frame (and of a frame's `.iloc`/`.loc` views)
_VIEWS = {"iloc": f"{FRAME}.iloc", "loc": f"{FRAME}.loc"}
READERS = frozenset(f"pandas.{name}" for name in (
    "read_csv", "read_excel", "read_parquet", "read_json", "read_table", "read_feather",
    "read_pickle", "read_sql"))


def read(args, kwargs, node):
    """`pd.read_csv(path, usecols=[...])`: a frame of unknown rows (and columns)."""
    columns = to_python(kwargs["usecols"]) if "usecols" in kwargs else None
    width = len(columns) if isinstance(columns, (list, tuple)) and columns and all(
        isinstance(c, (str, int)) and not isinstance(c, bool) for c in columns) else None
    return ArrayV((None, width), None, origin=FRAME, node=node)


def is_frame(array: ArrayV) -> bool:
    return array.origin == FRAME or array.origin in _VIEWS.values()


def attribute(frame: ArrayV, attr: str, node):
    """`df.values`, `df.iloc`, `df.loc`; None for an attribute not modelled here."""
    if attr == "values" and frame.origin == FRAME:
        return _as_array(frame, node)
    if attr in _VIEWS and frame.origin == FRAME:
        return ArrayV(frame.shape, frame.dtype, origin=_VIEWS[attr], node=frame.node,
                      steps=frame.steps)
    return None


METHODS = frozenset({"to_numpy", "drop", "copy", "astype", "fillna", "reset_index"})


def method(frame: ArrayV, name: str, args, kwargs, node):
    """`df.to_numpy()`, `df.drop(columns=[...])`, `df.astype(...)`."""
    if frame.origin != FRAME:
        return Unknown(f"indexer.{name}")
    if name == "to_numpy" and not args:
        return _as_array(frame, node)
    if name == "drop":
        return _dropped(frame, args, kwargs, node)
    if name in ("copy", "astype", "fillna", "reset_index"):
        return frame  # the same columns
    return Unknown(f"DataFrame.{name}")


def select(frame: ArrayV, key, node):
    """`df[...]`, `df.loc[...]`, `df.iloc[...]` (`key`: the evaluated subscript parts)."""
    if frame.origin == FRAME and len(key) == 1:
        names = _names(key[0])
        if names is not None:
            return derive(frame, shape=(None, len(names)), node=node, step="columns")
        if isinstance(to_python(key[0]), str):
            return ArrayV((None,), None, origin="series", node=frame.node, steps=frame.steps)
        return Unknown("DataFrame row selection")
    if len(key) != 2 or key[0] != slice(None):
        return Unknown("DataFrame selection")
    columns = key[1]
    frame_of = ArrayV(frame.shape, frame.dtype, origin=FRAME, node=frame.node,
                      steps=frame.steps)
    if frame.origin == _VIEWS["loc"]:
        names = _names(columns)
        if names is not None:
            return derive(frame_of, shape=(None, len(names)), node=node, step="columns")
    elif isinstance(columns, slice) and all(b is None or is_int(b) and b >= 0 for b in (
            columns.start, columns.stop)) and columns.stop is not None and \
            columns.step in (None, 1):
        width = frame.shape[1]  # pandas clips positions past the frame's last column
        width = len(range(columns.stop)[columns.start:]) if width is None else \
            len(range(width)[columns.start:columns.stop])
        return derive(frame_of, shape=(None, width), node=node, step="columns")
    elif is_int(to_python(columns)):
        return ArrayV((None,), None, origin="series", node=frame.node, steps=frame.steps)
    return Unknown("DataFrame columns")


def _names(value):
    """The column names of a list of names (a Seq of strings), or None."""
    names = to_python(value) if isinstance(value, Seq) else UNRESOLVED
    if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
        return names
    return None


def _as_array(frame: ArrayV, node):
    return ArrayV(frame.shape, frame.dtype, origin="dataframe values", node=frame.node,
                  steps=frame.steps + ((node, "values"),))


def _dropped(frame: ArrayV, args, kwargs, node):
    columns = kwargs.get("columns")
    if columns is None and args and to_python(argument(args, kwargs, 1, "axis")) in (1,
                                                                                     "columns"):
        columns = args[0]
    names = to_python(columns) if columns is not None else UNRESOLVED
    names = [names] if isinstance(names, str) else names
    width = frame.shape[1]
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        return Unknown("DataFrame.drop")
    return derive(frame, shape=(None, None if width is None else width - len(names)),
                  node=node, step="drop")
