"""The check FN501 (loss) and FN502 (loss_weights) share: a compile() argument whose list
length or dict keys do not fit the model's outputs."""

from __future__ import annotations

from fnlint.rules import Rule
from fnlint.rules.nodes import argument_node, dict_key_node
from fnlint.rules.suggest import did_you_mean

# compile(optimizer, loss, loss_weights, ...): positions of the arguments.
_POSITIONS = {"loss": 1, "loss_weights": 2}


class LossStructureRule(Rule):
    argument = ""

    def check(self, facts):
        for model, call, compiled in facts.compiled:
            names = [head.name for head in compiled.heads]
            where = argument_node(call.node, self.argument, _POSITIONS[self.argument])
            for mismatch in compiled.mismatches:
                if mismatch.argument != self.argument:
                    continue
                outputs = f"model '{model.name}' has {len(names)} output" \
                          f"{'s' if len(names) != 1 else ''} ({', '.join(names)})"
                if mismatch.count is not None:
                    yield self.finding(
                        facts, where,
                        f"`{self.argument}` is a list of {mismatch.count} but {outputs}",
                        suggestion=f"give one entry per output, in the order "
                                   f"{', '.join(names)}")
                for key in mismatch.unknown_keys:
                    guess = did_you_mean(str(key), names)
                    yield self.finding(
                        facts, dict_key_node(where, key),
                        f"`{self.argument}` key {key!r} names no output: {outputs}",
                        suggestion=f"did you mean {guess!r}?" if guess else
                        f"use the output names as keys: {', '.join(names)}")
