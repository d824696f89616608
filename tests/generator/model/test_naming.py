from __future__ import annotations

import keyword

import pytest

from generator.config import package_name_problem
from generator.model import naming


@pytest.mark.parametrize(
    ("wire", "field"),
    [
        ("from", "from_"),
        ("templateId", "template_id"),
        ("class", "class_"),
        ("X-Auth-Token", "x_auth_token"),
        ("smsMsgId", "sms_msg_id"),
        ("2fa", "n2fa"),
        ("user.name", "user_name"),
        ("list", "list_"),
        ("additional_properties", "additional_properties_"),
        ("to_wire", "to_wire_"),
        ("match", "match_"),
        ("HTTPServer", "http_server"),
        ("é", "e"),
    ],
)
def test_field_names(wire: str, field: str) -> None:
    assert naming.field_name(wire) == field


def test_every_name_is_an_identifier_and_not_a_keyword() -> None:
    samples = ["", "   ", "123", "日本語", "--", "$ref", "None", "True", "a b c", "über-größe", "🙂", "self", "def"]
    for text in samples:
        for fn in (naming.field_name, naming.param_name, naming.method_name, naming.module_name):
            name = fn(text)
            assert name.isidentifier() and name.isascii(), (fn.__name__, text, name)
            assert not keyword.iskeyword(name), (fn.__name__, text, name)
        cls = naming.class_name(text)
        assert cls.isidentifier() and cls.isascii() and not keyword.iskeyword(cls)
        const = naming.constant(text)
        assert const.isidentifier() and const.isascii()


def test_non_ascii_names_stay_distinct() -> None:
    assert naming.snake("日本") != naming.snake("中国")
    assert naming.class_name("Größe") == "Grosse" or naming.class_name("Größe").startswith("Gro")


def test_parameters_do_not_shadow_what_generated_bodies_use() -> None:
    for name in ("self", "options", "isinstance", "len", "str", "bytes"):
        assert naming.param_name(name) == name + "_"
    # the generated bodies' own locals start with an underscore (``_data``, ``_response``): these stay as they are
    for name in ("data", "response", "client", "page", "items", "result", "status"):
        assert naming.param_name(name) == name


def test_classes_do_not_shadow_runtime_names() -> None:
    assert naming.class_name("Unset") == "UnsetModel"
    assert naming.class_name("client") == "ClientModel"


def test_namespace_resolves_collisions_deterministically() -> None:
    ns = naming.Namespace()
    names = [ns.claim(naming.field_name(w)) for w in ("user-id", "user_id", "userId", "USER_ID")]
    assert names == ["user_id", "user_id_2", "user_id_3", "user_id_4"]
    classes = naming.Namespace(sep="")
    assert [classes.claim("Pet"), classes.claim("Pet")] == ["Pet", "Pet2"]


def test_enum_constants() -> None:
    assert naming.constant("in-progress") == "IN_PROGRESS"
    assert naming.constant("1") == "VALUE_1"
    assert naming.constant("") == "EMPTY"
    assert naming.constant("+") .startswith("VALUE_")


def test_namespace_names_the_holder_of_a_taken_name() -> None:
    ns = naming.Namespace({"API"})
    first = ns.claim_for("USER_ID", "operationId 'userId' (a.yaml:3)")
    second = ns.claim_for("USER_ID", "operationId 'user_id' (b.yaml:9)")
    reserved = ns.claim_for("API", "operationId 'api' (a.yaml:5)")
    assert (first.name, first.holder) == ("USER_ID", None)
    assert (second.name, second.holder) == ("USER_ID_2", "operationId 'userId' (a.yaml:3)")
    assert (reserved.name, reserved.holder, reserved.collided) == ("API_2", "", True)


def test_namespace_folding_case_for_file_names() -> None:
    ns = naming.Namespace({"__init__"}, fold=True)
    assert [ns.claim("pets"), ns.claim("Pets"), ns.claim("PETS_2"), ns.claim("__INIT__")] == [
        "pets", "Pets_2", "PETS_2_2", "__INIT___2",
    ]  # fmt: skip


def test_namespace_keeps_every_variant_of_a_name_free() -> None:
    ns = naming.Namespace(sep="")
    # tag ``Foo`` takes FooResource and AsyncFooResource; tag ``AsyncFoo`` must not take the latter
    assert ns.claim_for("FooResource", "", "Async{}").name == "FooResource"
    assert ns.claim_for("AsyncFooResource", "", "Async{}").name == "AsyncFooResource2"
    assert "AsyncAsyncFooResource2" in ns and "AsyncFooResource" in ns


def test_module_names_are_bounded_and_stay_distinct() -> None:
    a, b = naming.module_name("t" * 300), naming.module_name("t" * 299 + "u")
    assert len(a) == len(b) == naming.MAX_MODULE and a != b
    assert a == naming.module_name("t" * 300)  # stable
    assert naming.module_name("x" * naming.MAX_MODULE) == "x" * naming.MAX_MODULE


def test_sanitised_names_never_start_with_an_underscore() -> None:
    # the templates' own names all start with one (``_wire``, ``_m``, ``_data``): no spec name can take them
    for text in ("_m", "__init__", "_", "_runtime", "__class__", "-x", " y", "_1"):
        for fn in (naming.field_name, naming.param_name, naming.method_name, naming.module_name, naming.snake):
            assert not fn(text).startswith("_"), (fn.__name__, text)
        assert not naming.class_name(text).startswith("_") and not naming.constant(text).startswith("_")


def test_names_the_class_bodies_evaluate_are_reserved() -> None:
    assert naming.field_name("field") == "field_" and naming.field_name("classmethod") == "classmethod_"
    assert naming.field_name("wire") == "wire" and naming.field_name("data") == "data"
    assert naming.method_name("list") == "list_" and naming.method_name("api") == "api"


def test_package_names_that_cannot_be_imported_are_named() -> None:
    assert package_name_problem("huawei_sms") is None
    assert package_name_problem("class") == "is a Python keyword"
    assert package_name_problem("match") == "is a Python keyword"
    assert package_name_problem("my-pkg").startswith("is not a Python identifier")
    assert package_name_problem("größe").startswith("is not a Python identifier")
    assert package_name_problem("__main__") == "is a dunder name"
    assert package_name_problem("httpx") == "would shadow the standard library or httpx module of that name"
    assert package_name_problem("json") == "would shadow the standard library or httpx module of that name"
