"""Symbolic dimensions: exact integer expressions over the sizes Keras only knows as `None`.

An `Input(shape=(None, None, 3))` gives its height and width symbols (`img.H`, `img.W`);
convolutions, pooling, padding and reshapes turn them into polynomials with integer
coefficients over symbols and floor/ceiling divisions by constants, kept in a canonical form.
`compare` then decides whether two dimensions are equal for every input size, different for
every input size, or equal only for some (with a concrete counterexample), which is how a merge
of Inception branches on images of unknown size is proven broken before anything runs.

A dimension anywhere in the analyzer is an int, None (unknown), or an `Expr`; Keras itself sees
an `Expr` as None, so layers never treat one as a defined size.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product as cartesian
from typing import Optional

# Past these bounds a decision is "unknown" rather than slow.
MAX_PERIOD = 1 << 16
MAX_SEARCH = 1 << 16


class SymbolName:
    """The display name shared by the symbols of one Input; set once the analyzer learns
    the variable the Input is assigned to."""

    __slots__ = ("text", "explicit")

    def __init__(self, text: str, explicit: bool) -> None:
        self.text = text
        self.explicit = explicit


class Symbol:
    """One unknown input size: axis `label` of the Input with id `uid`."""

    __slots__ = ("uid", "label", "owner")

    def __init__(self, uid: int, label: str, owner: SymbolName) -> None:
        self.uid = uid
        self.label = label
        self.owner = owner

    def key(self) -> tuple:
        return (0, self.uid, self.label)

    def __eq__(self, other) -> bool:
        return isinstance(other, Symbol) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __str__(self) -> str:
        return f"{self.owner.text}.{self.label}"

    def value(self, env: dict) -> int:
        return env[self]


@dataclass(frozen=True)
class Division:
    """floor(numerator / divisor), or ceil when `ceil`; the numerator is never constant."""

    numerator: "Expr"
    divisor: int
    ceil: bool

    def key(self) -> tuple:
        return (1, self.numerator.key(), self.divisor, self.ceil)

    def __str__(self) -> str:
        inner = str(self.numerator)
        if len(self.numerator.terms) > 1 or any(c < 0 for c in self.numerator.terms.values()):
            inner = f"({inner})"
        return f"{'ceil' if self.ceil else 'floor'}({inner}/{self.divisor})"

    def value(self, env: dict) -> int:
        num = self.numerator.value(env)
        return -(-num // self.divisor) if self.ceil else num // self.divisor


def _monomial_key(monomial: tuple) -> tuple:
    return tuple(atom.key() for atom in monomial)


class Expr:
    """A polynomial with integer coefficients over atoms (symbols and divisions).

    `terms` maps a monomial (a sorted tuple of atoms) to its coefficient; the empty monomial
    holds the constant.  Build expressions with the operators and `floordiv` / `ceildiv`;
    results that are constant come back as plain ints."""

    __slots__ = ("terms", "_key")

    def __init__(self, terms: dict) -> None:
        self.terms = {m: c for m, c in terms.items() if c}
        self._key = None

    # -- construction -------------------------------------------------------------------------
    @staticmethod
    def of(symbol: Symbol) -> "Expr":
        return Expr({(symbol,): 1})

    def key(self) -> tuple:
        if self._key is None:
            self._key = tuple(sorted((_monomial_key(m), c) for m, c in self.terms.items()))
        return self._key

    def __eq__(self, other) -> bool:
        return isinstance(other, Expr) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __add__(self, other):
        other = _terms(other)
        if other is None:
            return NotImplemented
        terms = dict(self.terms)
        for m, c in other.items():
            terms[m] = terms.get(m, 0) + c
        return _simplify(terms)

    __radd__ = __add__

    def __neg__(self):
        return _simplify({m: -c for m, c in self.terms.items()})

    def __sub__(self, other):
        other_terms = _terms(other)
        if other_terms is None:
            return NotImplemented
        return self + _simplify({m: -c for m, c in other_terms.items()})

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        other = _terms(other)
        if other is None:
            return NotImplemented
        terms: dict = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.items():
                m = tuple(sorted(m1 + m2, key=lambda atom: atom.key()))
                terms[m] = terms.get(m, 0) + c1 * c2
        return _simplify(terms)

    __rmul__ = __mul__

    def __floordiv__(self, divisor):
        if not isinstance(divisor, int) or isinstance(divisor, bool):
            return NotImplemented
        return floordiv(self, divisor)

    # -- reading --------------------------------------------------------------------------------
    def value(self, env: dict) -> int:
        total = 0
        for monomial, coeff in self.terms.items():
            term = coeff
            for atom in monomial:
                term *= atom.value(env)
            total += term
        return total

    def symbols(self) -> set:
        found = set()
        for monomial in self.terms:
            for atom in monomial:
                if isinstance(atom, Symbol):
                    found.add(atom)
                else:
                    found |= atom.numerator.symbols()
        return found

    def period(self) -> int:
        """A shift of every symbol under which every division repeats its remainder."""
        period = 1
        for monomial in self.terms:
            for atom in monomial:
                if isinstance(atom, Division):
                    period *= atom.divisor * atom.numerator.period()
        return period

    def exact_div(self, divisor: int):
        """self / divisor when every coefficient is a multiple of it, else None."""
        if divisor and all(c % divisor == 0 for c in self.terms.values()):
            return _simplify({m: c // divisor for m, c in self.terms.items()})
        return None

    def __str__(self) -> str:
        parts = []
        ordered = sorted(self.terms.items(), key=lambda mc: (len(mc[0]) == 0, _monomial_key(mc[0])))
        for monomial, coeff in ordered:
            body = "*".join(str(atom) for atom in monomial)
            if not body:
                text = str(abs(coeff))
            elif abs(coeff) == 1:
                text = body
            else:
                text = f"{abs(coeff)}*{body}"
            if not parts:
                parts.append(f"-{text}" if coeff < 0 else text)
            else:
                parts.append(f"{'-' if coeff < 0 else '+'} {text}")
        return " ".join(parts) or "0"

    __repr__ = __str__


def _terms(value) -> Optional[dict]:
    if isinstance(value, Expr):
        return value.terms
    if isinstance(value, int) and not isinstance(value, bool):
        return {(): value}
    return None


def _simplify(terms: dict):
    terms = {m: c for m, c in terms.items() if c}
    if not terms:
        return 0
    if set(terms) == {()}:
        return terms[()]
    return Expr(terms)


def _divide(value, divisor: int, ceil: bool):
    """floor or ceil of value / divisor, simplified: the integer part of every variable
    coefficient is pulled out, so `floor((2H + 3)/2)` becomes `H + floor(3/2)` = `H + 1`."""
    if divisor <= 0:
        raise ValueError("divisor must be positive")
    if isinstance(value, int):
        return -(-value // divisor) if ceil else value // divisor
    if divisor == 1:
        return value
    # Integer parts of the variable coefficients come out; the constant stays inside, which
    # keeps Keras' own form (`floor((H - 3)/2) + 1`) readable.
    quotient = {m: c // divisor for m, c in value.terms.items() if m}
    remainder = {m: c % divisor for m, c in value.terms.items() if m}
    remainder[()] = value.terms.get((), 0)
    rest = _simplify(remainder)
    if isinstance(rest, int):
        return _simplify(quotient) + _divide(rest, divisor, ceil)
    constant = rest.terms.get((), 0)
    variable = {m: c for m, c in rest.terms.items() if m}
    if len(variable) == 1:
        # floor((floor(e/a) + c)/b) = floor((e + c*a)/(a*b)), and the same for ceil.
        (monomial, coeff), = variable.items()
        if coeff == 1 and len(monomial) == 1 and isinstance(monomial[0], Division) \
                and monomial[0].ceil == ceil:
            inner = monomial[0]
            merged = _divide(inner.numerator + constant * inner.divisor,
                             inner.divisor * divisor, ceil)
            return _simplify(quotient) + merged
    atom = Division(rest, divisor, ceil)
    return _simplify(quotient) + Expr({(atom,): 1})


def floordiv(value, divisor: int):
    return _divide(value, divisor, ceil=False)


def ceildiv(value, divisor: int):
    return _divide(value, divisor, ceil=True)


def is_symbolic(dim) -> bool:
    return isinstance(dim, Expr)


def text(dim) -> str:
    """A dimension for people: the int, `None`, or the expression."""
    return "None" if dim is None else str(dim)


# ---------------------------------------------------------------------------------------------
# Deciding equality.

EQUAL, DIFFERENT, SOME, UNKNOWN = "equal", "different", "some", "unknown"


@dataclass(frozen=True)
class Verdict:
    kind: str  # EQUAL, DIFFERENT, SOME or UNKNOWN
    equal_at: Optional[dict] = None  # symbol name -> size where the two agree (SOME)
    differ_at: Optional[dict] = None  # ... and where they differ, with the two values
    values: Optional[tuple] = None  # the two dims at `differ_at`


def compare(a, b, broadcast: bool = False) -> Verdict:
    """Whether dims `a` and `b` agree for every assignment of sizes to their symbols under
    which both are at least 1 (the sizes for which the layers before them can run).  With
    `broadcast`, a size of 1 on either side also agrees (element-wise merges)."""
    if a is None or b is None:
        return Verdict(UNKNOWN)
    diff = a - b
    if isinstance(diff, int) and (diff == 0 or not broadcast or 1 not in (a, b)):
        return Verdict(EQUAL if diff == 0 else DIFFERENT)
    key = (_key(a), _key(b), broadcast)
    decided = _DECIDED.get(key)
    if decided is None:
        if len(_DECIDED) >= MAX_DECIDED:
            _DECIDED.clear()
        decided = _DECIDED[key] = _decide(a, b, diff, broadcast)
    return _verdict(*decided, a, b)


# Decisions by the structure of the two dims: the same comparison recurs in every block built
# by one helper and in every module with the same layers.  Witnesses are kept by symbol
# identity; their names come from the dims at hand.
_DECIDED: dict = {}
MAX_DECIDED = 4096


def _key(dim) -> tuple:
    return (dim,) if isinstance(dim, int) else dim.key()


def _decide(a, b, diff, broadcast) -> tuple:
    """(kind, size assignment where the two agree, where they differ): the search behind
    `compare`."""
    symbols = set()
    for dim in (a, b):
        if isinstance(dim, Expr):
            symbols |= dim.symbols()
    symbols = sorted(symbols, key=lambda s: s.key())

    def agree(env) -> bool:
        x, y = _evaluate(a, env), _evaluate(b, env)
        return x == y or (broadcast and 1 in (x, y))

    def valid(env) -> bool:
        return all(_evaluate(dim, env) >= 1 for dim in (a, b))

    if len(symbols) == 1:
        return _compare_one(symbols[0], (a, b, diff), agree, valid)
    return _compare_sampled(symbols, agree, valid)


def _linear(expr, symbol, start: int):
    """(slope, bound, period) of expr(n) = slope*n + p(n), p periodic with |p| <= bound,
    or None when expr is not of that form (a product of sizes)."""
    if isinstance(expr, int):
        return Fraction(0), abs(expr), 1
    period = expr.period()
    if period > MAX_PERIOD:
        return None

    def at(n: int) -> int:
        return expr.value({symbol: n})

    step = at(start + period) - at(start)
    if any(at(start + k * period) - at(start + (k - 1) * period) != step for k in (2, 3)):
        return None
    slope = Fraction(step, period)
    bound = max(abs(at(n) - slope * n) for n in range(start, start + period))
    return slope, bound, period


def _compare_one(symbol, exprs, agree, valid) -> tuple:
    """Exact for expressions linear in one symbol up to floors: past a computable size no
    expression can return to a value where the two agree, and below it every size is tried."""
    start = next((n for n in range(1, MAX_SEARCH) if valid({symbol: n})), None)
    if start is None:
        return UNKNOWN, None, None
    end = start
    for expr in exprs:
        parts = _linear(expr, symbol, start)
        if parts is None:
            return UNKNOWN, None, None
        slope, bound, period = parts
        end = max(end, start + 2 * period)
        if slope:
            # Beyond this size |expr| > bound + 1: a difference cannot vanish nor a size be 1.
            end = max(end, int((bound + 1) / abs(slope)) + period + 1)
    if end - start > MAX_SEARCH:
        return UNKNOWN, None, None
    envs = ({symbol: n} for n in range(start, end + 1))
    equal_at, differ_at = _witnesses(envs, agree, valid)
    kind = SOME if equal_at and differ_at else DIFFERENT if differ_at else \
        EQUAL if equal_at else UNKNOWN
    return kind, equal_at, differ_at


def _compare_sampled(symbols, agree, valid) -> tuple:
    """Several symbols: only a pair of witnesses proves anything (SOME)."""
    if len(symbols) > 3:
        return UNKNOWN, None, None
    envs = (dict(zip(symbols, values)) for values in cartesian(range(1, 41),
                                                               repeat=len(symbols)))
    equal_at, differ_at = _witnesses(envs, agree, valid)
    return (SOME, equal_at, differ_at) if equal_at and differ_at else (UNKNOWN, None, None)


def _witnesses(envs, agree, valid) -> tuple:
    """The first valid size assignment where the two dims agree, and the first where they
    do not (None when there is none)."""
    equal_at = differ_at = None
    for env in envs:
        if not valid(env):
            continue
        if agree(env):
            equal_at = equal_at or env
        else:
            differ_at = differ_at or env
        if equal_at and differ_at:
            break
    return equal_at, differ_at


def _verdict(kind, equal_at, differ_at, a, b) -> Verdict:
    if kind not in (SOME, DIFFERENT):
        return Verdict(kind)
    names = {symbol: str(symbol) for dim in (a, b) if isinstance(dim, Expr)
             for symbol in dim.symbols()}
    return Verdict(kind, {names[s]: v for s, v in equal_at.items()} if equal_at else None,
                   {names[s]: v for s, v in differ_at.items()},
                   (_evaluate(a, differ_at), _evaluate(b, differ_at)))


def _evaluate(dim, env: dict) -> Optional[int]:
    if isinstance(dim, int):
        return dim
    return dim.value(env) if dim.symbols() <= set(env) else None
