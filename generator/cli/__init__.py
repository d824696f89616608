"""The ``apigen`` command line (``generator.cli.launch:main``, which forks the docs' child, then
``generator.cli.commands``): argument parsing, configuration and exit codes; the work is in the pipeline."""
