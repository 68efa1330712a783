"""The layers of the house, as the imports draw them (README, "Development"; DESIGN §3).

    vocabulary   words for stored codes and measures, the type table, the formulas, text rules, time, periods,
                 catalogues, the extensions: import only each other
    maps/        folium builders from plain data: import nothing of the app
    domain       models, areas, activities, banners, photos, targets, demo, backup, organizations, funding: import
                 the vocabulary, each other and maps/, never forms/ or a page
    forms/       all input validation: imports the vocabulary, the domain and maps/, never a page
    pages        the packages people and programs reach (auth, field, coverage, mapping, review, reports, admin,
                 exports, pwa, api), every views and commands module, and the factory's own helpers: anything

A module-level import that breaks a rule fails here with the line that does it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = {
    "fieldkit.vocabulary",
    "fieldkit.activity_types",
    "fieldkit.rates",
    "fieldkit.timeutil",
    "fieldkit.extensions",
    "fieldkit.i18n",
    "fieldkit.config",
    "fieldkit.periods",
    "fieldkit.text",
    "fieldkit.measures",
    "fieldkit.catalogues",
    "fieldkit.distance",
    "fieldkit.schema",
}
DOMAIN_PACKAGES = (
    "models",
    "areas",
    "activities",
    "banners",
    "photos",
    "targets",
    "demo",
    "backup",
    "organizations",
    "funding",
)
PAGE_PACKAGES = ("auth", "field", "coverage", "mapping", "review", "reports", "admin", "exports", "pwa", "api")
ENTRY_MODULES = ("views", "commands")  # doors into the app wherever they sit: pages


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The layer of one of the app's modules."""
    parts = module.split(".")
    if parts[0] in ("maps", "forms"):
        return parts[0]
    if module in VOCABULARY:
        return "vocabulary"
    if parts[-1] in ENTRY_MODULES:
        return "pages"
    if len(parts) > 1 and parts[1] in DOMAIN_PACKAGES:
        return "domain"
    return "pages"  # the page packages, and the factory's own modules (errors, labels, security, commands …)


ALLOWED = {
    "vocabulary": {"vocabulary"},
    "maps": {"maps"},
    "domain": {"vocabulary", "domain", "maps"},
    "forms": {"vocabulary", "domain", "forms", "maps"},
    "pages": {"vocabulary", "domain", "forms", "maps", "pages"},
}


def imports(path: Path) -> list[tuple[int, str]]:
    """The app's modules that this file imports when it is loaded (imports inside functions are left out)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(node.lineno, _resolve(name, node.module)) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] in ("fieldkit", "forms", "maps")]


def _resolve(name: str, module: str) -> str:
    """``from a.b import c``: the module a.b.c when it is one, else a.b."""
    return (
        name
        if (ROOT / Path(*name.split("."))).with_suffix(".py").exists() or (ROOT / Path(*name.split("."))).is_dir()
        else module
    )


SOURCES = sorted(p for folder in ("fieldkit", "forms", "maps") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_each_module_imports_only_the_layers_below_it(path):
    own = layer(module_name(path))
    broken = [
        f"{path.relative_to(ROOT)}:{line} ({own}) imports {name} ({layer(name)})"
        for line, name in imports(path)
        if layer(name) not in ALLOWED[own] and name not in ("fieldkit",)
    ]
    assert not broken, "\n".join(broken)


def test_the_layers_are_what_the_readme_says():
    assert layer("fieldkit.activities.services") == "domain"
    assert layer("fieldkit.photos.views") == "pages"
    assert layer("fieldkit.areas.commands") == "pages"
    assert layer("fieldkit.coverage.views") == "pages"
    assert layer("fieldkit.vocabulary") == "vocabulary"
    assert layer("forms.activity") == "forms"
    assert layer("maps.coverage") == "maps"
    # and the test sees a broken rule: a domain module importing a page
    assert layer("fieldkit.auth.scope") not in ALLOWED[layer("fieldkit.activities.queries")]
