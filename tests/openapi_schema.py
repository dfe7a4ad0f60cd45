"""The OpenAPI schema as /api/v1/schema/ serves it, generated once per test process."""

import json
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@cache
def openapi_schema() -> dict[str, Any]:
    """Rendered to JSON and read back, as a client reads it (no lazy strings or tuples)."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
