"""What is made from a built site: the deterministic offline zip and the page-weight budget."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import zipfile
from pathlib import Path
from typing import Any

OFFLINE_ZIP = "lamplight-offline.zip"
#: Files already compressed: stored as they are (deflating a JPEG gains ~1 % for its time).
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".woff", ".woff2", ".gz"})
_ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"]+)"')


def zip_dir(folder: Path, target: Path, epoch: int) -> None:
    """Deterministic zip of ``folder`` (sorted names, fixed times and modes) at ``target``.

    ``target`` is written in place: callers put it in a staging folder.
    """
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.UTC).timetuple()[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
            info.external_attr = 0o644 << 16
            if path.suffix.lower() in STORED_SUFFIXES:
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, path.read_bytes())
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=6)


def _measure_gzip(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_budget(site_dir: Path, page: str) -> dict[str, Any]:
    """Gzipped bytes of one page's HTML plus the CSS and JS it loads on first visit."""
    html_path = site_dir / page
    html = html_path.read_bytes()
    css = js = 0
    files = []
    for ref in _ASSET_RE.findall(html.decode("utf-8")):
        target = (html_path.parent / ref.split("?")[0]).resolve()
        if not target.is_file():
            continue
        size = _measure_gzip(target.read_bytes())
        files.append({"file": target.relative_to(site_dir.resolve()).as_posix(), "gzip": size})
        if target.suffix == ".css":
            css += size
        else:
            js += size
    page_size = _measure_gzip(html)
    return {
        "page": page,
        "html": page_size,
        "css": css,
        "js": js,
        "total": page_size + css + js,
        "total_kb": round((page_size + css + js) / 1024, 1),
        "files": files,
    }
