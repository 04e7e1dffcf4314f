from fnlint.rules.suggest import did_you_mean, distance


def test_one_slip_is_one_edit():
    assert distance("mdoel", "model", 2) == 1  # swapped letters
    assert distance("anser", "answer", 2) == 1  # dropped letter
    assert distance("Activition", "Activation", 2) == 1  # changed letter


def test_suggestions():
    names = {"model", "models", "answer_vocabulary_size", "Activation", "Dense"}
    assert did_you_mean("mdoel", names) == "model"
    assert did_you_mean("anser_vocabulary_size", names) == "answer_vocabulary_size"
    assert did_you_mean("dense", names) == "Dense"  # only the case differs
    assert did_you_mean("x", {"y", "x1"}) is None  # too short to tell a slip from a name
    assert did_you_mean("optimizer", names) is None  # nothing close
    assert did_you_mean("larq", {"model"}) is None  # out of reach, even as the only name
    assert did_you_mean("xy", {"xa", "xb"}) is None  # a tie is no suggestion


def test_a_tie_between_case_variants_goes_to_the_one_written_alike():
    assert did_you_mean("mdoel", {"model", "Model"}) == "model"  # Model imported, model built
    assert did_you_mean("Mdoel", {"model", "Model"}) == "Model"
    assert did_you_mean("mdoel", {"model", "Model", "mdoels"}) is None  # a real tie stays one
