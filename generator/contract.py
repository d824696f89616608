"""What the generator knows about the runtime in ``templates/client/runtime/``: data the runtime states.

The runtime states its side of the contract as plain data: ``_contract.py`` (the core: retry and error
policy, public names, the client's keywords, the credential keywords of every standard scheme kind) and
``extensions/_catalog.py`` (the optional modules, shipped only when a spec's ``x-apigen-*`` extensions use
them). Both are literal-only Python files, loaded here as data (never parsed as source, never imported as
part of the runtime). Where the generator ends and the runtime begins is this module: everything the
templates and the docs say about credentials, retries and errors comes from :class:`Runtime`,
:class:`Policy` and :class:`ClientPlan`.

:func:`client_plan` decides, for one API, the keywords of the generated ``Client`` (one group per
security scheme, named for the credential; several schemes of a kind get names after the scheme), their
environment variables (``x-apigen-env`` on the scheme or at the root, else a prefix from the package
name), the settings (server variables, client-supplied parameters) and the extension modules to ship.
"""

from __future__ import annotations

import functools
import keyword
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import ConfigError
from generator.model import ir
from generator.model.naming import snake


class DocsError(ConfigError):
    """The runtime's contract data no longer says what the generator needs (a missing key, a bad shape)."""


# -- the policy ----------------------------------------------------------------------------------------


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
    status_ranges: tuple[tuple[int, int, str], ...]  # (low, high, class), first match wins
    unexpected_class: str  # outside every range (1xx-3xx)
    classes: tuple[ErrorClass, ...]
    transport: tuple[TransportFailure, ...]
    max_retries: int
    initial_delay: float
    max_delay: float
    max_retry_after: float
    public_names: frozenset[str]
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

    def status_retried(self, method: str, status: int, idempotency_key: bool = False) -> bool:
        return status in self.retryable_statuses and (idempotency_key or self.is_idempotent(method))

    def transport_retried(self, method: str, failure: TransportFailure, idempotency_key: bool = False) -> bool:
        return failure.never_sent or idempotency_key or self.is_idempotent(method)

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


# -- loading the data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runtime:
    """The runtime's contract: its core data, its extension catalog, and the folders they came from."""

    directory: Path
    core: dict[str, Any]
    auth_extensions: dict[str, dict[str, Any]]
    features: dict[str, dict[str, Any]]
    policy: Policy

    @property
    def extensions_dir(self) -> Path:
        return self.directory / "extensions"

    def reserved_names(self) -> frozenset[str]:
        """Attribute names of the runtime client classes, which a resource attribute must not shadow."""
        return frozenset(str(n) for n in self.core["CLIENT_METHODS"])


def _data(path: Path) -> dict[str, Any]:
    try:
        values = runpy.run_path(str(path))
    except OSError as exc:
        raise DocsError(f"{path}: cannot read it ({exc.strerror}); the generator reads the runtime's contract there") from None
    except Exception as exc:  # a literal-only file that fails to load is an error in it, named here
        raise DocsError(f"{path}: does not load ({type(exc).__name__}: {exc})") from None
    return {k: v for k, v in values.items() if not k.startswith("__")}


def _required(values: dict[str, Any], name: str, path: Path, kind: type | tuple[type, ...]) -> Any:
    if name not in values:
        raise DocsError(f"{path}: {name} is missing; the generator reads it (the runtime's contract)")
    if not isinstance(values[name], kind):
        raise DocsError(f"{path}: {name} must be a {getattr(kind, '__name__', kind)} literal")
    return values[name]


