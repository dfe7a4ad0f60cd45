"""moto 5.2.5's API Gateway patched where the inventory needs what AWS answers.

- A REST API's stage (GetStage, GetStages, CreateStage, UpdateStage) carries `createdDate` and `lastUpdatedDate`
  (epoch seconds, as AWS's JSON has them); moto's Stage has neither. A stage made by CreateDeployment with a
  stageName gets them too, and UpdateStage moves `lastUpdatedDate`.
v2's stages already carry both, and its routes and integrations are complete enough: nothing else is patched.
"""

from __future__ import annotations

import time
from typing import Any

from moto.apigateway.models import Stage

ORIGINAL: dict[str, Any] = {}


def _init(self: Stage, *args: Any, **kwargs: Any) -> None:
    ORIGINAL["__init__"](self, *args, **kwargs)
    self.created_date = self.last_updated_date = int(time.time())  # type: ignore[attr-defined]


def _apply_operations(self: Stage, patch_operations: list[dict[str, Any]]) -> Stage:
    stage: Stage = ORIGINAL["apply_operations"](self, patch_operations)
    self.last_updated_date = int(time.time())  # type: ignore[attr-defined]
    return stage


def _to_json(self: Stage) -> dict[str, Any]:
    answer: dict[str, Any] = ORIGINAL["to_json"](self)
    now = int(time.time())
    # A stage made before install() (none in practice) has no dates: it reads as made now.
    answer["createdDate"] = getattr(self, "created_date", now)
    answer["lastUpdatedDate"] = getattr(self, "last_updated_date", answer["createdDate"])
    return answer


def install() -> None:
    """Patch moto's REST stage; safe to call again."""
    if ORIGINAL:
        return
    for name, patch in (("__init__", _init), ("apply_operations", _apply_operations), ("to_json", _to_json)):
        ORIGINAL[name] = getattr(Stage, name)
        setattr(Stage, name, patch)
