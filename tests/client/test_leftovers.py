"""What real-world documents leave in and the generated client still has to get right: a relative server
URL, security requirements naming schemes that ``components.securitySchemes`` does not declare (a
Swagger 2 ``securityDefinitions`` left in), and parameters with neither ``schema`` nor ``content``. Calls
go to a real server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.client.generated_client import Generated, generate_client
from tests.support.recorder import Recorder, Reply
from tests.support.specs import write_tree

SPEC = """
openapi: 3.0.3
info: {title: Leftovers, version: "1"}
servers:
  - url: /v1
security:
  - api_key: []
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: fields, in: query}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: string}}
securityDefinitions:
  api_key: {type: apiKey, name: key, in: query}
"""


@pytest.fixture(scope="module")
def leftovers(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("leftovers")
    return generate_client(write_tree(root / "spec", {"openapi.yaml": SPEC}), "leftovers_client", root / "out")


def test_a_relative_server_asks_for_base_url_by_name(leftovers: Generated) -> None:
    with leftovers.module.Client(from_env=False) as client, Recorder() as server:
        with pytest.raises(leftovers.module.ApiError) as raised:
            client.default.get_item(id="a")
    message = str(raised.value)
    assert "getItem: the API description's server '/v1' is relative" in message
    assert "base_url='https://api.example.com/v1'" in message
    assert server.requests == []


def test_an_undeclared_scheme_does_not_stop_the_call(leftovers: Generated) -> None:
    # before, the call refused with "no matching credentials; configure unknown scheme 'api_key'"
    with Recorder() as server:
        server.default = Reply(200, {"id": "a"})
        with leftovers.module.Client(base_url=server.url + "/v1", from_env=False) as client:
            item = client.default.get_item(id="a")
    assert item.id == "a"
    [sent] = server.requests
    assert (sent.method, sent.path, sent.query) == ("GET", "/v1/items/a", [])
    assert "authorization" not in sent.headers


def test_a_parameter_without_schema_or_content_is_sent_as_text(leftovers: Generated) -> None:
    with Recorder() as server:
        server.default = Reply(200, {"id": "a"})
        with leftovers.module.Client(base_url=server.url, from_env=False) as client:
            client.default.get_item(id="a/b", fields="name,size")
            client.default.get_item(id="c", fields=7)
    assert [(r.path, r.query) for r in server.requests] == [
        ("/items/a%2Fb", [("fields", "name,size")]),
        ("/items/c", [("fields", "7")]),
    ]