@functools.lru_cache(maxsize=8)
def load_runtime(directory: Path) -> Runtime:
    """The contract of the runtime in ``directory``; :class:`DocsError` naming the file when it is incomplete."""
    path = directory / "_contract.py"
    core = _data(path)
    idempotent = tuple(sorted(str(m).upper() for m in _required(core, "IDEMPOTENT_METHODS", path, tuple)))
    retryable = tuple(sorted(int(s) for s in _required(core, "RETRYABLE_STATUSES", path, tuple)))
    never_sent = tuple(str(n) for n in _required(core, "NEVER_SENT_ERRORS", path, tuple))
    maybe_sent = tuple(str(n) for n in _required(core, "MAYBE_SENT_ERRORS", path, tuple))
    words = _required(core, "TRANSPORT_WORDS", path, dict)
    defaults = _required(core, "RETRY_DEFAULTS", path, dict)
    for key in ("max_retries", "initial_delay", "max_delay", "max_retry_after"):
        if key not in defaults:
            raise DocsError(f"{path}: RETRY_DEFAULTS has no {key!r}; the docs state it")
    status_map = _required(core, "STATUS_CLASSES", path, dict)
    ranges = tuple((int(lo), int(hi), str(name)) for lo, hi, name in _required(core, "STATUS_RANGES", path, tuple))
    unexpected = str(_required(core, "UNEXPECTED_STATUS_CLASS", path, str))
    classes = tuple(ErrorClass(str(n), str(b), str(d)) for n, b, d in _required(core, "ERROR_CLASSES", path, tuple))
    names = {c.name for c in classes}
    for needed in ("ApiConnectionError", "ApiTimeoutError", "ResultCodeError", *status_map.values(),
                   *(r[2] for r in ranges), unexpected):  # fmt: skip
        if needed not in names:
            raise DocsError(f"{path}: ERROR_CLASSES has no {needed}; the docs name it")
    transport = tuple(
        TransportFailure(
            name,
            str(words.get(name, name)),
            "ApiTimeoutError" if name.endswith("Timeout") else "ApiConnectionError",
            name in never_sent,
        )
        for name in dict.fromkeys((*never_sent, *maybe_sent))
    )
    for name in ("PUBLIC_NAMES", "CLIENT_ARGUMENTS", "CLIENT_METHODS"):
        _required(core, name, path, tuple)
    _required(core, "CREDENTIALS", path, dict)
    _required(core, "DEFAULT_ERROR_FIELDS", path, dict)
    policy = Policy(
        idempotent_methods=idempotent,
        retryable_statuses=retryable,
        status_classes=tuple(sorted((int(k), str(v)) for k, v in status_map.items())),
        status_ranges=ranges,
        unexpected_class=unexpected,
        classes=classes,
        transport=transport,
        max_retries=int(defaults["max_retries"]),
        initial_delay=float(defaults["initial_delay"]),
        max_delay=float(defaults["max_delay"]),
        max_retry_after=float(defaults["max_retry_after"]),
        public_names=frozenset(str(n) for n in core["PUBLIC_NAMES"]),
        client_arguments=frozenset(str(n) for n in core["CLIENT_ARGUMENTS"]),
    )
    catalog_path = directory / "extensions" / "_catalog.py"
    catalog = _data(catalog_path) if catalog_path.exists() else {"AUTH": {}, "FEATURES": {}}
    auth = _required(catalog, "AUTH", catalog_path, dict)
    features = _required(catalog, "FEATURES", catalog_path, dict)
    for key, entry in {**auth, **features}.items():
        for module in entry.get("modules", ()):
            if not (directory / "extensions" / f"{module}.py").is_file():
                raise DocsError(f"{catalog_path}: {key} ships {module}.py, which is not in {directory / 'extensions'}")
    return Runtime(directory, core, auth, features, policy)


def read_policy(runtime_dir: Path) -> Policy:
    """The policy the runtime in ``runtime_dir`` states (:class:`DocsError` when it does not)."""
    return load_runtime(runtime_dir).policy


def runtime_reserved_names(runtime_dir: Path) -> frozenset[str]:
    return load_runtime(runtime_dir).reserved_names()


# -- the constructor of one API's client ----------------------------------------------------------------


@dataclass(frozen=True)
class Keyword:
    """One keyword of the generated ``Client``: its Python name, the key its credential function reads,
    what it is, a placeholder for examples, whether the group needs it, and its environment variable."""

    name: str
    key: str
    description: str
    placeholder: str
    required: bool
    env: str


