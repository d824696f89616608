"""Deterministic, collision-free Python identifiers from arbitrary spec names.

Every name the generated code uses is decided here, once; the wire name is always kept beside it.

Two rules make the generated code safe whatever the spec calls things:

* the sanitiser never produces a name that starts with an underscore (``_m``, ``_x`` and ``__init__`` all
  lose it), so every name the templates own and spell with a leading underscore (``_wire``, ``_m``,
  ``_data``, ``_response``, ``_build_<method>``, ...) can never be taken by a spec identifier;
* the few bare names the templates do use in a scope (builtins in annotations, ``self``, ``options``,
  ``field``, ``classmethod``, ``API``, ``UNSET``, ...) seed that scope's :class:`Namespace` (the
  ``*_RESERVED`` sets below), so a spec identifier that sanitises to one of them gets another name.

``tests/generator/test_names_proof.py`` checks both rules on every generated module.
"""

from __future__ import annotations

import functools
import hashlib
import keyword
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+")

# builtins a generated annotation or body refers to unqualified
_BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "object"})

# -- what each scope of the generated code already uses (read off templates/client/package) ----------------

# A model's class body: its fields beside ``additional_properties``/``to_wire``/``from_wire``; the body
# evaluates ``field(...)``, ``@classmethod`` and (for mypy) the annotations' builtins.
FIELD_RESERVED = _BUILTIN_TYPES | {"additional_properties", "to_wire", "from_wire", "field", "classmethod"}
# A method's (and its ``_build_*`` function's) arguments: the body calls ``isinstance``/``len``/``str``, and
# every method takes ``self`` and ``options``. ``cls`` is kept out for symmetry with models.
PARAM_RESERVED = _BUILTIN_TYPES | {"self", "cls", "options", "isinstance", "len"}
# A resource class body: its methods and iterators; annotations in it name builtins (mypy resolves them in
# the class body), and every instance has ``with_raw_response``.
METHOD_RESERVED = _BUILTIN_TYPES | {"with_raw_response"}
# Module-level names of ``models.py`` that a class name could take (PascalCase ones only matter).
CLASS_RESERVED = frozenset(
    {
        "Any", "Unset", "UNSET", "FileUpload", "OpenStrEnum", "OpenIntEnum", "Client", "AsyncClient", "Union",
        "ApiResponse", "RequestOptions", "RequestData", "Operation", "Enum", "Mapping", "Sequence", "Callable",
    }
)  # fmt: skip
# Operation constants live in ``_api.py`` (beside ``API``) and are imported by name into resource modules
# (beside ``UNSET``, ``TYPE_CHECKING``): constant names are upper case, so only these can clash.
CONSTANT_RESERVED = frozenset({"API", "UNSET", "TYPE_CHECKING"})
# Module files of ``resources/`` (``__init__`` is the package itself).
MODULE_RESERVED = frozenset({"__init__"})
# Module-level functions of ``models.py``: union decoders, all ``decode_<snake>``.
DECODER_RESERVED = frozenset({"dataclass", "field"})

# Longest module (file) name: file systems take 255 bytes, and ``__pycache__/<name>.cpython-3XX.pyc`` adds 20.
MAX_MODULE = 64

# kept for callers of the old private names
_FIELD_RESERVED = FIELD_RESERVED
_PARAM_RESERVED = PARAM_RESERVED
_CLASS_RESERVED = CLASS_RESERVED


_NOT_ASCII_ALNUM = re.compile(r"[^0-9A-Za-z]+")


@functools.lru_cache(maxsize=1 << 16)
def _ascii_words(text: str) -> tuple[str, ...]:
    """Split a name into words: camelCase, snake_case, kebab-case, spaces, punctuation, non-ASCII."""
    if text.isascii():  # the common case: NFKD changes nothing, every non-alphanumeric is a separator
        return tuple(word for piece in _NOT_ASCII_ALNUM.split(text) if piece for word in _WORD.findall(piece))
    folded = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    chunk: list[str] = []
    for ch in folded:
        if ch.isascii():
            chunk.append(ch if ch.isalnum() else " ")
        elif unicodedata.combining(ch):
            continue  # an accent that NFKD split off its letter
        else:
            # a character with no ASCII form keeps a stable, readable trace: its code point
            chunk.append(f" u{ord(ch):04x} ")
    for piece in "".join(chunk).split():
        out.extend(_WORD.findall(piece))
    return tuple(out)


