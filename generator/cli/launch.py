"""The ``apigen`` command: the command line of ``commands.py``, once the docs' standby child is forked.

``generate`` and ``check`` render the docs in a child process beside the client. Forked here, before
anything heavy is imported, that child imports the docs' modules while this process imports its own and
reads the spec; a small spec's docs are then sent to it (``forked.Standby``, ``pipeline.Inputs.docs_worker``).
"""

from __future__ import annotations

import sys


def main() -> int:
    standby = None
    if _renders_docs(sys.argv[1:]):
        from generator.forked import Standby

        standby = Standby(_prepare)
    try:
        from generator.cli.commands import main as run

        return run(None, docs_worker=standby)
    finally:
        if standby is not None:
            standby.dismiss()


def _renders_docs(argv: list[str]) -> bool:
    command = next((a for a in argv if not a.startswith("-")), None)
    return command in ("generate", "check") and not {"-h", "--help"} & set(argv)


def _prepare() -> None:
    """The docs' modules imported, and the digest of the generator's code taken (memo.py), ahead of the job."""
    from generator.client.emit import TEMPLATES
    from generator.output.memo import code_digest

    import generator.reference.pages  # noqa: F401

    code_digest(TEMPLATES)
