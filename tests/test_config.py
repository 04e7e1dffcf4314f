"""[tool.fnlint] configuration, inline suppressions and exit codes, as a user meets them."""

import textwrap

from conftest import check

TYPO = "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n"
HEADS = textwrap.dedent("""
    import keras
    x = keras.Input(shape=(8,))
    a = keras.layers.Dense(1000, activation="softmax", name="main")(x)
    b = keras.layers.Dense(1, activation="sigmoid", name="aux")(x)
    model = keras.Model(x, [a, b])
    model.compile("adam", loss=["categorical_crossentropy", "binary_crossentropy"],
                  loss_weights=[1.0, 0.05])
""")  # main ≈ 6.9, aux ≈ 0.035: 200-fold


def project(tmp_path, config, files):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_select_ignore_and_per_file_ignores(tmp_path):
    project(tmp_path, """
        [tool.fnlint]
        ignore = ["FN5"]
        [tool.fnlint.per-file-ignores]
        "legacy/*" = ["FN203"]
    """, {"app.py": TYPO + HEADS, "legacy/old.py": TYPO})
    code, out, _ = check(tmp_path)
    assert code == 1
    assert "app.py:3:" in out and "FN203" in out and "legacy" not in out and "FN503" not in out


def test_severity_override_and_fail_on(tmp_path):
    project(tmp_path, """
        [tool.fnlint]
        fail-on = "error"
        [tool.fnlint.severity]
        FN203 = "warning"
    """, {"app.py": TYPO})
    code, out, _ = check(tmp_path)
    assert code == 0 and "FN203" in out  # reported, but below fail-on
    code, _, _ = check(tmp_path, "--fail-on", "warning")
    assert code == 1


def test_rule_options(tmp_path):
    project(tmp_path, "[tool.fnlint]\n", {"heads.py": HEADS})
    assert "FN503" in check(tmp_path)[1]
    project(tmp_path, """
        [tool.fnlint.rule-options.FN503]
        ratio = 500
    """, {"heads.py": HEADS})
    assert "FN503" not in check(tmp_path)[1]


def test_configuration_errors_exit_two(tmp_path):
    for config, words in (
        ("[tool.fnlint]\nselct = ['FN2']\n", "unknown key selct"),
        ("[tool.fnlint]\nignore = ['FN999']\n", "no rule code starts with 'FN999'"),
        ("[tool.fnlint]\nfail-on = 'fatal'\n", "fail-on must be one of"),
        ("[tool.fnlint.rule-options.FN503]\nratoi = 3\n", "unknown option 'ratoi'"),
        ("[tool.fnlint.severity]\nFN201 = 'loud'\n", "severity.FN201"),
        ("[tool.fnlint\n", "invalid TOML"),
    ):
        project(tmp_path, config, {"app.py": TYPO})
        code, out, err = check(tmp_path)
        assert code == 2 and words in err and out == "", config


def test_config_flag_and_unknown_command_line_code(tmp_path):
    (tmp_path / "app.py").write_text(TYPO)
    other = tmp_path / "strict.toml"
    other.write_text("[tool.fnlint]\nignore = ['FN203']\n")
    assert check(tmp_path, "--config", other)[0] == 0
    code, _, err = check(tmp_path, "--select", "FN2O1")
    assert code == 2 and "FN2O1" in err


def test_exit_zero(tmp_path):
    (tmp_path / "app.py").write_text(TYPO)
    assert check(tmp_path, "--exit-zero")[0] == 0


def test_noqa_and_fnlint_ignore(tmp_path):
    (tmp_path / "a.py").write_text(TYPO.replace("(x)\n", "(x)  # noqa\n"))
    (tmp_path / "b.py").write_text(TYPO.replace("(x)\n", "(x)  # noqa: FN2\n"))
    (tmp_path / "c.py").write_text(TYPO.replace("(x)\n", "(x)  # fnlint: ignore[FN203]\n"))
    (tmp_path / "d.py").write_text(TYPO.replace("(x)\n", "(x)  # noqa: FN301, E501\n"))
    (tmp_path / "e.py").write_text("# fnlint: skip-file\n" + TYPO)
    code, out, _ = check(tmp_path)
    assert out.splitlines() == [out.splitlines()[0]] and "d.py:3:" in out and code == 1


def test_unused_suppressions_are_reported_only_when_selected(tmp_path):
    (tmp_path / "a.py").write_text(TYPO.replace("x = keras", "x = keras  # noqa: FN301\nz = 1 #"))
    assert "FN001" not in check(tmp_path)[1]
    out = check(tmp_path, "--extend-select", "FN001")[1]
    assert "a.py:2:" in out and "FN001 this suppression (FN301) matches no finding" in out
