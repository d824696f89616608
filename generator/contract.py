"""What the docs say about errors, retries and credentials, read from the client's runtime sources.

The docs never restate the client's behaviour from memory: the retry policy (``_retry.py``), the
status -> exception mapping and the exception hierarchy (``_errors.py``), the environment variables
(``_credentials.py``) and the client's constructor arguments (``_base_client.py``) are read here with
:mod:`ast` (the runtime uses relative imports, so it is never imported). When a name the docs depend on
is missing or has changed shape, generation stops with a :class:`DocsError` naming the file and the name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import ConfigError


class DocsError(ConfigError):
    """The runtime sources no longer say what the docs need (a renamed constant, a changed shape)."""


@dataclass(frozen=True)
class ErrorClass:
    name: str
    base: str
    doc: str  # first line of the docstring


@dataclass(frozen=True)
class TransportFailure:
    """A kind of transport error (an ``httpx`` exception class) and what the client does with it."""

    httpx_name: str
    description: str
    exception: str
    never_sent: bool


@dataclass(frozen=True)
class Policy:
    """The client's error and retry policy, as data the templates render."""

    idempotent_methods: tuple[str, ...]
    retryable_statuses: tuple[int, ...]
    status_classes: tuple[tuple[int, str], ...]
    status_ranges: tuple[tuple[int, int, str], ...]  # (low, high, class) from error_class_for_status
    unexpected_class: str  # what error_class_for_status returns outside every range (1xx-3xx)
    classes: tuple[ErrorClass, ...]
    transport: tuple[TransportFailure, ...]
    max_retries: int
    initial_delay: float
    max_delay: float
    max_retry_after: float
    public_names: frozenset[str]
    env: tuple[tuple[str, str], ...]  # (constant name, variable name)
    client_arguments: frozenset[str]

    # -- decisions -----------------------------------------------------------------------------------
    def exception_for(self, status: int) -> str:
        for code, name in self.status_classes:
            if code == status:
                return name
        for low, high, name in self.status_ranges:
            if low <= status <= high:
                return name
        return self.unexpected_class

    def is_idempotent(self, method: str) -> bool:
        return method.upper() in self.idempotent_methods

    def status_retried(self, method: str, status: int) -> bool:
        return status in self.retryable_statuses and self.is_idempotent(method)

    def transport_retried(self, method: str, failure: TransportFailure) -> bool:
        return failure.never_sent or self.is_idempotent(method)

    def env_var(self, constant: str) -> str:
        for name, value in self.env:
            if name == constant:
                return value
        raise DocsError(f"_credentials.py: no {constant} (the docs name it as an environment variable)")

    def error_class(self, name: str) -> ErrorClass | None:
        return next((c for c in self.classes if c.name == name), None)

    def qualified(self, name: str, package: str) -> str:
        """How a user imports a runtime name: ``package.Name`` when public, else its private module."""
        if name in self.public_names:
            return f"{package}.{name}"
        return f"{package}._runtime._errors.{name}"

    def error_rows(self) -> list[tuple[str, str, bool, bool]]:
        """The API-wide table: (condition, exception, retried for idempotent methods, for the others)."""
        statuses = sorted({code for code, _ in self.status_classes} | set(self.retryable_statuses) | {500})
        rows = [
            (f"HTTP {s}", self.exception_for(s), self.status_retried("GET", s), self.status_retried("POST", s))
            for s in statuses
        ]
        for low, high, name in self.status_ranges:
            rows.append((f"any other HTTP {low}-{high}", name, False, False))
        for failure in self.transport:
            rows.append((failure.description, failure.exception, True, failure.never_sent))
        return rows


# -- reading Python sources without importing them ---------------------------------------------------


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except OSError as exc:
        raise DocsError(f"{path}: cannot read it ({exc.strerror}); the docs' errors table is derived from it") from None
    except SyntaxError as exc:
        raise DocsError(f"{path}:{exc.lineno}: does not parse; the docs' errors table is derived from it") from None


