"""The ``apigen`` command line (``generator.cli.commands:main``): argument parsing, configuration and exit codes;
the work is in the pipeline."""
