"""The runtime's contract data (``_contract.py``, ``extensions/_catalog.py``) says what the runtime does.

The generator documents the client from this data without reading runtime source; these tests hold the
data to the code: the classes, docstrings, statuses, exported names, client methods and functions it
names are the ones the runtime defines.
"""

from __future__ import annotations

import importlib
import inspect
import json
import runpy

import httpx
from tests.runtime import rt_support
from apigen_runtime import _base_client, _contract, _errors, _retry, public

CATALOG = runpy.run_path(str(rt_support.EXTENSIONS_DIR / "_catalog.py"))


def _exception_for(status: int) -> str:
    if status in _contract.STATUS_CLASSES:
        return _contract.STATUS_CLASSES[status]
    for low, high, name in _contract.STATUS_RANGES:
        if low <= status <= high:
            return name
    return _contract.UNEXPECTED_STATUS_CLASS


def test_error_classes_are_the_runtimes_own_with_their_docstrings() -> None:
    for name, base, doc in _contract.ERROR_CLASSES:
        cls = getattr(_errors, name)
        assert (cls.__doc__ or "").strip().split("\n", 1)[0] == doc, name
        if base:
            assert cls.__bases__[0] is getattr(_errors, base), name
    defined = {
        v.__name__
        for v in vars(_errors).values()
        if isinstance(v, type) and issubclass(v, _errors.ApiError)
    }
    assert defined == {name for name, _, _ in _contract.ERROR_CLASSES}


def test_the_status_mapping_is_the_contracts() -> None:
    for status in range(100, 600):
        assert _errors.error_class_for_status(status).__name__ == _exception_for(status), status


def test_the_retry_policy_is_the_contracts() -> None:
    assert _retry.IDEMPOTENT_METHODS == frozenset(_contract.IDEMPOTENT_METHODS)
    assert _retry.RETRYABLE_STATUSES == frozenset(_contract.RETRYABLE_STATUSES)
    config = _retry.RetryConfig()
    assert {
        "max_retries": config.max_retries,
        "initial_delay": config.initial_delay,
        "max_delay": config.max_delay,
        "max_retry_after": config.max_retry_after,
    } == _contract.RETRY_DEFAULTS
    for name in _contract.NEVER_SENT_ERRORS:
        assert _retry.should_retry("POST", getattr(httpx, name)("x")), name
    for name in _contract.MAYBE_SENT_ERRORS:
        error = getattr(httpx, name)("x")
        assert not _retry.should_retry("POST", error) and _retry.should_retry("GET", error), name
        assert _retry.should_retry("POST", error, idempotency_key=True), name
    assert _retry.should_retry("POST", 503, idempotency_key=True)
    assert not _retry.should_retry("POST", 503)
    assert not _retry.should_retry("POST", 500, idempotency_key=True)


def test_public_names_client_arguments_and_methods() -> None:
    assert sorted(public.__all__) == sorted(_contract.PUBLIC_NAMES)
    keywords = set(inspect.signature(_base_client.BaseClient.__init__).parameters) - {"self"}
    # from_env is the generated Client's own (it reads the environment); client_values it passes itself
    assert keywords == (set(_contract.CLIENT_ARGUMENTS) - {"from_env"}) | {"client_values"}
    methods = {
        name
        for cls in (_base_client.BaseClient, _base_client.SyncAPIClient, _base_client.AsyncAPIClient)
        for name, value in vars(cls).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    }
    assert methods == set(_contract.CLIENT_METHODS)


def test_the_catalog_names_what_its_modules_define() -> None:
    def attribute(module: str, name: str) -> object:
        return getattr(importlib.import_module(f"apigen_runtime.{module}"), name)

    for key, entry in {**CATALOG["AUTH"], **CATALOG["FEATURES"]}.items():
        for module, name in entry.get("public", ()):
            assert attribute(module, name) is not None, (key, name)
            assert module in entry["modules"], (key, module)
        if "register" in entry:
            assert attribute(*entry["register"]).kind == key.split("/", 1)[0], key  # type: ignore[attr-defined]
            assert callable(attribute(*entry["function"])), key
    for kind, entry in _contract.CREDENTIALS.items():
        if entry["function"]:
            assert callable(attribute("_credentials", entry["function"])), kind


def test_generic_error_fields_and_problem_json() -> None:
    problem = httpx.Response(
        422,
        content=json.dumps(
            {"type": "about:blank", "title": "Unprocessable", "detail": "item is required"}
        ).encode(),
        headers={"Content-Type": "application/problem+json", "X-Request-Id": "req-7"},
    )
    exc = _errors.status_error("createOrder", problem)
    assert (exc.error_code, exc.error_message, exc.error_detail, exc.request_id) == (
        None,
        "item is required",
        "item is required",
        "req-7",
    )
    nested = httpx.Response(400, json={"error": {"code": "bad_item", "message": "no such item"}})
    exc = _errors.status_error("createOrder", nested)
    assert (exc.error_code, exc.error_message) == ("bad_item", "no such item")
    assert str(exc) == "createOrder: HTTP 400 bad_item no such item"


def test_huawei_shapes_apply_only_where_declared() -> None:
    body = {"error_code": "MSGSMS.0002", "error_msg": "Invalid parameter"}
    generic = _errors.status_error("listApps", httpx.Response(400, json=body))
    assert (generic.error_code, generic.error_message) == (None, None)
    declared = _errors.status_error(
        "listApps", httpx.Response(400, json=body), shapes=rt_support.HUAWEI_ERRORS
    )
    assert (declared.error_code, declared.error_message) == ("MSGSMS.0002", "Invalid parameter")
