"""The small spec the diff tests edit: pets, stores, a few models of each kind."""

from __future__ import annotations

from typing import Any

import yaml


def base() -> dict[str, Any]:
    ok_pets = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PetList"}}}}
    created = {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"key": []}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                        {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}},
                    ],
                    "responses": {"200": ok_pets},
                },
                "post": {
                    "operationId": "createPet",
                    "tags": ["pets"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}},
                    },
                    "responses": {"201": created, "404": {"description": "no such owner"}},
                },
            },
            "/stores": {
                "get": {
                    "operationId": "listStores",
                    "tags": ["stores"],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "token": {"type": "http", "scheme": "bearer"},
            },
            "schemas": {
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "default": 1}},
                },
                "Pet": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "weight": {"type": "number"},
                        "status": {"$ref": "#/components/schemas/Status"},
                    },
                },
                "PetList": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}},
                },
                "Kind": {"type": "string", "enum": ["cat", "dog"]},
                "Status": {"type": "string", "enum": ["available", "sold"]},
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Tag": {"type": "object", "properties": {"label": {"type": "string"}}},
                "Shape": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Tag"}]},
            },
        },
    }


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=1000)
