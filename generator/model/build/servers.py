"""Servers (document, path and operation level) -> IR servers."""

from __future__ import annotations

from typing import Any

from generator.model import ir
from generator.model.build.raw import items, mapping, mappings, text
from generator.model.build.schemas import SchemaBuilder


class ServerBuilder(SchemaBuilder):
    # -- servers and security ----------------------------------------------------------------------
    def servers(self, raw: Any, inherited: tuple[ir.Server, ...]) -> tuple[ir.Server, ...]:
        if not raw:
            return inherited
        out = []
        for server in mappings(raw):
            if "url" not in server:
                continue
            variables = []
            for name, var in mapping(server, "variables").items():
                enum = tuple(str(v) for v in items(var, "enum"))
                variables.append(ir.ServerVariable(name, str(mapping(var).get("default", "")), enum, text(var, "description")))
            out.append(
                ir.Server(str(server["url"]), tuple(variables), text(server, "description"), source=self.where(server))
            )
        return tuple(out)