def snake(text: str) -> str:
    """``templateId`` -> ``template_id``, ``X-Auth-Token`` -> ``x_auth_token``, ``2fa`` -> ``n2fa``."""
    words = [w.lower() for w in _ascii_words(text)]
    name = "_".join(words) or "value"
    if name[0].isdigit():
        name = "n" + name
    return name


def pascal(text: str) -> str:
    """``batch_send_sms`` -> ``BatchSendSms``; keeps existing capitals of words (``SMSResult`` -> ``SMSResult``)."""
    words = _ascii_words(text)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if name[0].isdigit():
        name = "N" + name
    return name


def constant(text: str) -> str:
    """An enum member name: ``in-progress`` -> ``IN_PROGRESS``, ``1`` -> ``VALUE_1``, ``""`` -> ``EMPTY``."""
    if text == "":
        return "EMPTY"
    words = [w.upper() for w in _ascii_words(text)]
    name = "_".join(words)
    if not name:
        name = "VALUE_" + "_".join(f"{ord(c):X}" for c in text)
    if name[0].isdigit():
        name = "VALUE_" + name
    if keyword.iskeyword(name) or name in {"NAME", "VALUE"}:
        name += "_"
    return name


def operation_constant(operation_id: str) -> str:
    """The ``_api.py`` name of an operation: ``listPets`` -> ``LIST_PETS``."""
    return snake(operation_id).upper()


def field_name(wire: str) -> str:
    """A dataclass field for a JSON property: ``from`` -> ``from_``, ``list`` -> ``list_``."""
    name = snake(wire)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in FIELD_RESERVED:
        name += "_"
    return name


def param_name(wire: str) -> str:
    """A keyword-only argument for a parameter or body field."""
    name = snake(wire)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in PARAM_RESERVED:
        name += "_"
    return name


def module_name(text: str) -> str:
    """A module (and client attribute) for a tag: ``Global`` -> ``global_``; at most :data:`MAX_MODULE` long."""
    name = snake(text)
    if len(name) > MAX_MODULE:
        # a stable digest of the whole tag keeps two long tags with one prefix apart
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        name = name[: MAX_MODULE - 9].rstrip("_") + "_" + digest
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def class_name(text: str) -> str:
    name = pascal(text)
    if name in CLASS_RESERVED or keyword.iskeyword(name):
        name += "Model"
    return name


def method_name(operation_id: str) -> str:
    name = snake(operation_id)
    if (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name.startswith("with_raw_response")
        or name in METHOD_RESERVED
    ):
        name += "_"
    return name


@dataclass(frozen=True)
class Claim:
    """The outcome of :meth:`Namespace.claim_for`: the name given, and what already held the wanted one."""

    name: str
    wanted: str
    holder: str | None  # the source that holds ``wanted`` ("" for a name the generated code itself uses)

    @property
    def collided(self) -> bool:
        return self.holder is not None


class Namespace:
    """Hands out unique names in one scope; a second ``user_id`` becomes ``user_id_2``, deterministically.

    ``taken`` seeds the scope with the names the generated code itself uses there. ``sep`` joins the
    counter: ``"_"`` for snake_case names, ``""`` for PascalCase ones (``User2``). ``fold`` compares names
    case-insensitively (module files on macOS and Windows file systems).
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset(), sep: str = "_", fold: bool = False) -> None:
        self._fold = fold
        self._owners: dict[str, str] = {self._key(name): "" for name in taken}
        self._next: dict[str, int] = {}  # the counter to try first for a name already taken
        self._sep = sep

    def _key(self, name: str) -> str:
        return name.casefold() if self._fold else name

    def claim_for(self, name: str, source: str = "", *variants: str) -> Claim:
        """Claim ``name`` for ``source`` (a ``file:line`` or a description, used in warnings).

        ``variants`` are templates such as ``"Async{}"``: the name is chosen so that every variant is free too.
        """
        forms = ("{}", *variants)
        holder: str | None = None
        unique, n = name, self._next.get(self._key(name), 2)
        while True:
            busy = [self._owners[self._key(f.format(unique))] for f in forms if self._key(f.format(unique)) in self._owners]
            if not busy:
                break
            if holder is None:
                holder = busy[0]
            unique, n = f"{name}{self._sep}{n}", n + 1
        if holder is not None:
            self._next[self._key(name)] = n  # a thousand names that sanitise alike stay linear
        for f in forms:
            self._owners[self._key(f.format(unique))] = source
        return Claim(unique, name, holder)

    def claim(self, name: str) -> str:
        return self.claim_for(name).name

    def __contains__(self, name: str) -> bool:
        return self._key(name) in self._owners

    def holder(self, name: str) -> str | None:
        return self._owners.get(self._key(name))
