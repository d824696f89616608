"""The builder as a whole: :class:`Builder` adds the entry point to the layers, and :func:`build_api`."""

from __future__ import annotations

from generator.model import ir
from generator.model.build.operations import OperationBuilder
from generator.model.build.raw import Unsupported, json_kind, mapping, text
from generator.model.build.schemas import Finisher
from generator.spec.diagnostics import Diagnostic, pointer_join
from generator.spec.load import LoadedSpec


class Builder(OperationBuilder):
    # -- entry -------------------------------------------------------------------------------------
    def build(self) -> ir.Api:
        doc = self.doc
        info = mapping(doc, "info")
        components = mapping(doc, "components")
        schemas = mapping(components, "schemas")
        for name in sorted(schemas):
            schema = schemas[name]
            if isinstance(schema, dict) and id(schema) not in self.component_names:
                self.component_names[id(schema)] = name
        self.claim_component_classes(schemas)
        for name in sorted(schemas):
            schema = schemas[name]
            pointer = pointer_join("#/components/schemas", name)
            if schema is False or not isinstance(schema, (dict, bool)):
                what = "is `false` (no value allowed)" if schema is False else f"is a {json_kind(schema)}, not an object"
                self.skip_schema(name, f"the schema {what}", self.where(schemas, name), pointer)
                continue
            if id(schema) in self.failed:  # skipped already, when something that refers to it was built
                continue
            try:
                self.type_of(schema, name, pointer)
            except Unsupported as exc:  # pragma: no cover - a named schema is skipped by type_of itself
                self.skip_schema(name, str(exc), self.where(exc.node if exc.node is not None else schemas, exc.key or name), pointer)
        self._build_deferred()

        servers = self.servers(doc.get("servers"), ())
        root_security = self.security(doc.get("security"))
        operations, skipped_ops = self.operations(servers, root_security)
        webhooks = self.webhooks()
        self._build_deferred()
        operations, webhooks = Finisher(self).run(operations, webhooks)
        resources = self.resources(operations)
        self.name_decoders()
        return ir.Api(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "")),
            description=text(info, "description"),
            openapi=str(doc.get("openapi", "")),
            servers=servers,
            resources=resources,
            models=tuple(self.models[name] for name in sorted(self.models)),
            security_schemes=self.security_schemes(mapping(components, "securitySchemes")),
            security=root_security,
            webhooks=webhooks,
            skipped_operations=tuple(skipped_ops),
            skipped_schemas=tuple(self.skipped_schemas),
        )



def build_api(loaded: LoadedSpec) -> tuple[ir.Api, list[Diagnostic]]:
    builder = Builder(loaded)
    api = builder.build()
    return api, builder.diagnostics