@dataclass(frozen=True)
class SchemeArgs:
    """How the generated ``Client`` is given what one security scheme needs."""

    scheme: str
    kind: str  # the catalog key: ``apiKey``, ``http/basic``, ``sdk-hmac-sha256/application``, ...
    module: str  # runtime module holding ``function`` (``_credentials`` for the standard kinds)
    function: str  # "" when the client takes no credential for it (mutualTLS) or it is not supported
    keywords: tuple[Keyword, ...] = ()
    alternative: tuple[Keyword, ...] = ()
    extra: tuple[Keyword, ...] = ()
    classes: tuple[str, ...] = ()
    signed: bool = False
    supported: bool = True
    note: str = ""
    extra_note: str = ""
    shared_with: str = ""  # another scheme whose keywords these are (the credential is made once, there)
    example_alternative: bool = False  # the docs' examples use ``alternative`` (runnable without a token server)
    curl: tuple[tuple[str, str], ...] = ()  # (header, value) samples for curl, options filled in
    curl_when_path: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # path parameter -> more samples

    @property
    def all_keywords(self) -> tuple[Keyword, ...]:
        return (*self.keywords, *self.alternative, *self.extra)


@dataclass(frozen=True)
class Setting:
    """A non-credential keyword: a server variable (``region``) or a client-supplied parameter (``project_id``)."""

    name: str
    wire: str
    kind: str  # "server_variable" or "client_value"
    env: str
    description: str
    default: str


@dataclass(frozen=True)
class ClientPlan:
    schemes: tuple[SchemeArgs, ...]
    settings: tuple[Setting, ...]
    modules: tuple[str, ...]  # extension modules shipped, in dependency order (file names without .py)
    registers: tuple[tuple[str, str], ...]  # (module, name) of each AuthKind the client is given
    public: tuple[tuple[str, str], ...]  # (module, name) the package exports: core (``public``) and extensions
    env_prefix: str
    client_arguments: frozenset[str]

    def scheme(self, name: str) -> SchemeArgs | None:
        return next((s for s in self.schemes if s.scheme == name), None)

    def setting(self, wire: str, kind: str = "server_variable") -> Setting | None:
        return next((s for s in self.settings if s.wire == wire and s.kind == kind), None)

    @property
    def keywords(self) -> tuple[Keyword, ...]:
        """Every credential keyword once (schemes sharing a group share their keywords)."""
        seen: dict[str, Keyword] = {}
        for s in self.schemes:
            for k in s.all_keywords:
                seen.setdefault(k.name, k)
        return tuple(seen.values())

    @property
    def public_names(self) -> tuple[str, ...]:
        return tuple(sorted({name for _, name in self.public}))

    def takes(self, name: str) -> bool:
        """Whether the generated ``Client`` takes keyword ``name``."""
        return (
            name in self.client_arguments
            or any(k.name == name for k in self.keywords)
            or any(s.name == name for s in self.settings)
        )


def scheme_kind(scheme: ir.SecurityScheme) -> str:
    """The catalog key of a scheme: ``http/basic``, ``sdk-hmac-sha256/account``, ``apiKey``, ..."""
    if scheme.kind == "http":
        sub = scheme.scheme.lower()
        return f"http/{sub}" if sub in ("basic", "bearer") else "http"
    keys = dict(scheme.options).get("keys")
    if isinstance(keys, str) and keys:
        return f"{scheme.kind}/{keys}"
    return scheme.kind


def features_used(api: ir.Api) -> frozenset[str]:
    """The catalog ``FEATURES`` an API uses (``x-apigen-result-code/items``: per-item result codes)."""
    used = set()
    if any(op.result_code is not None and op.result_code.items for op in api.operations):
        used.add("x-apigen-result-code/items")
    return frozenset(used)


