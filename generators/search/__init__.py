"""Search for Lamplight, in both scripts.

* :mod:`.index` — the editors' whoosh index and ``lamplight search`` (:mod:`.query` ranks,
  :mod:`.snippets` cuts the excerpts);
* :mod:`.related` — "related items" for skill and story pages (:mod:`.related_stats` scores,
  :mod:`.related_cuts` cuts the texts into words, :mod:`.related_cache` keeps the answers);
* :mod:`.pagefind` — the readers' in-browser index (Pagefind, run on the Simplified copy
  :mod:`.pagefind_copy` writes, with the maps of :mod:`.pagefind_maps`).

Text normalisation lives in :mod:`generators.text`, near-copy detection in
:mod:`generators.content.near_copies`.
"""

from __future__ import annotations

__all__ = ["index", "pagefind", "related"]
