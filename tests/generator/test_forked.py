"""The forked helper: the value comes from a child process, and any failure there is the parent's own."""

from __future__ import annotations

import os
import threading
from pathlib import Path
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


# the standby child: forked first, given its job later (by name, pickled arguments)
def _pid_and(value: Any) -> tuple[int, Any]:
    return os.getpid(), value


def _fails(_: Any) -> None:
    raise Broken("in the job")


@needs_fork
def test_a_standby_child_does_the_job_sent_to_it_later() -> None:
    from generator.forked import Standby

    prepared: list[int] = []
    standby = Standby(lambda: prepared.append(1))
    job = standby.submit(f"{__name__}:_pid_and", {"docs/a.md": "x" * 1_000_000})
    pid, value = job.result()
    assert pid != os.getpid() and value == {"docs/a.md": "x" * 1_000_000}
    assert prepared == []  # prepare ran in the child, not here
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


@needs_fork
def test_a_job_that_fails_in_the_standby_child_is_done_here_and_raises_here() -> None:
    from generator.forked import Standby

    with pytest.raises(Broken, match="in the job"):
        Standby(lambda: None).submit(f"{__name__}:_fails", 1).result()
    # a job whose arguments do not pickle: done here, from the start
    pid, lock = Standby(lambda: None).submit(f"{__name__}:_pid_and", threading.Lock()).result()
    assert pid == os.getpid() and lock is not None


@needs_fork
def test_a_dismissed_standby_child_exits_and_a_failing_prepare_is_harmless() -> None:
    from generator.forked import Standby

    standby = Standby(lambda: None)
    pid = standby._pid
    standby.dismiss()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)

    def broken() -> None:
        raise ImportError("nothing to prepare")

    pid, value = Standby(broken).submit(f"{__name__}:_pid_and", 3).result()
    assert pid != os.getpid() and value == 3


def test_the_apigen_command_renders_the_docs_in_the_standby_child(tmp_path: Path) -> None:
    """``apigen generate`` forks the standby before importing the docs' modules, which it then never imports
    itself; the docs come from the child."""
    import subprocess
    import sys

    from tests.support.paths import REPO, SPEC

    probe = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('docs modules here:', 'generator.reference.pages' in sys.modules))\n"
        "from generator.cli.launch import main\n"
        f"sys.argv = ['apigen', 'generate', {str(SPEC)!r}, '-o', {str(tmp_path / 'out')!r}, '-q']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "docs modules here: False" in done.stdout
    assert (tmp_path / "out" / "docs" / "README.md").is_file()
