"""``lamplight schema``: JSON Schema files generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .content import KINDS
from .models import Taxonomy

#: Every kind's record, and the taxonomy (a settings file editors also write by hand).
SCHEMAS: dict[str, type[BaseModel]] = {
    **{kind.name: kind.model for kind in KINDS.values() if kind.model is not None},
    "taxonomy": Taxonomy,
}


def schema_for(kind: str) -> dict[str, object]:
    """The JSON Schema of one kind of record (validation mode, YAML field names)."""
    schema = SCHEMAS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(target: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every entry of :data:`SCHEMAS`; the paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMAS:
        path = target / f"{kind}.schema.json"
        text = json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
