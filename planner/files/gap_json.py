"""The gap as JSON for scripts (``mlops-planner gap --json``)."""

from __future__ import annotations

import json
from typing import Any

from planner.workspace import Workspace


def gap_document(workspace: Workspace) -> dict[str, Any]:
    gap = workspace.gap
    return {
        "engagement": workspace.engagement.name,
        "catalog": {"id": workspace.catalog.id, "version": workspace.catalog.version},
        "current": {"overall": gap.current_overall, "areas": dict(gap.current_levels)},
        "target": {"overall": gap.target_overall, "areas": dict(gap.target_levels)},
        "discrepancies": list(workspace.assessment.discrepancies),
        "items": [
            {
                "id": item.id,
                "title": item.capability.title,
                "area": item.capability.area,
                "level": item.capability.level,
                "status": item.status,
                "remaining": item.remaining,
                "requires": list(item.capability.prerequisite_ids),
                "reasons": list(item.reasons),
            }
            for item in gap.items
        ],
        "milestones": [
            {"id": m.id, "level": m.level, "area": m.area, "needs": list(m.needs)}
            for m in gap.milestones
        ],
    }


def gap_to_json(workspace: Workspace) -> str:
    return json.dumps(gap_document(workspace), indent=2, ensure_ascii=False)