def _assignments(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _literal(node: ast.expr, where: str) -> Any:
    """A literal, also through ``frozenset({...})``/``tuple(...)`` and dotted names (``httpx.ConnectError``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple"):
        if not node.args:
            return ()
        return tuple(_literal(node.args[0], where))
    if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
        return tuple(_literal(e, where) for e in node.elts)
    if isinstance(node, ast.Dict):
        return {_literal(k, where): _literal(v, where) for k, v in zip(node.keys, node.values) if k is not None}
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return _literal(node.value, where) + "." + node.attr
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise DocsError(f"{where}: expected a literal value") from None


def _required(values: dict[str, ast.expr], name: str, path: Path) -> ast.expr:
    if name not in values:
        raise DocsError(
            f"{path}: {name} is missing; the docs' errors table is derived from it "
            "(update generator/docs_policy.py if the runtime's policy moved)"
        )
    return values[name]


def _classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _first_line(node: ast.ClassDef | ast.FunctionDef) -> str:
    doc = ast.get_docstring(node) or ""
    return doc.strip().split("\n", 1)[0].strip()


def _status_ranges(function: ast.FunctionDef, path: Path) -> tuple[list[tuple[int, int, str]], str]:
    """``if LOW <= status <= HIGH: return Name`` rules and the final ``return Name`` of error_class_for_status."""
    ranges: list[tuple[int, int, str]] = []
    fallback = ""
    for node in ast.walk(function):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            test = node.test
            bounds = [test.left, *test.comparators]
            if (
                len(bounds) == 3
                and all(isinstance(op, ast.LtE) for op in test.ops)
                and isinstance(bounds[0], ast.Constant)
                and isinstance(bounds[2], ast.Constant)
                and node.body
                and isinstance(node.body[0], ast.Return)
                and isinstance(node.body[0].value, ast.Name)
            ):
                low, high = bounds[0].value, bounds[2].value
                if isinstance(low, int) and isinstance(high, int):
                    ranges.append((low, high, node.body[0].value.id))
    last = function.body[-1] if function.body else None
    if isinstance(last, ast.Return) and isinstance(last.value, ast.Name):
        fallback = last.value.id
    if not fallback:
        raise DocsError(f"{path}: error_class_for_status no longer ends with `return <class>`; the docs read it")
    return ranges, fallback


# human wording of the httpx transport errors the policy names
_TRANSPORT_WORDS = {
    "ConnectError": "connection refused, DNS failure or TLS handshake failure",
    "ConnectTimeout": "connect timeout (TCP/TLS setup did not finish)",
    "PoolTimeout": "no free pooled connection in time",
    "ReadTimeout": "read timeout (the request may have reached the server)",
    "WriteTimeout": "write timeout while sending the request",
    "ReadError": "connection reset or closed after sending",
    "RemoteProtocolError": "the server closed the connection without a response",
}
_MAY_HAVE_BEEN_SENT = ("ReadError", "RemoteProtocolError", "WriteTimeout", "ReadTimeout")


def _init_arguments(tree: ast.Module, path: Path) -> frozenset[str]:
    for cls in _classes(tree).values():
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                names = {a.arg for a in item.args.kwonlyargs} | {a.arg for a in item.args.args[1:]}
                if "base_url" in names:
                    return frozenset(names)
    raise DocsError(f"{path}: no client class whose __init__ takes base_url; the docs' examples call it")


def runtime_public_names(runtime_dir: Path) -> list[str]:
    """The names the runtime's ``public.py`` exports (its ``__all__``), read without importing it."""
    public = runtime_dir / "public.py"
    if not public.exists():
        return []
    tree = ast.parse(public.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            return sorted(str(v) for v in value)
    return []


def runtime_reserved_names(runtime_dir: Path) -> frozenset[str]:
    """Attribute names of the runtime client classes, which a resource attribute must not shadow."""
    source = runtime_dir / "_base_client.py"
    names: set[str] = set()
    if source.exists():
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        names.add(item.name)
    return frozenset(names)


def read_policy(runtime_dir: Path) -> Policy:
    """The policy as the runtime sources in ``runtime_dir`` state it; :class:`DocsError` when they do not."""
    retry_path, errors_path = runtime_dir / "_retry.py", runtime_dir / "_errors.py"
    credentials_path, client_path = runtime_dir / "_credentials.py", runtime_dir / "_base_client.py"
    retry_tree, errors_tree = _parse(retry_path), _parse(errors_path)
    retry = _assignments(retry_tree)
    errors = _assignments(errors_tree)

    idempotent = tuple(
        sorted(str(m).upper() for m in _literal(_required(retry, "IDEMPOTENT_METHODS", retry_path), str(retry_path)))
    )
    retryable = tuple(
        sorted(int(s) for s in _literal(_required(retry, "RETRYABLE_STATUSES", retry_path), str(retry_path)))
    )
    never_sent = tuple(
        str(n).rsplit(".", 1)[-1] for n in _literal(_required(retry, "NEVER_SENT_ERRORS", retry_path), str(retry_path))
    )

    status_map = _literal(_required(errors, "_STATUS_CLASSES", errors_path), str(errors_path))
    if not isinstance(status_map, dict) or not status_map:
        raise DocsError(f"{errors_path}: _STATUS_CLASSES must be a dict literal of status -> exception class")
    classes_by_name = _classes(errors_tree)
    functions = {n.name: n for n in errors_tree.body if isinstance(n, ast.FunctionDef)}
    if "error_class_for_status" not in functions:
        raise DocsError(
            f"{errors_path}: error_class_for_status is missing; the docs read the status -> class rules from it"
        )
    ranges, fallback = _status_ranges(functions["error_class_for_status"], errors_path)
    for needed in ("ApiConnectionError", "ApiTimeoutError", "ResultCodeError", "UnexpectedStatusError"):
        if needed not in classes_by_name:
            raise DocsError(f"{errors_path}: class {needed} is missing; the docs name it")
    for name in [*status_map.values(), *(r[2] for r in ranges), fallback]:
        if name not in classes_by_name:
            raise DocsError(f"{errors_path}: {name} is named by the status mapping but not defined")
    hierarchy = tuple(
        ErrorClass(c.name, c.bases[0].id if c.bases and isinstance(c.bases[0], ast.Name) else "", _first_line(c))
        for c in classes_by_name.values()
    )

    transport: list[TransportFailure] = []
    for name in (*never_sent, *_MAY_HAVE_BEEN_SENT):
        if any(t.httpx_name == name for t in transport):
            continue
        exception = "ApiTimeoutError" if name.endswith("Timeout") else "ApiConnectionError"
        transport.append(TransportFailure(name, _TRANSPORT_WORDS.get(name, name), exception, name in never_sent))

    config = _classes(retry_tree).get("RetryConfig")
    if config is None:
        raise DocsError(f"{retry_path}: RetryConfig is missing; the docs state its defaults")
    defaults: dict[str, Any] = {}
    for item in config.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.value is not None:
            defaults[item.target.id] = _literal(item.value, f"{retry_path}: RetryConfig.{item.target.id}")
    default_retry = _required(retry, "DEFAULT_RETRY", retry_path)
    if isinstance(default_retry, ast.Call):
        for keyword in default_retry.keywords:
            if keyword.arg:
                defaults[keyword.arg] = _literal(keyword.value, f"{retry_path}: DEFAULT_RETRY")
    for key in ("max_retries", "initial_delay", "max_delay", "max_retry_after"):
        if key not in defaults:
            raise DocsError(f"{retry_path}: RetryConfig.{key} is missing; the docs state it")

    env = tuple(
        sorted(
            (name, str(ast.literal_eval(value)))
            for name, value in _assignments(_parse(credentials_path)).items()
            if name.startswith("ENV_") and isinstance(value, ast.Constant)
        )
    )
    return Policy(
        idempotent_methods=idempotent,
        retryable_statuses=retryable,
        status_classes=tuple(sorted((int(k), str(v)) for k, v in status_map.items())),
        status_ranges=tuple(sorted(ranges)),
        unexpected_class=fallback,
        classes=hierarchy,
        transport=tuple(transport),
        max_retries=int(defaults["max_retries"]),
        initial_delay=float(defaults["initial_delay"]),
        max_delay=float(defaults["max_delay"]),
        max_retry_after=float(defaults["max_retry_after"]),
        public_names=frozenset(runtime_public_names(runtime_dir)),
        env=env,
        client_arguments=_init_arguments(_parse(client_path), client_path),
    )
