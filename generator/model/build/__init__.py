"""Build the IR from a loaded document: the only package that reads the raw OpenAPI structure.

One bad operation or schema does not stop the rest: it is skipped, and the reason and its location are
reported as a diagnostic (and in ``--report``). The builder is layered by concern, one module each:
``base`` -> ``schemas`` -> ``servers`` -> ``security`` -> ``operations`` -> ``builder`` (:class:`Builder`);
``raw`` holds the typed readers of raw document values that every layer uses.
"""

from generator.model.build.builder import Builder, build_api
from generator.model.build.raw import MAX_SCHEMA_DEPTH, Unsupported, derive_operation_id

__all__ = ["MAX_SCHEMA_DEPTH", "Builder", "Unsupported", "build_api", "derive_operation_id"]
