"""``[tool.apigen]`` in pyproject.toml: where the spec is, where output goes, what the package is called."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from generator.diagnostics import SpecError


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
    strict: bool = False  # `generate` refuses on every validator finding, as `lint` does


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
    if pyproject is not None:
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
        tool = data.get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("apigen"), dict):
            table = tool["apigen"]
            root = pyproject.parent
    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"[tool.apigen] {key} must be a non-empty string")
        return value

    package = text("package-name", "api_client")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", package):
        raise ConfigError(f"[tool.apigen] package-name {package!r} is not a Python identifier")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError("[tool.apigen] strict must be true or false")
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
    )


__all__ = ["Config", "ConfigError", "SpecError", "load_config"]
