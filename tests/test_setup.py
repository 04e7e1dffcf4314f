"""README's two set-up commands, run as a newcomer runs them: in a fresh clone, each starting
with its own virtual environment.  The environment sees the system's packages
(`--system-site-packages`) so that TensorFlow is not downloaded again, and the suite run at the
end of the second command is cut to one file (the whole suite runs anyway, here)."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]


def readme_commands() -> list:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```bash\n(.*?)\n```$", section, re.M | re.S)


def test_the_readme_set_up_commands_work_in_a_fresh_virtual_environment(tmp_path):
    commands = readme_commands()
    assert len(commands) == 2
    assert all(c.startswith("python -m venv .venv && . .venv/bin/activate && ") for c in commands)
    clone = tmp_path / "fnlint"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if ".venv" not in p)
    first, second = (c.replace("python -m venv .venv", "python -m venv --system-site-packages "
                                                       ".venv") for c in commands)
    second = second.replace("python -m pytest", "python -m pytest -q -x tests/test_cli.py")
    done = subprocess.run(["bash", "-c", first], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert 'Model: "functional"' in done.stdout and "Total params: 20,673" in done.stdout
    installed = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c",
                                "import fnlint; print(fnlint.__file__)"], env=env,
                               cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(clone / ".venv") in installed.stdout  # the environment's own fnlint
    done = subprocess.run(["bash", "-c", second], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
