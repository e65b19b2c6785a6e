"""``lamplight build`` after an edit: pages whose inputs did not change are copied from the
previous build instead of being rendered again.

Each build of a script records, per page, the fingerprint of what it was rendered from
(:func:`preview.page_signature`: template, title, data, navigation, templates, settings)
and the digest of the HTML it wrote, in ``.lamplight-cache/build/``. The next build renders
only the pages whose fingerprint changed; the others are read from the previous output
folder, checked against the recorded digest (a folder that is not that build's output is
simply rendered again) and written with the new content version in their footer, the one
part of every page that follows every edit. The result is byte for byte a cold build's.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Store, key
from ..fsutil import write_atomic

#: The footer line that carries the content version (``partials/ll-footer.html``).
_FOOTER = re.compile(rb'(<p class="ll-footer__meta">[^<]*? )([^ <]+)(</p>)')
_VERSION = 1


def digest(data: bytes) -> str:
    """Digest of one written page."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Reuse:
    """What one script's build may take from the previous build into the same folder."""

    previous: Path
    """The previous build's output folder of this script (e.g. ``site/`` or ``site/zh-hant/``)."""
    store: Store
    """Where the record of each build lives."""
    name: str
    """The record's entry name (script, URL style and output folder)."""
    content_version: str = ""
    """This build's content version (set by the plugin)."""
    old_version: str = ""
    """The previous build's content version."""
    old: dict[str, list[str]] = field(default_factory=dict)
    """Previous build: page source → [fingerprint, file under the folder, HTML digest]."""
    new: dict[str, list[str]] = field(default_factory=dict)
    """This build, recorded as pages are written."""
    reused: int = 0
    """Pages copied from the previous build."""

    @classmethod
    def of(cls, previous: Path, store: Store, script: str, style: str) -> Reuse:
        """The record of the last build of ``script`` into ``previous`` (empty if none)."""
        name = key(str(_VERSION), script, style, str(previous.resolve()))[:32] + ".json"
        found = cls(previous, store, name)
        raw = store.read(name)
        if raw is not None:
            try:
                data = json.loads(raw)
                found.old_version = str(data["content_version"])
                found.old = {str(k): list(v) for k, v in data["pages"].items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                pass
        return found

    def copy(self, src: str, signature: str, dest: str, target: Path) -> bool:
        """Write page ``src`` (folder path ``dest``) at ``target`` from the previous build if
        it was rendered from the same ``signature``; ``False`` when it must be rendered."""
        old = self.old.get(src)
        if not signature or old is None or old[0] != signature or old[1] != dest:
            return False
        try:
            data = (self.previous / dest).read_bytes()
        except OSError:
            return False
        if digest(data) != old[2]:
            return False
        if self.old_version != self.content_version:
            found = list(_FOOTER.finditer(data))
            if len(found) != 1 or found[0].group(2) != self.old_version.encode("utf-8"):
                return False
            at = found[0].span(2)
            data = data[: at[0]] + self.content_version.encode("utf-8") + data[at[1] :]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.new[src] = [signature, dest, digest(data)]
        self.reused += 1
        return True

    def wrote(self, src: str, signature: str, dest: str, data: bytes) -> None:
        """Record a page rendered by this build."""
        if signature:
            self.new[src] = [signature, dest, digest(data)]

    def save(self) -> None:
        """Keep this build's record for the next build (after the build succeeded)."""
        payload = {"content_version": self.content_version, "pages": self.new}
        path = self.store.path(self.name)
        if path is not None:
            try:
                write_atomic(path, json.dumps(payload, sort_keys=True, separators=(",", ":")))
            except OSError:
                pass
