"""The builder survives every spec: recursion never decides, skipped schemas degrade what refers to them.

Each case is a small spec with exact outcomes (warnings with ``file:line``, the IR types). The build and emit
stages are tested on their own here: validation is replaced by a no-op (the validator's findings about the
same specs are tested with the validator), so that what the builder does with a document the validator may
refuse is still checked. Every generated package is written, imported and, in one mypy process at the end,
checked with ``mypy --strict``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.model import ir
from generator.spec import validate as validation
from generator.model.build import MAX_SCHEMA_DEPTH, build_api
from generator.spec.diagnostics import Diagnostic
from generator.reference.pages import emit_docs
from generator.client.emit import ClientEmitter
from generator.output.format import format_files
from generator.spec.load import LoadedSpec, SourceMap
from generator.pipeline import generate
from tests.support.specs import line_of, write_tree

GENERIC_BODY = "schema: {$ref: '#/components/schemas/Generic'}"
BLACKLIST_RESPONSE = "schema: {$ref: '#/components/schemas/Blacklist'}"
HEAD = 'openapi: {version}\ninfo: {{title: Robust, version: "1"}}\n'

CASES: dict[str, tuple[str, str]] = {
    "array_of_itself": ("3.0.3", """
paths:
  /tree:
    get:
      operationId: getTree
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tree'}
components:
  schemas:
    Tree:
      type: array
      items: {$ref: '#/components/schemas/Tree'}
"""),
    "union_of_itself": ("3.0.3", """
paths:
  /node:
    get:
      operationId: getNode
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    Holder:
      type: object
      properties:
        node: {$ref: '#/components/schemas/Node'}
        pair: {$ref: '#/components/schemas/PairA'}
        only: {$ref: '#/components/schemas/Only'}
        folder: {$ref: '#/components/schemas/Folder'}
    Node:
      oneOf:
        - {$ref: '#/components/schemas/Node'}
        - {type: string}
        - {type: integer}
    PairA:
      oneOf: [{$ref: '#/components/schemas/PairB'}, {type: integer}]
    PairB:
      anyOf: [{$ref: '#/components/schemas/PairA'}, {type: string}]
    Only:
      oneOf:
        - {$ref: '#/components/schemas/Only'}
    Folder:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Folder'}}
"""),
    "circular_bodies": ("3.0.3", """
paths:
  /a:
    post:
      operationId: postA
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/A'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/B'}
  /b:
    post:
      operationId: postB
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/B'}
      responses:
        "204": {description: done}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
    B:
      type: object
      properties:
        a: {$ref: '#/components/schemas/A'}
        many: {type: array, items: {$ref: '#/components/schemas/A'}}
"""),
    "dynamic_ref": ("3.1.0", """
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Page'}
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Generic'}
      responses:
        "204": {description: done}
components:
  schemas:
    Page:
      type: object
      properties:
        total: {type: integer}
        items: {$ref: '#/components/schemas/Generic'}
    Generic:
      type: object
      properties:
        node: {$dynamicRef: '#node'}
"""),
    "unknown_type": ("3.0.3", """
paths:
  /blacklist:
    post:
      operationId: addBlacklist
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Entry'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Blacklist'}
components:
  schemas:
    Entry:
      type: object
      properties:
        list: {$ref: '#/components/schemas/Blacklist'}
        owner: {$ref: '#/components/schemas/Owner'}
    Blacklist:
      type: object
      properties:
        number: {type: strng}
    Owner:
      type: object
      properties:
        entry: {$ref: '#/components/schemas/Entry'}
        broken: {$ref: '#/components/schemas/Broken'}
    Broken:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        size: {type: integr}
"""),
    "non_object_schemas": ("3.1.0", """
paths:
  /things/{id}:
    post:
      operationId: postThing
      parameters:
        - {name: id, in: path, required: true, schema: false}
        - {name: q, in: query, schema: "string"}
        - {name: n, in: query, schema: 12}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {schema: false}
          content:
            application/json:
              schema: false
        default:
          description: error
          content:
            application/json:
              schema: [1, 2]
components:
  schemas:
    Thing:
      type: object
      properties:
        never: false
        text: "a string"
        number: 3
        list: {type: array, items: false}
        pair: {type: array, prefixItems: [{type: string}], items: false}
        map: {type: object, additionalProperties: "x"}
        choice: {anyOf: [false, "x", {type: string}, {type: integer}]}
        merged: {allOf: [false, 7, {type: object, properties: {a: {type: string}}}]}
    Nothing: false
    Word: "hello"
    Number: 42
"""),
    "odd_response_keys": ("3.0.3", """
