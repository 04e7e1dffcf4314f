"""Text made into arrays: Keras' `pad_sequences(sequences, maxlen=n)` gives one row of `n`
token ids per sequence (without a constant `maxlen` the longest sequence sets the length,
which the analysis does not know)."""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.values import ArrayV, Const, Seq, Value, to_python

_PAD_SEQUENCES = ("keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences",
                  "keras.utils.sequence.pad_sequences")


def pad_sequences(args, kwargs, node) -> Optional[Value]:
    sequences = args[0] if args else kwargs.get("sequences")
    maxlen = to_python(kwargs.get("maxlen", args[1] if len(args) > 1 else Const(None)))
    dtype = to_python(kwargs.get("dtype", args[2] if len(args) > 2 else Const("int32")))
    if isinstance(maxlen, bool) or not isinstance(maxlen, int) or maxlen <= 0:
        return None
    if isinstance(sequences, ArrayV) and sequences.shape:
        rows = sequences.shape[0]
    elif isinstance(sequences, Seq):
        rows = len(sequences.items)
    else:
        rows = None
    kind = next((k for k in ("int", "float") if isinstance(dtype, str) and k in dtype), None)
    return ArrayV((rows, maxlen), kind, origin="pad_sequences", node=node)


CALLS = {path: pad_sequences for path in _PAD_SEQUENCES}
