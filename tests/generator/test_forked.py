"""The forked helper: the value comes from a child process, and any failure there is the parent's own."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from generator.forked import Forked

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@needs_fork
def test_the_value_is_computed_in_a_child() -> None:
    parent = os.getpid()
    job = Forked(lambda: (os.getpid(), {"docs/a.md": "x" * 3_000_000}))
    pid, files = job.result()
    assert pid != parent
    assert files == {"docs/a.md": "x" * 3_000_000}


def test_disabled_it_runs_here() -> None:
    assert Forked(os.getpid, enabled=False).result() == os.getpid()


class Broken(Exception):
    pass


@needs_fork
def test_an_exception_in_the_child_is_raised_by_running_it_here() -> None:
    calls: list[int] = []

    def render() -> None:
        calls.append(os.getpid())
        raise Broken("a template bug")

    job = Forked(render)
    with pytest.raises(Broken, match="a template bug"):
        job.result()
    assert calls == [os.getpid()]  # the child's call happened in the child: only the parent's is seen here


@needs_fork
def test_a_result_that_does_not_pickle_is_computed_here() -> None:
    def unpicklable() -> Any:
        return (os.getpid(), threading.Lock())

    pid, lock = Forked(unpicklable).result()
    assert pid == os.getpid()
    assert lock is not None


@needs_fork
def test_a_child_that_dies_leaves_the_work_to_the_parent() -> None:
    def dies() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 7

    parent = os.getpid()
    assert Forked(dies).result() == 7


@needs_fork
def test_cancel_stops_the_child() -> None:
    job = Forked(lambda: threading.Event().wait(60))
    job.cancel()
    assert job._conn is None and job._pid == 0


@needs_fork
def test_a_dict_comes_back_entry_by_entry_in_order() -> None:
    files = {f"docs/{i}.md": f"page {i}\n" * i for i in range(50, 0, -1)}
    got = Forked(lambda: dict(files, pid=str(os.getpid()))).result()
    assert got.pop("pid") != str(os.getpid())
    assert got == files and list(got) == list(files)


@needs_fork
def test_a_failure_after_some_entries_is_redone_here() -> None:
    class Half(dict):  # a dict subclass goes as one value; a failure while pickling it means redo here
        def __reduce__(self) -> Any:
            if os.getpid() != parent:
                raise RuntimeError("cannot pickle")
            return (dict, (dict(self),))

    parent = os.getpid()
    got = Forked(lambda: {"a": "1", "b": Half(x=os.getpid())}).result()
    assert got["b"]["x"] == parent


@needs_fork
def test_output_buffered_before_the_fork_is_written_once(capfd: pytest.CaptureFixture[str]) -> None:
    """The child ends with ``os._exit``: its copy of this process's buffers is never written a second time."""
    import sys

    sys.stdout.write("before the fork\n")  # buffered, not yet written when the child is made
    assert Forked(lambda: 5).result() == 5
    sys.stdout.flush()
    assert capfd.readouterr().out.count("before the fork") == 1


@needs_fork
def test_no_child_is_left_behind() -> None:
    job = Forked(lambda: os.getpid())
    pid = job._pid
    assert job.result() == pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: not a zombie of this process any more