paths:
  /odd:
    get:
      operationId: getOdd
      responses:
        "2²": {description: a superscript digit}
        "20O": {description: a letter O}
        "600": {description: out of range}
        " 200": {description: a space}
        "2xx":
          description: any success
          content:
            application/json:
              schema: {type: string}
        "200":
          description: ok
          content:
            application/json:
              schema: {type: integer}
"""),
}


@dataclass
class Case:
    spec: Path
    result: Any  # pipeline.Result
    package: Path  # the folder holding the package (the output's client/)

    def line(self, needle: str, below: int = 0) -> str:
        """``file:line`` of the first line holding ``needle`` (or ``below`` lines under it)."""
        return f"{self.spec}:{line_of(self.spec, needle) + below}"

    @property
    def warnings(self) -> list[str]:
        return [str(d) for d in self.result.diagnostics]

    def model(self, name: str) -> ir.Model:
        model: ir.Model = self.result.api.model(name)
        return model

    def op(self, operation_id: str) -> ir.Operation:
        return next(op for op in self.result.api.operations if op.operation_id == operation_id)


class _NoValidation:
    def result(self, strict: bool = False) -> list[Diagnostic]:
        return []


def _write(files: dict[str, str], out: Path) -> None:
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    root = tmp_path_factory.mktemp("robust")
    out: dict[str, Case] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "start", lambda loaded, strict=True: _NoValidation())
        for name, (version, body) in CASES.items():
            spec = write_tree(root / name / "spec", {"openapi.yaml": HEAD.format(version=version) + body}).resolve()
            result = generate(spec, ir.PackageInfo(f"robust_{name}", f"robust-{name}", "0.1.0"))
            assert result.files, (name, [str(d) for d in result.diagnostics])
            _write(result.files, root / name / "out")
            out[name] = Case(spec, result, root / name / "out" / "client")
    yield out


def _imports(*cases: Case) -> None:
    script = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    paths = os.pathsep.join(str(c.package) for c in cases)
    names = [next(p.name for p in c.package.iterdir() if (p / "__init__.py").exists()) for c in cases]
    done = subprocess.run(
        [sys.executable, "-c", script, *names], env=dict(os.environ, PYTHONPATH=paths),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_an_array_of_itself_types_its_inner_occurrence_any(cases: dict[str, Case]) -> None:
    case = cases["array_of_itself"]
    assert case.warnings == [
        f"{case.line('items: {$ref')}: warning: schema contains itself through something that is not an object "
        "(from #/components/schemas/Tree); the inner occurrence is typed Any (#/components/schemas/Tree/items)"
    ]
    (response,) = case.op("getTree").responses
    assert response.media[0].type == ir.ArrayType(ir.Primitive("any"))
    _imports(case)


def test_a_union_containing_itself_loses_only_that_variant(cases: dict[str, Case]) -> None:
    case = cases["union_of_itself"]
    assert case.warnings == [
        f"{case.line('    Node:', below=1)}: warning: union Node: variant 1 leads back to Node, which contains it; "
        "the variant is left out",
        f"{case.line('    PairB:', below=1)}: warning: union PairB: variant 1 leads back to PairA, which contains it; "
        "the variant is left out",
        f"{case.line('    Only:', below=2)}: warning: schema contains itself through something that is not an object "
        "(from #/components/schemas/Only); the inner occurrence is typed Any (#/components/schemas/Only/oneOf/0)",
    ]
    node = case.model("Node")
    assert isinstance(node, ir.UnionModel) and node.variants == (ir.Primitive("str"), ir.Primitive("int"))
    pair_a, pair_b = case.model("PairA"), case.model("PairB")
    assert isinstance(pair_a, ir.UnionModel) and pair_a.variants == (ir.ModelRef("PairB"), ir.Primitive("int"))
    assert isinstance(pair_b, ir.UnionModel) and pair_b.variants == (ir.Primitive("str"),)
    holder = case.model("Holder")
    assert isinstance(holder, ir.ObjectModel)
    assert {f.wire_name: f.type for f in holder.fields}["only"] == ir.Primitive("any")
    folder = case.model("Folder")  # recursion through an object is a model reference, as it should be
    assert isinstance(folder, ir.ObjectModel) and folder.fields[0].type == ir.ArrayType(ir.ModelRef("Folder"))
    _imports(case)


def test_mutually_recursive_request_bodies(cases: dict[str, Case]) -> None:
    case = cases["circular_bodies"]
    assert case.warnings == []
    a, b = case.model("A"), case.model("B")
    assert isinstance(a, ir.ObjectModel) and isinstance(b, ir.ObjectModel)
    assert [f.type for f in a.fields] == [ir.ModelRef("B")]
    assert [f.type for f in b.fields] == [ir.ModelRef("A"), ir.ArrayType(ir.ModelRef("A"))]
    body = case.op("postA").body
    assert body is not None and body.flattened is not None
    assert [(f.name, f.type) for f in body.flattened] == [("b", ir.ModelRef("B"))]
    _imports(case)


def test_dynamic_ref_skips_only_its_schema_and_referrers_degrade(cases: dict[str, Case]) -> None:
    case = cases["dynamic_ref"]
    skipped = f"Generic ({case.line('$dynamicRef')}: $dynamicRef is not supported)"
    assert case.warnings == [
        f"{case.line(GENERIC_BODY)}: warning: refers to skipped schema {skipped}; typed Any "
        "(#/paths/~1pets/post/requestBody/content/application~1json/schema)",
        f"{case.line('items: {$ref')}: warning: refers to skipped schema {skipped}; typed Any "
        "(#/components/schemas/Page/properties/items)",
        f"{case.line('$dynamicRef')}: warning: schema Generic skipped: $dynamicRef is not supported "
        "(#/components/schemas/Generic)",
    ]
    report = case.result.report()
    assert report["schemas"]["skipped"] == [
        {"id": "Generic", "reason": "$dynamicRef is not supported", "location": case.line("$dynamicRef")}
    ]
    assert report["operations"] == {"generated": ["listPets", "addPet"], "skipped": []}
    page = case.model("Page")
    assert isinstance(page, ir.ObjectModel)
    assert [f.type for f in page.fields] == [ir.Primitive("int"), ir.Primitive("any")]
    _imports(case)


def test_unknown_type_in_a_referenced_schema_skips_it_and_referrers_degrade(cases: dict[str, Case]) -> None:
    case = cases["unknown_type"]
    blacklist = f"Blacklist ({case.line('type: strng')}: unknown schema type 'strng')"
    broken = f"Broken ({case.line('type: integr')}: unknown schema type 'integr')"
    assert case.warnings == [
        f"{case.line(BLACKLIST_RESPONSE)}: warning: refers to skipped schema {blacklist}; typed Any (#/paths/~1blacklist/post/responses/200/content/application~1json/schema)",
        f"{case.line('list: {$ref')}: warning: refers to skipped schema {blacklist}; typed Any "
        "(#/components/schemas/Entry/properties/list)",
        f"{case.line('type: strng')}: warning: schema Blacklist skipped: unknown schema type 'strng' "
        "(#/components/schemas/Blacklist)",
        # Owner was finished while Broken, which refers to it, was being built: the field degrades afterwards
        f"{case.line('    Owner:', below=1)}: warning: model Owner, field 'broken' refers to skipped schema {broken}; "
        "typed Any",
        f"{case.line('type: integr')}: warning: schema Broken skipped: unknown schema type 'integr' "
        "(#/components/schemas/Broken)",
    ]
    assert sorted(m.name for m in case.result.api.models) == ["Entry", "Owner"]
    owner = case.model("Owner")
    assert isinstance(owner, ir.ObjectModel)
    assert [f.type for f in owner.fields] == [ir.ModelRef("Entry"), ir.Primitive("any")]
    assert case.result.report()["operations"]["generated"] == ["addBlacklist"]
    _imports(case)


def test_false_string_and_number_schemas_in_every_position(cases: dict[str, Case]) -> None:
    case = cases["non_object_schemas"]
    p = "#/paths/~1things~1{id}/post"
    thing = "#/components/schemas/Thing/properties"
    assert sorted(case.warnings) == sorted([
        f"{case.line('name: id')}: warning: schema is `false` (no value allowed); typed Any ({p}/parameters/id/schema)",
        f"{case.line('name: q')}: warning: schema is a string, not an object; typed Any ({p}/parameters/q/schema)",
        f"{case.line('name: n')}: warning: schema is a number, not an object; typed Any ({p}/parameters/n/schema)",
        f"{case.line('X-Rate')}: warning: schema is `false` (no value allowed); typed Any "
        f"({p}/responses/200/headers/X-Rate)",
        f"{case.line('X-Rate', below=3)}: warning: schema is `false` (no value allowed); typed Any "
        f"({p}/responses/200/content/application~1json/schema)",
        f"{case.line('schema: [1, 2]')}: warning: schema is a list, not an object; typed Any "
        f"({p}/responses/default/content/application~1json/schema)",
        f"{case.line('never: false')}: warning: schema is `false` (no value allowed); typed Any ({thing}/never)",
        f"{case.line('text: ')}: warning: schema is a string, not an object; typed Any ({thing}/text)",
        f"{case.line('number: 3')}: warning: schema is a number, not an object; typed Any ({thing}/number)",
        f"{case.line('list: ')}: warning: schema is `false` (no value allowed); typed Any ({thing}/list/items)",
        f"{case.line('choice: ')}: warning: anyOf variant is a boolean, not a schema object; left out "
        f"({thing}/choice/anyOf/0)",
        f"{case.line('choice: ')}: warning: anyOf variant is a string, not a schema object; left out "
        f"({thing}/choice/anyOf/1)",
        f"{case.line('Nothing: false')}: warning: schema Nothing skipped: the schema is `false` (no value allowed) "
        "(#/components/schemas/Nothing)",
        f"{case.line('Word: ')}: warning: schema Word skipped: the schema is a string, not an object "
        "(#/components/schemas/Word)",
        f"{case.line('Number: 42')}: warning: schema Number skipped: the schema is a number, not an object "
        "(#/components/schemas/Number)",
    ])  # fmt: skip
    model = case.model("Thing")
    assert isinstance(model, ir.ObjectModel)
    types = {f.wire_name: f.type for f in model.fields}
    any_ = ir.Primitive("any")
    assert types["never"] == types["text"] == types["number"] == any_
    assert types["list"] == types["pair"] == ir.ArrayType(any_)
    assert types["map"] == ir.MapType(any_)
    assert isinstance(types["choice"], ir.ModelRef) and isinstance(types["merged"], ir.ModelRef)
    assert [p.type for p in case.op("postThing").parameters] == [any_, any_, any_]
    _imports(case)


def test_odd_response_keys_are_ignored_with_a_warning(cases: dict[str, Case]) -> None:
    case = cases["odd_response_keys"]
    r = "#/paths/~1odd/get/responses"
    tail = "is not a status code (100-599, 1XX-5XX or default); the response is ignored"
    assert case.warnings == [
        f"{case.line('2²')}: warning: response key '2²' {tail} ({r}/2²)",
        f"{case.line('20O')}: warning: response key '20O' {tail} ({r}/20O)",
        f"{case.line('600')}: warning: response key '600' {tail} ({r}/600)",
        f"{case.line(' 200')}: warning: response key ' 200' {tail} ({r}/ 200)",
    ]
    assert [r.status for r in case.op("getOdd").responses] == ["200", "2xx"]
    _imports(case)


def test_every_robust_case_passes_mypy_strict(cases: dict[str, Case]) -> None:
    paths = os.pathsep.join(str(c.package) for c in cases.values())
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for case in cases.values():
        args += ["-p", next(p.name for p in case.package.iterdir() if (p / "__init__.py").exists())]
    done = subprocess.run(args, env=dict(os.environ, MYPYPATH=paths), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-5000:]


def test_every_robust_case_ends_without_an_internal_error_on_the_command_line(cases: dict[str, Case]) -> None:
    """With the validator back: exit 0 or 1/2 with located messages, never an internal error."""
    for name, case in cases.items():
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "generate", str(case.spec), "-o", str(case.spec.parent / "cli"),
             "--package-name", f"robust_{name}"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode in (0, 1, 2), (name, done.stderr[-2000:])
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr, (name, done.stderr[-2000:])


# -- depth: documents the loader would refuse to read are built here as Python objects ---------------


def _deep_document(n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    schemas: dict[str, Any] = {}
    for i in range(n):  # a cycle of n objects, each referring to the next
        schemas[f"S{i}"] = {"type": "object", "properties": {}}
    for i in range(n):
        schemas[f"S{i}"]["properties"]["next"] = schemas[f"S{(i + 1) % n}"]
    schemas[f"A{n}"] = {"type": "string"}
    for i in reversed(range(n)):  # a chain of n named arrays: A0 = list[A1], ...
        schemas[f"A{i}"] = {"type": "array", "items": schemas[f"A{i + 1}"]}
    deep: dict[str, Any] = {"type": "string"}
    for i in range(n):  # n inline levels: arrays of objects of arrays ...
        deep = {"type": "object", "properties": {"x": deep}} if i % 2 else {"type": "array", "items": deep}
    schemas["Deep"] = deep

    def json_body(schema: Any) -> dict[str, Any]:
        return {"content": {"application/json": {"schema": schema}}}

    paths = {
        "/s": {"post": {"operationId": "postS", "requestBody": json_body(schemas[f"S{n // 2}"]),
                        "responses": {"200": {"description": "ok", **json_body(schemas["A0"])}}}},
        "/d": {"post": {"operationId": "postD", "requestBody": json_body(deep),
                        "responses": {"200": {"description": "ok", **json_body(deep)}}}},
    }  # fmt: skip
    return {"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}, deep  # fmt: skip


def test_a_thousand_levels_never_reach_the_recursion_limit(tmp_path: Path) -> None:
    document, deep = _deep_document(1000)
    loaded = LoadedSpec(tmp_path / "deep.json", document, SourceMap(), ())
    api, diagnostics = build_api(loaded)
    # the inline nesting stops at the bound, where the schema is typed Any
    pointer = "#/components/schemas/Deep" + "".join(
        "/properties/x" if (999 - level) % 2 else "/items" for level in range(MAX_SCHEMA_DEPTH)
    )
    assert [str(d) for d in diagnostics] == [
        f"warning: schema nested more than {MAX_SCHEMA_DEPTH} levels deep; typed Any ({pointer})",
        f"warning: operation postS: a type nested more than {MAX_SCHEMA_DEPTH} levels deep is typed Any "
        "(#/paths/~1s/post)",
    ]
    # the cycle of 1,000 named objects is 1,000 models, each referring to the next
    s0 = api.model("S0")
    assert isinstance(s0, ir.ObjectModel) and s0.fields[0].type == ir.ModelRef("S1")
    s999 = api.model("S999")
    assert isinstance(s999, ir.ObjectModel) and s999.fields[0].type == ir.ModelRef("S0")
    # the chain of named arrays is followed to the bound, then Any
    (response,) = next(op for op in api.operations if op.operation_id == "postS").responses
    t = response.media[0].type
    depth = 0
    while isinstance(t, ir.ArrayType):
        t, depth = t.item, depth + 1
    assert (depth, t) == (MAX_SCHEMA_DEPTH + 1, ir.Primitive("any"))
    package = ir.PackageInfo("deep_pkg", "deep-pkg", "0.1.0")
    emitted = ClientEmitter(api, package).emit()
    files = {f"client/{name}": text for name, text in emitted.files.items()}
    files.update({f"docs/{name}": text for name, text in emit_docs(api, package).items()})
    files = format_files(files, verbatim=frozenset(f"client/{name}" for name in emitted.verbatim))
    _write(files, tmp_path / "out")
    done = subprocess.run(
        [sys.executable, "-c", "import deep_pkg; from deep_pkg import models; assert models.S999"],
        env=dict(os.environ, PYTHONPATH=str(tmp_path / "out" / "client")), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_examples_and_defaults_that_contain_themselves_are_left_out(tmp_path: Path) -> None:
    looped: dict[str, Any] = {"name": "rex"}
    looped["self"] = looped
    deep: list[Any] = []
    for _ in range(100):
        deep = [deep]
    pet = {"type": "object", "example": looped,
           "properties": {"name": {"type": "string", "default": deep}, "tag": {"type": "string", "example": "t"}}}  # fmt: skip
    media = {"schema": pet, "examples": {"loop": {"value": looped}, "fine": {"value": {"name": "rex"}}}}
    operation = {"operationId": "getPet", "responses": {"200": {"description": "ok", "content": {"application/json": media}}},
                 "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "example": looped}]}  # fmt: skip
    document = {"openapi": "3.0.3", "info": {"title": "Loops", "version": "1"}, "paths": {"/pet": {"get": operation}},
                "components": {"schemas": {"Pet": pet}}}  # fmt: skip
    api, diagnostics = build_api(LoadedSpec(tmp_path / "loops.json", document, SourceMap(), ()))
    tail = "contains itself, is nested more than 64 levels deep or holds more than 100000 values; left out"
    assert [str(d) for d in diagnostics] == [
        f"warning: model Pet: example {tail}",
        f"warning: model Pet, field 'name': default {tail}",
        f"warning: operation getPet, parameter 'q': example {tail} (#/paths/~1pet/get)",
        f"warning: operation getPet: example 'loop' {tail} (#/paths/~1pet/get)",
    ]
    model = api.model("Pet")
    assert isinstance(model, ir.ObjectModel) and not model.has_example
    assert [(f.has_default, f.example) for f in model.fields] == [(False, None), (False, "t")]
    op = api.operations[0]
    assert op.parameters[0].examples == ()
    assert [e.name for e in op.responses[0].media[0].examples] == ["fine"]
    package = ir.PackageInfo("loops", "loops", "0.1.0")
    emitted = ClientEmitter(api, package).emit()
    assert emit_docs(api, package) and all(compile(text, name, "exec") for name, text in format_files(
        {n: t for n, t in emitted.files.items() if n.endswith(".py")}).items())  # fmt: skip
