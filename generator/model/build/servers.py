"""Servers (document, path and operation level) -> IR servers."""

from __future__ import annotations

from typing import Any

from generator.model import ir
from generator.model.build.raw import _items, _mapping
from generator.model.build.schemas import SchemaBuilder


class ServerBuilder(SchemaBuilder):
    # -- servers and security ----------------------------------------------------------------------
    def servers(self, raw: Any, inherited: tuple[ir.Server, ...]) -> tuple[ir.Server, ...]:
        if not raw:
            return inherited
        out = []
        for server in _items(raw):
            if not isinstance(server, dict) or "url" not in server:
                continue
            variables = []
            for name, var in _mapping(server.get("variables")).items():
                var = _mapping(var)
                enum = tuple(str(v) for v in _items(var.get("enum")))
                variables.append(
                    ir.ServerVariable(name, str(var.get("default", "")), enum, str(var.get("description", "") or ""))
                )
            out.append(ir.Server(str(server["url"]), tuple(variables), str(server.get("description", "") or ""),
                                 source=self.where(server)))  # fmt: skip
        return tuple(out)

