"""The intermediate representation: typed, immutable, and the only thing templates see.

``build`` turns a loaded document into an :class:`Api`; names are final here (decided by ``naming``),
and every node that can be wrong keeps the spec location it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn, Union

from generator.spec.diagnostics import Location
from generator.spec.media import MediaKind

# -- closed sets -------------------------------------------------------------------------------------

PrimitiveKind = Literal["str", "int", "float", "bool", "any", "null"]
ParameterLocation = Literal["path", "query", "header", "cookie"]
PARAMETER_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")
# OpenAPI's styles, and "json": a parameter declared with ``content`` (its value is sent as JSON text)
ParameterStyle = Literal["simple", "form", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject", "json"]
PARAMETER_STYLES: tuple[ParameterStyle, ...] = (
    "simple", "form", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject", "json",
)  # fmt: skip
# who sets a parameter when not the caller: the transport or the auth scheme (documented, not an argument), or
# the client (an optional argument defaulting to the client's value); "" is the caller
SetBy = Literal["", "transport", "auth", "client"]
SET_BY: tuple[SetBy, ...] = ("transport", "auth", "client")
EnumBase = Literal["str", "int"]

# -- types -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Primitive:
    """``format`` refines ``kind`` (date-time, date, byte, binary, uuid, ...)."""

    kind: PrimitiveKind
    format: str = ""


@dataclass(frozen=True)
class ArrayType:
    item: TypeRef


@dataclass(frozen=True)
class MapType:
    """An object with only ``additionalProperties``: ``dict[str, value]``."""

    value: TypeRef


@dataclass(frozen=True)
class ModelRef:
    """A reference to a named model of :attr:`Api.models` (object, enum or union)."""

    name: str


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


TypeRef = Union[Primitive, ArrayType, MapType, ModelRef, Nullable]
TYPES = (Primitive, ArrayType, MapType, ModelRef, Nullable)  # the classes of TypeRef, for isinstance


def assert_never(value: NoReturn) -> NoReturn:
    """The end of an exhaustive ``match`` over a closed union: mypy fails where a case is missing."""
    raise AssertionError(f"unhandled IR value {value!r}")


def unwrap_nullable(t: TypeRef) -> TypeRef:
    """``t`` without its ``Nullable`` wrappers."""
    while isinstance(t, Nullable):
        t = t.inner
    return t


@dataclass(frozen=True)
class Constraints:
    """Validation keywords kept for the docs (the client does not enforce them: servers change first)."""

    items: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return dict(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Field:
    name: str  # Python attribute
    wire_name: str  # JSON property, form field, ...
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = None
    has_default: bool = False
    constraints: Constraints = Constraints()
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    example: Any = None
    has_example: bool = False
    sensitive: bool = False  # a password, secret or token: kept out of the model's repr
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ObjectModel:
    name: str
    fields: tuple[Field, ...]
    # type of properties not declared in ``fields``; None: keep them untyped (the server may add fields)
    additional: TypeRef | None = None
    description: str = ""
    location: Location | None = None
    example: Any = None
    has_example: bool = False


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True)
class EnumModel:
    name: str
    base: EnumBase
    members: tuple[EnumMember, ...]
    description: str = ""
    location: Location | None = None


@dataclass(frozen=True)
class Discriminator:
    property: str
    mapping: tuple[tuple[str, str], ...]  # (wire value, model name)


@dataclass(frozen=True)
class UnionModel:
    name: str
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None
    description: str = ""
    location: Location | None = None
    decoder: str = ""  # its module-level decode function in models.py (unique there)


Model = Union[ObjectModel, EnumModel, UnionModel]

# -- API surface -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    variables: tuple[ServerVariable, ...] = ()
    description: str = ""
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Parameter:
    name: str  # Python argument
    wire_name: str
    location: ParameterLocation
    type: TypeRef
    required: bool
    style: ParameterStyle
    explode: bool
    description: str = ""
    default: Any = None
    has_default: bool = False
    constraints: Constraints = Constraints()
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    set_by: SetBy = ""
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)

    @property
    def is_argument(self) -> bool:
        """Whether the generated method takes it (the transport and the auth scheme set the others)."""
        return self.set_by not in ("transport", "auth")

    @property
    def is_required_argument(self) -> bool:
        """Whether the caller must pass it (a required parameter the client does not default)."""
        return self.is_argument and self.required and self.set_by != "client"

    @property
    def defaults_to_client(self) -> bool:
        """An optional argument that defaults to the client's value (``x-apigen-set-by: client``)."""
        return self.set_by == "client"


@dataclass(frozen=True)
class Example:
    name: str
    value: Any
    summary: str = ""


