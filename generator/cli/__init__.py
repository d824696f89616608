"""The ``apigen`` command line: argument parsing, configuration and exit codes; the work is in the pipeline."""

from generator.cli.commands import main

__all__ = ["main"]
