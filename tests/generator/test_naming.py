from __future__ import annotations

import keyword

import pytest

from generator import naming


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
