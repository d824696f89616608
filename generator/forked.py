"""One function run in a forked child process while this one goes on: the docs render beside the client.

The child is a copy of this process (nothing is pickled on the way in) and sends back its result, pickled.
Where ``fork`` is not available, or the child fails in any way (an exception, a crash, a result that does not
pickle), :meth:`Forked.result` runs the function here instead: the caller gets the same value, or the same
exception with its real traceback, as without the child.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

_T = TypeVar("_T")
_FAILED = b"\0failed"
_DONE = b"\0done"
_DICT, _VALUE = "dict", "value"


def _child(function: Callable[[], Any], conn: Connection) -> None:
    try:
        value = function()
        # a dict (the docs: {path: text}) goes entry by entry, so neither side ever holds it twice
        parts = [_DICT, *value.items()] if type(value) is dict else [_VALUE, value]
        for part in parts:
            conn.send_bytes(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
        conn.send_bytes(_DONE)
    except BaseException:  # noqa: BLE001 - the parent runs the function itself and raises what it raises
        try:
            conn.send_bytes(_FAILED)
        except OSError:
            pass
    finally:
        conn.close()


class Forked(Generic[_T]):
    """``function()`` running in a forked child; :meth:`result` waits for it."""

    def __init__(self, function: Callable[[], _T], enabled: bool = True) -> None:
        self._function = function
        self._process: Any = None
        self._conn: Connection | None = None
        if enabled and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(function, send), daemon=True)
            try:
                process.start()
            except OSError:  # no more processes: do it here
                receive.close()
            else:
                self._process, self._conn = process, receive
            send.close()

    def result(self) -> _T:
        """The function's value: from the child when it succeeded, else computed here."""
        if self._conn is not None:
            try:
                answer = self._receive(self._conn)
            except (EOFError, OSError, pickle.UnpicklingError):  # the child died without an answer
                answer = None
            finally:
                self._conn.close()
                self._conn = None
                self._process.join()
            if answer is not None:
                value: _T = answer[0]
                return value
        return self._function()

    @staticmethod
    def _receive(conn: Connection) -> tuple[Any] | None:
        """The child's value (in a 1-tuple), or None when it failed."""
        data = conn.recv_bytes()
        if data == _FAILED:
            return None
        kind = pickle.loads(data)
        if kind == _VALUE:
            data = conn.recv_bytes()
            if data == _FAILED:
                return None
            value = pickle.loads(data)
        else:
            value = {}
            while (data := conn.recv_bytes()) not in (_DONE, _FAILED):
                key, item = pickle.loads(data)
                value[key] = item
            if data == _FAILED:
                return None
            return (value,)
        return (value,) if conn.recv_bytes() == _DONE else None

    def cancel(self) -> None:
        """Stop the child without waiting for its answer (the caller failed meanwhile)."""
        if self._conn is not None:
            self._process.kill()
            self._process.join()
            self._conn.close()
            self._conn = None
