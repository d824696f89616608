"""``[tool.apigen]`` in pyproject.toml: where the spec is, where output goes, what the package is called."""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.spec.diagnostics import Location, SpecError
from generator.spec.limits import CONFIG_KEYS, DEFAULT_LIMITS, Limits

# besides the standard library, names the generated package must not shadow: its runtime dependency
_TAKEN = frozenset(getattr(sys, "stdlib_module_names", ())) | {"httpx", "anyio"}  # what the package imports


class ConfigError(Exception):
    """A bad command-line argument or configuration value: exit code 2."""


@dataclass(frozen=True)
class Config:
    root: Path  # directory of pyproject.toml (or the working directory)
    spec: Path
    output: Path
    client_dir: str = "client"
    docs_dir: str = "docs"
    package_name: str = "api_client"
    distribution_name: str = "api-client"
    client_version: str = "0.1.0"
    ref_roots: tuple[Path, ...] = ()
    limits: Limits = field(default=DEFAULT_LIMITS)
    strict: bool = False  # `generate` refuses on every validator finding, as `lint` does
    names_configured: bool = False  # package-name / distribution-name / client-version set in [tool.apigen]

    def applies_to(self, spec: Path) -> bool:
        """Whether the names in ``[tool.apigen]`` are meant for ``spec`` (the configured one), not another."""
        try:
            return spec.resolve() == self.spec.resolve()
        except OSError:
            return False


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the generated package's import name, or None."""
    if not name.isascii() or not name.isidentifier():
        return "is not a Python identifier (ASCII letters, digits and _, not starting with a digit)"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if name.startswith("__"):
        return "is a dunder name"
    if name in _TAKEN:
        return "would shadow the standard library or httpx module of that name"
    return None


def names_from_title(title: str) -> tuple[str, str]:
    """Package and distribution names derived from ``info.title``: ``Twilio - Messaging`` ->
    ``twilio_messaging``, ``twilio-messaging-client``."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    package = "_".join(words) or "api_client"
    if package[0].isdigit():
        package = f"api_{package}"
    if package_name_problem(package) is not None:
        package = f"{package}_client"
    distribution = package.replace("_", "-")
    if not distribution.endswith("client"):
        distribution += "-client"
    return package, distribution


def toml() -> Any:
    """The TOML parser (tomllib, or tomli before 3.11), imported when a pyproject.toml is read, not at start-up."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(cwd: Path | None = None) -> Config:
    cwd = (cwd or Path.cwd()).resolve()
    pyproject = find_pyproject(cwd)
    table: dict[str, object] = {}
    root = cwd
    source = ""
    if pyproject is not None:
        tomllib = toml()
        try:
            source = pyproject.read_text(encoding="utf-8")
            data = tomllib.loads(source)
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read: {type(exc).__name__}", Location(str(pyproject), 0)) from None
        except tomllib.TOMLDecodeError as exc:
            at = re.search(r"line (\d+)", str(exc))
            raise SpecError(f"invalid TOML: {exc}", Location(str(pyproject), int(at.group(1)) if at else 0)) from None
        tool = data.get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("apigen"), dict):
            table = tool["apigen"]
            root = pyproject.parent

    def fail(key: str, message: str) -> SpecError:
        """An error at the line of ``key`` in pyproject.toml."""
        line = 0
        if pyproject is not None:
            for number, row in enumerate(source.splitlines(), start=1):
                if re.match(rf"\s*{re.escape(key)}\s*=", row) or re.match(rf'\s*"{re.escape(key)}"\s*=', row):
                    line = number
                    break
        return SpecError(f"[tool.apigen] {key} {message}", Location(str(pyproject), line))

    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise fail(key, "must be a non-empty string")
        return value

    package = text("package-name", "api_client")
    problem = package_name_problem(package)
    if problem is not None:
        raise fail("package-name", f"{package!r} {problem}")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise fail("strict", "must be true or false")
    roots = table.get("ref-roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) and r for r in roots):
        raise fail("ref-roots", "must be a list of folder paths")
    limits: dict[str, int] = {}
    for attribute, key in CONFIG_KEYS.items():
        if key in table:
            value = table[key]
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise fail(key, "must be a positive integer")
            limits[attribute] = value
    return Config(
        root=root,
        spec=root / text("spec", "openapi.yaml"),
        output=root / text("output", "generated"),
        client_dir=text("client-dir", "client"),
        docs_dir=text("docs-dir", "docs"),
        package_name=package,
        distribution_name=text("distribution-name", package.replace("_", "-")),
        client_version=text("client-version", "0.1.0"),
        strict=strict,
        ref_roots=tuple(root / r for r in roots),
        limits=dataclasses.replace(DEFAULT_LIMITS, **limits),
        names_configured=any(k in table for k in ("package-name", "distribution-name", "client-version")),
    )


__all__ = ["Config", "ConfigError", "SpecError", "load_config", "names_from_title", "package_name_problem"]
