"""SVG and PNG diagrams through Graphviz's `dot` program, when it is installed (as
`keras.utils.plot_model` needs it too); fnlint never bundles or downloads it."""

from __future__ import annotations

import os
import shutil
import subprocess

IMAGE_FORMATS = ("svg", "png")
TIMEOUT = 60  # seconds for one diagram: dot is fast, a huge graph should not hang the run


class GraphvizError(RuntimeError):
    pass


def render_image(dot_text: str, fmt: str) -> bytes:
    """The DOT graph drawn as `fmt` ("svg" or "png") by `dot -T<fmt>`."""
    from fnlint.sources import outside_working_directory

    # Never a `dot` of the repository being drawn (PATH=".:$PATH" is not unheard of).
    search = os.environ.get("PATH", os.defpath).split(os.pathsep)
    program = shutil.which("dot", path=os.pathsep.join(outside_working_directory(search)))
    if program is None:
        raise GraphvizError(
            f"--format {fmt} needs Graphviz's `dot` program on PATH (apt-get install graphviz, "
            f"brew install graphviz, conda install graphviz); `--format dot` writes the graph "
            f"for it")
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"`dot -T{fmt}` took over {TIMEOUT} s") from None
    if done.returncode != 0:
        raise GraphvizError(f"`dot -T{fmt}` failed: "
                              f"{done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout
