"""Search for Lamplight, in both scripts.

* :mod:`.text` — the one normalisation (Traditional → Simplified, lower case, half width) and
  the jieba analyzer used at index and query time;
* :mod:`.index` — the editors' whoosh index and ``lamplight search``;
* :mod:`.related` — "related items" for skill and story pages;
* :mod:`.similar` — near-copy detection for ``lamplight check`` (W201);
* :mod:`.pagefind` — the readers' in-browser index (Pagefind, run on a Simplified copy).
"""

from __future__ import annotations

__all__ = ["text", "index", "related", "similar", "pagefind"]
