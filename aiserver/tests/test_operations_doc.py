"""docs/operations.md is where settings and metrics are documented: every one of them has its place there."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "operations.md"
ENV_READERS = {"env_str", "env_int", "env_float", "env_bool", "env_list", "env_rate"}
METRIC_TYPES = {"Counter", "Gauge", "Histogram", "GaugeMetricFamily"}


def first_string_arguments(path: Path, callees: set[str]) -> set[str]:
    """The first argument of every call to one of `callees`, where it is a string literal."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        first = node.args[0]
        if name in callees and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def test_every_setting_read_from_the_environment_has_a_row_in_the_operations_guide():
    names = first_string_arguments(REPO / "aiserver" / "settings.py", ENV_READERS)
    assert len(names) > 100  # the parse found the settings, not nothing
    guide = GUIDE.read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in guide)
    assert not missing, f"settings read in aiserver/settings.py but not in docs/operations.md: {missing}"


def test_every_metric_is_described_in_the_operations_guide():
    names = first_string_arguments(REPO / "aiserver" / "metrics.py", METRIC_TYPES)
    names |= first_string_arguments(REPO / "tasks" / "gauges.py", METRIC_TYPES)
    assert len(names) >= 12
    guide = GUIDE.read_text(encoding="utf-8")
    # prometheus_client exposes a counter with `_total` appended: either spelling counts.
    missing = sorted(name for name in names if name not in guide and f"{name}_total" not in guide)
    assert not missing, f"metrics defined in code but not in docs/operations.md: {missing}"
