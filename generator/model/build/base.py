"""State shared by every part of the builder: the document, diagnostics, namespaces and located messages."""

from __future__ import annotations

from typing import Any

from generator.model import ir, naming
from generator.spec.diagnostics import Diagnostic, Location, Severity
from generator.spec.load import LoadedSpec


class BuilderBase:
    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.doc = loaded.document
        self.diagnostics: list[Diagnostic] = []
        self.classes = naming.Namespace(sep="")
        self.models: dict[str, ir.Model] = {}
        self.model_of: dict[int, str] = {}  # id(schema) -> model name (named schemas and inline models)
        self.done: dict[int, ir.TypeRef] = {}  # id(named schema) -> its finished type
        self.failed: dict[int, str] = {}  # id(named schema) -> "Name (file:line): reason" of a skipped schema
        self.active: dict[int, str] = {}  # id(schema) being built -> its pointer (a schema reached inside itself)
        self.depth = 0
        self.deferred: list[tuple[dict[str, Any], str, str]] = []  # named schemas reached too deep, built later
        self.placeholders: dict[str, int] = {}  # name handed out for a deferred schema -> id(schema)
        self.placeholder_of: dict[int, str] = {}
        self.aliases: dict[str, ir.TypeRef] = {}  # model name handed out, then not a model: what it stands for
        self.dropped: dict[str, str] = {}  # model name handed out whose schema was skipped -> why
        self.component_names: dict[int, str] = {}
        self.component_classes: dict[int, str] = {}  # id(schema) -> its class, claimed before any inline model
        self.model_keys: dict[str, str] = {}  # class -> the components/schemas key it is named after
        self.alias_names: dict[int, str] = {}
        self.skipped_schemas: list[ir.Skipped] = []
        self.tag_names: dict[str, str] = {}  # resource (module) name -> the tag it is for
        # package-wide scopes: operation constants of _api.py, resource modules, resource classes, decoders
        self.constants = naming.Namespace(naming.CONSTANT_RESERVED)
        self.modules = naming.Namespace(naming.MODULE_RESERVED, fold=True)
        self.resource_classes = naming.Namespace(sep="")
        self.decoders = naming.Namespace(naming.DECODER_RESERVED)
        self.resource_of_tag: dict[str, str] = {}  # tag -> resource (module) name
        self.method_names: dict[str, naming.Namespace] = {}  # resource (module) name -> its methods
        self.tag_nodes: dict[str, tuple[Any, str]] = {}  # tag -> where it is first used (node, key)
        version = str(self.doc.get("openapi", ""))
        self.is_31 = version.startswith("3.1") or version.startswith("3.2")

    # -- diagnostics -------------------------------------------------------------------------------
    def where(self, node: Any, key: str | None = None) -> Location | None:
        return self.loaded.location(node, key)

    def warn(self, message: str, node: Any = None, key: str | None = None, pointer: str = "", code: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, self.where(node, key), pointer, code))

    def error(self, message: str, node: Any = None, key: str | None = None, pointer: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, self.where(node, key), pointer))

    def claim(
        self,
        names: naming.Namespace,
        wanted: str,
        what: str,
        scope: str,
        kind: str,
        node: Any = None,
        key: str | None = None,
        pointer: str = "",
        variants: tuple[str, ...] = (),
        at: Location | None = None,
        quiet: bool = False,
    ) -> str:
        """Claim ``wanted`` in ``names`` for ``what`` (found at ``node``/``key``, or ``at``).

        A collision is resolved with a counter and a warning (unless ``quiet``) naming both sources:
        ``operationId 'user_id' collides with operationId 'userId' (spec/openapi.yaml:12) after sanitising``.
        """
        where = at or self.where(node, key)
        source = f"{what} ({where or pointer})" if where or pointer else what
        got = names.claim_for(wanted, source, *variants)
        if not got.collided or quiet:
            return got.name
        if got.holder:
            message = f"{what} collides with {got.holder} after sanitising: both are {wanted} {scope}; {kind} is {got.name}"
        else:
            message = f"{what} would be {wanted}, a name the generated code uses {scope}; {kind} is {got.name}"
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, where, pointer))
        return got.name

    def skip_schema(self, name: str, reason: str, where: Location | None, pointer: str) -> None:
        self.skipped_schemas.append(ir.Skipped(name, reason, str(where) if where else pointer))
        self.diagnostics.append(Diagnostic(Severity.WARNING, f"schema {name} skipped: {reason}", where, pointer))

