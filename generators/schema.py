"""``lamplight schema``: JSON Schema files generated from the models, with the project's
taxonomy values as enums and the ids of existing items as suggestions (editor completion)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .content import KINDS
from .content.files import file_item_paths, item_names
from .content.taxonomy import lenient_taxonomy
from .models import Taxonomy
from .scripts import PLAIN

#: Every kind's record, and the taxonomy (a settings file editors also write by hand).
SCHEMAS: dict[str, type[BaseModel]] = {
    **{kind.name: kind.model for kind in KINDS.values() if kind.model is not None},
    "taxonomy": Taxonomy,
}

#: kind → field path → what its values are: a taxonomy vocabulary ("industries"…), a region
#: level ("provinces", "counties", "townships") or the ids of a kind ("@skill"…).
HINTS: dict[str, dict[tuple[str, ...], str]] = {
    "skill": {
        ("category",): "industries",
        ("tags",): "tags",
        ("poverty_causes",): "poverty_causes",
        ("suitable_regions",): "provinces",
        ("who_to_ask", "elders"): "@elder",
        ("authors",): "@elder",
    },
    "showcase": {
        ("industry",): "industries",
        ("poverty_causes",): "poverty_causes",
        ("assistance_measures",): "assistance_measures",
        ("activities",): "activities",
        ("tags",): "tags",
        ("period",): "periods",
        ("region", "province"): "provinces",
        ("region", "county"): "counties",
        ("region", "township"): "townships",
        ("skills",): "@skill",
        ("elders",): "@elder",
    },
    "elder": {
        ("elder_type",): "elder_types",
        ("region", "province"): "provinces",
        ("region", "county"): "counties",
    },
    "pairing": {
        ("elders",): "@elder",
        ("household", "showcase"): "@showcase",
        ("region", "province"): "provinces",
        ("region", "county"): "counties",
    },
    "booklet": {
        ("showcases",): "@showcase",
        ("skills",): "@skill",
        ("filter", "industry"): "industries",
        ("filter", "activity"): "activities",
        ("filter", "tag"): "tags",
        ("filter", "province"): "provinces",
    },
}


def schema_for(kind: str, values: dict[str, list[str]] | None = None) -> dict[str, object]:
    """The JSON Schema of one kind of record (validation mode, YAML field names); with
    ``values`` (see :func:`project_values`) its taxonomy fields carry enums and its
    references the existing ids as examples."""
    schema = SCHEMAS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    for path, source in HINTS.get(kind, {}).items() if values else ():
        assert values is not None
        found = values.get(source.lstrip("@"), [])
        target = _find_string_schema(schema, schema, path)
        if target is None or not found:
            continue
        if source.startswith("@"):
            target["examples"] = found
        else:
            target["enum"] = found
    return schema


def project_values(root: Path) -> dict[str, list[str]]:
    """The taxonomy's values (each also in Traditional characters: both scripts are
    accepted) and the ids of the existing items of every kind, by name."""
    values: dict[str, list[str]] = {}
    path = root / "content" / "taxonomy.yaml"
    taxonomy = lenient_taxonomy(path) if path.is_file() else None
    if taxonomy is not None:
        for name in (
            "industries",
            "poverty_causes",
            "assistance_measures",
            "activities",
            "elder_types",
            "periods",
            "tags",
        ):
            values[name] = _add_traditional(getattr(taxonomy, name))
        counties = [c for p in taxonomy.regions for c in p.counties]
        values["provinces"] = _add_traditional([p.name for p in taxonomy.regions])
        values["counties"] = _add_traditional([c.name for c in counties])
        values["townships"] = _add_traditional([t for c in counties for t in c.townships])
    for kind in KINDS.values():
        base = root / kind.folder
        if kind.layout == "folder":
            values[kind.name] = item_names(base)
        elif kind.layout == "file":
            values[kind.name] = [p.stem for p in file_item_paths(base)]
    return values


def _add_traditional(names: list[str]) -> list[str]:
    return list(dict.fromkeys([*names, *(PLAIN.hant(n) for n in names)]))


def _find_string_schema(
    root: dict[str, Any], node: dict[str, Any], path: tuple[str, ...]
) -> dict[str, Any] | None:
    """The schema of the string values at ``path`` (following $ref, optional and array)."""
    node = _resolve(root, node)
    if not path:
        if node.get("type") == "array":
            return _find_string_schema(root, node.get("items", {}), ())
        return node if node.get("type") == "string" else None
    properties = node.get("properties", {})
    if path[0] not in properties:
        return None
    return _find_string_schema(root, properties[path[0]], path[1:])


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its $ref followed and an optional's ``null`` branch left out."""
    while True:
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            branches = [b for b in node["anyOf"] if b.get("type") != "null"]
            if len(branches) != 1:
                return node
            node = branches[0]
        else:
            return node


def write_schemas(target: Path, root: Path | None = None) -> list[Path]:
    """Write ``<kind>.schema.json`` for every entry of :data:`SCHEMAS` (with the values of
    the project at ``root``, when given); the paths."""
    target.mkdir(parents=True, exist_ok=True)
    values = project_values(root) if root is not None else None
    written = []
    for kind in SCHEMAS:
        path = target / f"{kind}.schema.json"
        schema = schema_for(kind, values)
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