def client_plan(api: ir.Api, package: ir.PackageInfo, runtime: Runtime) -> ClientPlan:
    """The generated ``Client``'s keywords, their environment variables, and what the package ships."""
    core_credentials: dict[str, dict[str, Any]] = runtime.core["CREDENTIALS"]
    generic = frozenset(str(n) for n in runtime.core["CLIENT_ARGUMENTS"])
    root_prefix, root_env = "", dict(api.env)
    if "" in root_env:
        root_prefix = root_env.pop("")
    prefix = root_prefix or (package.package.upper() + "_")

    # 1. each scheme's entry and its group: schemes of one shared group share their keywords
    entries: list[tuple[ir.SecurityScheme, str, dict[str, Any], str]] = []  # scheme, kind, entry, group
    for scheme in api.security_schemes:
        kind = scheme_kind(scheme)
        found = runtime.auth_extensions.get(kind) or core_credentials.get(kind)
        if found is None and "/" in kind:
            found = runtime.auth_extensions.get(kind.split("/", 1)[0]) or core_credentials.get(kind.split("/", 1)[0])
        if found is None:
            entries.append((scheme, kind, {}, f"scheme:{scheme.name}"))
            continue
        group = str(found.get("group", "")) or f"scheme:{scheme.name}"
        entries.append((scheme, kind, _runnable(found, scheme) if kind == "oauth2" else found, group))

    # 2. keyword names: a base name wanted by one group keeps it; several groups get names after the scheme
    def groups_of(entry: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
        return [(str(k[0]), str(k[1]), str(k[2]), bool(k[3])) for part in ("keywords", "alternative", "extra")
                for k in entry.get(part, ())]  # fmt: skip

    wanted: dict[str, set[str]] = {}
    for _, _, entry, group in entries:
        for key, *_ in groups_of(entry):
            wanted.setdefault(key, set()).add(group)
    taken: set[str] = set(generic) | {"self"}
    settings: list[Setting] = []
    # settings first: a server variable or client value keeps its name, credentials avoid it
    variables: dict[str, ir.ServerVariable] = {}
    for server in (*api.servers, *(s for op in api.operations for s in op.servers)):
        for v in server.variables:
            variables.setdefault(v.name, v)
    client_values: dict[str, ir.Parameter] = {}
    for op in api.operations:
        for p in op.parameters:
            if p.set_by == "client":
                client_values.setdefault(p.wire_name, p)
    for wire, v in sorted(variables.items()):
        name = _free(snake(wire), taken)
        settings.append(Setting(name, wire, "server_variable", root_env.get(wire) or prefix + name.upper(),
                                v.description, v.default))  # fmt: skip
    for wire, p in sorted(client_values.items()):
        name = _free(p.name, taken)
        settings.append(Setting(name, wire, "client_value", root_env.get(wire) or prefix + name.upper(),
                                p.description, ""))  # fmt: skip

    by_group: dict[str, dict[str, str]] = {}  # group -> key -> keyword name
    schemes: list[SchemeArgs] = []
    group_owner: dict[str, str] = {}
    modules: list[str] = []
    registers: list[tuple[str, str]] = []
    public: list[tuple[str, str]] = [("public", str(n)) for n in runtime.core["PUBLIC_NAMES"]]
    for scheme, kind, entry, group in entries:
        if not entry:
            schemes.append(SchemeArgs(scheme.name, kind, "", "", supported=False))
            continue
        scheme_env = dict(scheme.env)
        scheme_prefix = scheme_env.pop("", "")
        names = by_group.get(group)
        if names is None:
            names = {}
            for key, *_ in groups_of(entry):
                base = key if len(wanted[key]) == 1 else _renamed(scheme.name, key, entry)
                names[key] = _free(base, taken)
            by_group[group] = names
        chosen: dict[str, str] = names

        def keyword_list(part: str) -> tuple[Keyword, ...]:
            out = []
            for key, description, placeholder, required in entry.get(part, ()):
                name = chosen[key]
                env = scheme_env.get(key) or (scheme_prefix + name.upper() if scheme_prefix else prefix + name.upper())
                out.append(Keyword(name, str(key), str(description), str(placeholder), bool(required), env))
            return tuple(out)

        keywords, alternative, extra = keyword_list("keywords"), keyword_list("alternative"), keyword_list("extra")
        module, function = ("_credentials", str(entry.get("function", "")))
        if "modules" in entry:  # an extension
            module, function = (str(x) for x in entry["function"])
            for m in entry["modules"]:
                if m not in modules:
                    modules.append(str(m))
            register = tuple(str(x) for x in entry["register"])
            if register not in registers:
                registers.append(register)  # type: ignore[arg-type]
            public += [(str(m), str(n)) for m, n in entry.get("public", ())]
        shared = group_owner.setdefault(group, scheme.name)
        schemes.append(
            SchemeArgs(
                scheme=scheme.name,
                kind=kind,
                module=module,
                function=function,
                keywords=keywords,
                alternative=alternative,
                extra=extra,
                example_alternative=bool(entry.get("example") == "alternative" and alternative),
                classes=tuple(str(c) for c in entry.get("classes", ())),
                signed=bool(entry.get("signed", False)),
                note=str(entry.get("note", "")),
                extra_note=str(entry.get("extra_note", "")),
                shared_with="" if shared == scheme.name else shared,
                curl=_samples(entry.get("curl", ()), scheme, entry),
                curl_when_path=tuple(
                    (str(name), _samples(samples, scheme, entry))
                    for name, samples in sorted(dict(entry.get("curl_when_path", {})).items())
                ),
            )
        )
    used = features_used(api)
    for key, entry in runtime.features.items():
        if key in used:
            for m in entry.get("modules", ()):
                if m not in modules:
                    modules.append(str(m))
            public += [(str(m), str(n)) for m, n in entry.get("public", ())]
    return ClientPlan(
        schemes=tuple(schemes),
        settings=tuple(settings),
        modules=tuple(modules),
        registers=tuple(registers),
        public=tuple(sorted(set(public), key=lambda p: p[1])),
        env_prefix=prefix,
        client_arguments=generic,
    )


def _runnable(entry: dict[str, Any], scheme: ir.SecurityScheme) -> dict[str, Any]:
    """An OAuth2 entry keeps the keywords of the flows the client can run (with a token URL) only."""
    flows = {f.kind for f in scheme.flows if f.token_url}
    entry = dict(entry)
    if "password" not in flows:
        entry["extra"] = ()
    if not flows & {"clientCredentials", "password"}:
        entry["keywords"], entry["alternative"] = entry.get("alternative", ()), ()
    return entry


class _Options(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def _samples(raw: Any, scheme: ir.SecurityScheme, entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Curl header samples of a catalog entry with the scheme's options (``{realm}``, ``{parameter}``) filled in."""
    options = _Options({str(k): str(v) for k, v in dict(entry.get("defaults", {})).items()})
    options.update({k: str(v) for k, v in scheme.options if isinstance(v, (str, int, float))})
    if scheme.parameter:
        options["parameter"] = scheme.parameter
    out = []
    for name, value in raw:
        header = str(name).format_map(options)
        if header:
            out.append((header, str(value).format_map(options)))
    return tuple(out)


def _renamed(scheme: str, key: str, entry: dict[str, Any]) -> str:
    """The keyword of ``key`` for one of several schemes wanting it: named after the scheme."""
    base = snake(scheme)
    single = len(entry.get("keywords", ())) == 1 and not entry.get("alternative") and not entry.get("extra")
    if single:
        return base
    return base if base.endswith("_" + key) else f"{base}_{key}"


def _free(name: str, taken: set[str]) -> str:
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name}_{n}", n + 1
    taken.add(unique)
    return unique


RUNTIME_DIR = Path(__file__).resolve().parents[1] / "templates" / "client" / "runtime"


@functools.lru_cache(maxsize=1)
def _patterns() -> Any:
    return _data(RUNTIME_DIR / "_patterns.py")["from_pattern"]


def text_matching(pattern: str, min_length: int = 0) -> str:
    """A text ``pattern`` matches, written by the runtime's own sampler (``_patterns.py``); ``""`` when it cannot."""
    return str(_patterns()(pattern, min_length))
