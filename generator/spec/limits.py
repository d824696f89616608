"""Bounds on what one run reads and writes, so a hostile spec cannot exhaust the machine.

Each limit has a default that real specs stay far below; ``[tool.apigen]`` (and some CLI flags) change it.
Going past one is an error naming the place and the setting to raise, with exit code 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 32 * MiB  # one spec file, as read from disk
    max_alias_nodes: int = 1_000_000  # nodes YAML aliases may add to one file when expanded
    max_depth: int = 128  # nesting of mappings and lists in one file
    max_string_chars: int = 1_000_000  # one string (description, example, ...)
    max_int_digits: int = 4_000  # one integer literal (Python refuses int <-> str past 4,300 digits)
    max_output_bytes: int = 256 * MiB  # everything one run generates


# the [tool.apigen] key of each field, for messages and the configuration reader
CONFIG_KEYS: dict[str, str] = {
    "max_file_bytes": "max-file-size",
    "max_alias_nodes": "max-alias-expansion",
    "max_depth": "max-depth",
    "max_string_chars": "max-string-length",
    "max_int_digits": "max-int-digits",
    "max_output_bytes": "max-output-size",
}


DEFAULT_LIMITS = Limits()


# a lone UTF-16 surrogate (e.g. ``\\ud800`` in JSON): not text, refused wherever a spec string is read
SURROGATE = re.compile("[\ud800-\udfff]")


def plain_string(value: str, limits: Limits) -> bool:
    """Whether a spec string is within the length limit and holds no lone surrogate (the loaders' check)."""
    return len(value) <= limits.max_string_chars and SURROGATE.search(value) is None