@dataclass(frozen=True)
class MediaType:
    content_type: str
    kind: MediaKind
    type: TypeRef | None
    examples: tuple[Example, ...] = ()

    @property
    def is_bytes(self) -> bool:
        """Whether the body is raw bytes (binary, or a media type the generator does not know)."""
        return self.kind in ("binary", "other")


@dataclass(frozen=True)
class RequestBody:
    required: bool
    description: str
    media: tuple[MediaType, ...]
    # the media type the generated method sends, and how its arguments map onto the body
    chosen: MediaType
    # object bodies become keyword arguments (one per field); others a single ``body`` argument
    flattened: tuple[Field, ...] | None = None
    body_param: str = "body"
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Header:
    name: str
    type: TypeRef
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Response:
    status: str  # "200", "2XX", "default"
    description: str
    headers: tuple[Header, ...] = ()
    media: tuple[MediaType, ...] = ()
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    @property
    def decoded(self) -> MediaType | None:
        """The media type the client decodes this response as (JSON preferred)."""
        for kind in ("json", "text", "binary", "other", "form", "multipart"):
            for media in self.media:
                if media.kind == kind:
                    return media
        return None


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: str  # apiKey, http, oauth2, openIdConnect, mutualTLS, or an x-apigen-auth kind
    description: str = ""
    location: str = ""
    parameter: str = ""
    scheme: str = ""
    options: tuple[tuple[str, Any], ...] = ()
    # where the spec writes it (compare=False: the same node written elsewhere is the same node); for `apigen diff`
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Pagination:
    """Offset paging of a list operation (``x-apigen-pagination``), resolved to Python names."""

    offset: str  # wire names, as the extension gives them
    limit: str
    items: str
    total: str
    offset_arg: str = ""  # the method's argument for ``offset``
    items_field: str = ""  # the response model's field holding the page
    item_type: TypeRef | None = None
    total_field: str = ""  # the response model's field with the total ("" when it has none)
    iterator: str = ""  # the resource method that walks every page


@dataclass(frozen=True)
class ResultCode:
    field: str
    success: tuple[str, ...]


@dataclass(frozen=True)
class Callback:
    """A request the API sends to the user (an operation's ``callbacks`` or a top-level webhook)."""

    name: str
    expression: str  # URL expression for callbacks; the webhook name for webhooks
    method: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: tuple[MediaType, ...]
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    name: str  # Python method
    method: str  # upper case
    path: str
    tag: str  # resource attribute of the client
    summary: str
    description: str
    servers: tuple[Server, ...]
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    deprecated: bool = False
    callbacks: tuple[Callback, ...] = ()
    pagination: Pagination | None = None
    result_code: ResultCode | None = None
    location: Location | None = None
    pointer: str = ""
    constant: str = ""  # module-level name of its runtime Operation

    @property
    def arguments(self) -> tuple[Parameter, ...]:
        """Parameters the caller passes (required first): everything but transport/auth-set headers."""
        usable = [p for p in self.parameters if p.is_argument]
        return tuple(sorted(usable, key=lambda p: not p.is_required_argument))

    @property
    def required_arguments(self) -> tuple[Parameter, ...]:
        """The arguments the caller must pass."""
        return tuple(p for p in self.parameters if p.is_required_argument)

    @property
    def optional_arguments(self) -> tuple[Parameter, ...]:
        """The arguments the caller may leave out (``UNSET``), in the order of :attr:`arguments`."""
        return tuple(p for p in self.arguments if not p.is_required_argument)

    @property
    def success_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_success)


@dataclass(frozen=True)
class Resource:
    """A tag: one attribute of the client, one module, one class."""

    name: str  # attribute, module
    class_name: str
    tag: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    openapi: str
    servers: tuple[Server, ...]
    resources: tuple[Resource, ...]
    models: tuple[Model, ...]
    security_schemes: tuple[SecurityScheme, ...]
    security: tuple[tuple[str, ...], ...]
    webhooks: tuple[Callback, ...] = ()
    skipped_operations: tuple[Skipped, ...] = ()
    skipped_schemas: tuple[Skipped, ...] = ()
    _by_name: dict[str, Model] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {m.name: m for m in self.models})

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for r in self.resources for op in r.operations)

    def model(self, name: str) -> Model:
        return self._by_name[name]


@dataclass(frozen=True)
class Skipped:
    id: str
    reason: str
    location: str = ""


@dataclass(frozen=True)
class PackageInfo:
    """What the user's configuration says about the generated package."""

    package: str
    distribution: str
    version: str
    extra: dict[str, Any] = field(default_factory=dict)
