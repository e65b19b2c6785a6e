"""Photos on the site's pages: resized pictures and Markdown bodies with their pictures swapped in."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import Store
from ..errors import SiteError
from ..markup import cached_renderer
from . import images
from .render import markdown_html
from .session import SiteSession


def _read_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


class Media:
    """The photos one script's site uses, collected while its pages are planned."""

    def __init__(self, root: Path, cache_dir: Path, directory_urls: bool, session: SiteSession):
        self.root = root
        """The project (photos outside it are refused)."""
        self.cache_dir = cache_dir
        """Where resized photos are cached."""
        self.directory_urls = directory_urls
        """URL style of the links in bodies."""
        self.session = session
        """Holds the photos and bodies already prepared by this process."""
        self.files: dict[str, Path] = {}
        """File name under media/ → the resized photo on disk."""
        self.render = cached_renderer(Store(cache_dir.parent / "markdown"))
        """Markdown → sanitised HTML, each body kept in the cache beside the photos'."""

    def picture(self, what: str, folder: Path, rel_file: str, alt: str) -> dict[str, Any]:
        """Template data of one photo (its variants join :attr:`files`)."""
        source = (folder / rel_file).resolve()
        if not source.is_relative_to(self.root):
            raise SiteError(f"{what}的图片“{rel_file}”在项目之外，已拒绝")
        if not source.is_file():
            raise SiteError(
                f"{what}找不到图片文件“{rel_file}”（应在 {folder.relative_to(self.root).as_posix()}/ 下）"
            )
        try:
            variants = self.session.photos.prepare(source, self.cache_dir)
        except images.PhotoError as exc:
            raise SiteError(f"{what}的图片“{rel_file}”无法处理：{exc}") from None
        for variant in variants:
            self.files[variant.name] = variant.path
        default = next((v for v in variants if v.width >= 800), variants[-1])
        return {
            "src": "media/" + default.name,
            "width": default.width,
            "height": default.height,
            "srcset": [("media/" + v.name, v.width) for v in variants],
            "alt": alt,
        }

    def body_html(self, what: str, src: str, folder: Path, text: str) -> str:
        """The Markdown body as HTML (reused while its text and photos are unchanged)."""
        bodies = self.session.bodies
        key = (src, self.directory_urls, str(folder), str(self.cache_dir), text)
        known = bodies.get(key)
        if known is not None and all(_read_stamp(Path(p)) == st for p, st in known[2]):
            self.files.update(known[1])
            return known[0]
        media: dict[str, Path] = {}
        used: list[tuple[str, tuple[int, int] | None]] = []

        def _image(file: str, alt: str) -> str:
            pic = self.picture(what, folder, file, alt)
            used.append((str(folder / file), _read_stamp(folder / file)))
            for path, _width in pic["srcset"]:
                name = path.removeprefix("media/")
                media[name] = self.files[name]
            link = lambda path: urls.relative_to_path(src, path, self.directory_urls)  # noqa: E731
            srcset = ", ".join(f"{link(p)} {w}w" for p, w in pic["srcset"])
            return (
                f'<img src="{escape(link(pic["src"]))}" srcset="{escape(srcset)}" '
                f'sizes="(min-width: 50em) 44rem, 100vw" width="{pic["width"]}" '
                f'height="{pic["height"]}" loading="lazy" decoding="async" alt="{escape(alt)}">'
            )

        html = markdown_html(text, _image, self.render)
        if len(bodies) > 50_000:
            bodies.clear()
        bodies[key] = (html, media, used)
        return html
