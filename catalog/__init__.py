"""The capability catalogs shipped with the planner (YAML files beside this module)."""

from importlib.resources import files
from importlib.resources.abc import Traversable

DEFAULT_CATALOG = "mlops-maturity"


def builtin_catalog_path(name: str = DEFAULT_CATALOG) -> Traversable:
    """The shipped catalog file called ``name`` (without ``.yaml``)."""
    return files(__name__) / f"{name}.yaml"


def builtin_catalog_names() -> list[str]:
    """Names of every catalog shipped in this package, sorted."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in files(__name__).iterdir()
        if entry.name.endswith(".yaml")
    )
