"""One function run in a forked child process while this one goes on: the docs render beside the client.

The child is a copy of this process (nothing is pickled on the way in) and sends back its result, pickled.
Where ``fork`` is not available, or the child fails in any way (an exception, a crash, a result that does not
pickle), :meth:`Forked.result` runs the function here instead: the caller gets the same value, or the same
exception with its real traceback, as without the child.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable
from typing import IO, Any, Generic, TypeVar

_T = TypeVar("_T")
_FAILED = b"\0failed"
_DONE = b"\0done"
_DICT, _VALUE = "dict", "value"
_SIZE = struct.Struct(">Q")  # each message on the pipe: its length, then its bytes


def _send(out: IO[bytes], data: bytes) -> None:
    out.write(_SIZE.pack(len(data)))
    out.write(data)


def _receive_one(stream: IO[bytes]) -> bytes:
    head = stream.read(_SIZE.size)
    if len(head) != _SIZE.size:
        raise EOFError("the child closed the pipe")
    (size,) = _SIZE.unpack(head)
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the child closed the pipe mid-message")
    return data


def _child(function: Callable[[], Any], fd: int) -> None:
    """In the child: run ``function`` and send its value down ``fd``; never returns (``os._exit``), so that
    nothing of the parent's (atexit handlers, buffered output, the caller's stack) runs twice."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the child; the parent reports it
        with os.fdopen(fd, "wb") as out:
            try:
                value = function()
                # a dict (the docs: {path: text}) goes entry by entry, so neither side ever holds it twice
                parts = [_DICT, *value.items()] if type(value) is dict else [_VALUE, value]
                for part in parts:
                    _send(out, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
                _send(out, _DONE)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent runs the function itself and raises what it raises
                try:
                    _send(out, _FAILED)
                except OSError:
                    pass
    finally:
        os._exit(code)


def _fork(fds: tuple[int, ...], childs: tuple[int, ...], child: Callable[[], None]) -> int:
    """Fork; the child closes the pipe ends in ``fds`` that are not its own (``childs``) and runs ``child``
    (which never returns); this process closes the child's ends. The child's pid, or 0 when no process
    could be made (every end closed: the caller does the work itself)."""
    for stream in (sys.stdout, sys.stderr):  # what is buffered is written once, by this process
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    try:
        pid = os.fork()
    except OSError:  # no more processes
        for fd in fds:
            os.close(fd)
        return 0
    if pid == 0:
        for fd in fds:
            if fd not in childs:
                os.close(fd)
        child()
    for fd in childs:
        os.close(fd)
    return pid


def _wait(pid: int) -> None:
    """Reap the child ``pid`` (0: none)."""
    if pid:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


class Forked(Generic[_T]):
    """``function()`` running in a forked child; :meth:`result` waits for it."""

    def __init__(self, function: Callable[[], _T], enabled: bool = True) -> None:
        self._function = function
        self._pid = 0
        self._conn: IO[bytes] | None = None
        if not enabled or not hasattr(os, "fork"):
            return
        receive, send = os.pipe()
        pid = _fork((receive, send), (send,), lambda: _child(function, send))
        if pid:
            self._pid, self._conn = pid, os.fdopen(receive, "rb")

    def _reap(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        _wait(self._pid)
        self._pid = 0

    def result(self) -> _T:
        """The function's value: from the child when it succeeded, else computed here."""
        if self._conn is not None:
            try:
                answer = self._receive(self._conn)
            except (EOFError, OSError, pickle.UnpicklingError):  # the child died without an answer
                answer = None
            finally:
                self._reap()
            if answer is not None:
                value: _T = answer[0]
                return value
        return self._function()

    @staticmethod
    def _receive(conn: IO[bytes]) -> tuple[Any] | None:
        """The child's value (in a 1-tuple), or None when it failed."""
        data = _receive_one(conn)
        if data == _FAILED:
            return None
        kind = pickle.loads(data)
        if kind == _VALUE:
            data = _receive_one(conn)
            if data == _FAILED:
                return None
            value = pickle.loads(data)
        else:
            value = {}
            while (data := _receive_one(conn)) not in (_DONE, _FAILED):
                key, item = pickle.loads(data)
                value[key] = item
            if data == _FAILED:
                return None
            return (value,)
        return (value,) if _receive_one(conn) == _DONE else None

    def cancel(self) -> None:
        """Stop the child without waiting for its answer (the caller failed meanwhile)."""
        if self._conn is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()


class Standby:
    """A child forked at start-up, before this process imports much: it runs ``prepare`` (imports what it
    will need) while this process loads the spec, then waits for one job (:meth:`submit`), sent pickled.

    For a small spec, whose work is mostly imports, the docs' imports then cost no wall time. A job that
    fails in the child, or a child that is gone, runs here instead, as with :class:`Forked`.
    """

    def __init__(self, prepare: Callable[[], None]) -> None:
        self._pid = 0
        self._jobs: IO[bytes] | None = None  # this end sends the job; the child answers on its own pipe
        self._answers: IO[bytes] | None = None
        if not hasattr(os, "fork"):
            return
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = _fork((job_read, job_write, answer_read, answer_write), (job_read, answer_write),
                    lambda: _standby_child(prepare, job_read, answer_write))  # fmt: skip
        if pid:
            self._pid = pid
            self._jobs, self._answers = os.fdopen(job_write, "wb"), os.fdopen(answer_read, "rb")

    def submit(self, target: str, *args: Any, **kwargs: Any) -> Submitted[Any]:
        """``module.function(*args, **kwargs)`` in the child, ``target`` naming it as ``"module:function"``:
        this process need not import the module (unless it has to do the job itself)."""
        job = None
        if self._jobs is not None:
            try:
                _send(self._jobs, pickle.dumps((target, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL))
                self._jobs.close()
                job = self._answers
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                job = None
            self._jobs = None
        submitted: Submitted[Any] = Submitted(lambda: _resolve(target)(*args, **kwargs), self._pid if job else 0, job)
        if job is None:
            self.dismiss()
        self._pid, self._answers = 0, None
        return submitted

    def dismiss(self) -> None:
        """No job: the child reads the end of its pipe and exits."""
        for stream in (self._jobs, self._answers):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._jobs = self._answers = None
        _wait(self._pid)
        self._pid = 0


def _standby_child(prepare: Callable[[], None], jobs: int, answers: int) -> None:
    """In the standby child: ``prepare()``, then the one job that comes down ``jobs`` (none: exit)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            prepare()
        except BaseException:  # noqa: BLE001 - the job imports what it needs itself
            pass
        with os.fdopen(jobs, "rb") as incoming:
            try:
                data = _receive_one(incoming)
            except (EOFError, OSError):
                code = 0  # dismissed
                data = b""
        if data:
            target, args, kwargs = pickle.loads(data)
            function = _resolve(target)
            _child(lambda: function(*args, **kwargs), answers)  # never returns
    except BaseException:  # noqa: BLE001 - the parent does the job itself
        pass
    finally:
        os._exit(code)


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


class Submitted(Forked[_T]):
    """A job sent to a :class:`Standby` child: :meth:`result` and :meth:`cancel` as for :class:`Forked`."""

    def __init__(self, function: Callable[[], _T], pid: int, answers: IO[bytes] | None) -> None:
        super().__init__(function, enabled=False)
        self._pid, self._conn = pid, answers
