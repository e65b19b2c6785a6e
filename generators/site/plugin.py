"""The thin MkDocs plugin: every event only hands over to the pure modules beside it."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import zlib
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import urls
from ..content import Catalogue, load_catalogue
from ..errors import SiteError
from . import assets, state, ui
from .convcache import ConversionCache
from .pages import SAMPLE_NOTICE, Options, PageSpec, Plan, plan_site, warm_up_related
from .render import render

PLACEHOLDER = "LAMPLIGHT-PAGE-BODY\n"
#: What a page's content is until on_post_page puts the body there (with "<h1" when the body
#: has its own heading, so that mkdocs-material adds none).
BODY_MARK = "<!--lamplight-body-->"
BODY_MARK_H1 = "<!--lamplight-body <h1-->"
WATCHED = ("content", "showcases", "skills_library")
#: Theme overrides shipped with the package (inserted before mkdocs-material's own templates).
THEME_DIR = Path(__file__).resolve().parent.parent / "templates" / "site" / "theme"


class LamplightConfig(base.Config):
    """Options under ``plugins: - lamplight:`` in mkdocs.yml."""

    script = c.Choice(("hans", "hant"), default="hans")
    mirror = c.Type(str, default="zh-hant/")
    per_page = c.Type(int, default=20)


def _load(root: Path) -> Catalogue:
    """The preloaded catalogue, or a fresh one (errors abort the build with the Chinese report)."""
    cat = state.catalogue_for(root)
    if cat is not None:
        return cat
    # the live preview skips the near-copy warnings (``lamplight check`` reports them) and
    # re-reads only the items edited since its previous build
    preview = state.is_preview(root)
    cat, report = load_catalogue(root, near_copies=not preview)
    if cat is None or report.errors:
        lines = [d.format() for d in report.sorted()]
        raise SiteError("内容有错误，网站没有生成：\n" + "\n".join(lines) + "\n" + report.summary())
    return cat


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept for the process (MkDocs makes a new environment per build).

    Jinja checks each template's source checksum, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _PageFile(File):
    """A generated page; in a live-preview rebuild MkDocs skips it when it did not change."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _signature(template: str, title: str, context: dict[str, Any], extra: tuple[Any, ...]) -> str:
    """Fingerprint of everything a page's HTML is rendered from ("" when it cannot be taken)."""
    try:
        data = pickle.dumps((template, title, context, extra), protocol=5)
    except Exception:  # noqa: BLE001 - an unpicklable value only means "always render"
        return ""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _templates_stamp(config: MkDocsConfig) -> tuple[int, ...]:
    """Modification times of our templates and mkdocs.yml (a change there renders every page)."""
    stamps = [
        path.stat().st_mtime_ns for path in THEME_DIR.parent.parent.rglob("*") if path.is_file()
    ]
    if config.config_file_path:
        stamps.append(Path(config.config_file_path).stat().st_mtime_ns)
    return (len(stamps), max(stamps, default=0), sum(stamps))


def _nav(nav: list[dict[str, Any]], convert: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in nav:
        for title, target in item.items():
            out.append(
                {convert(title): _nav(target, convert) if isinstance(target, list) else target}
            )
    return out


def _nav_sources(nav: list[dict[str, Any]]) -> list[str]:
    """Every page source named in the navigation."""
    out: list[str] = []
    for item in nav:
        for target in item.values():
            out.extend(_nav_sources(target) if isinstance(target, list) else [target])
    return out


class LamplightPlugin(BasePlugin[LamplightConfig]):
    """Adds every page of the Lamplight site from the validated catalogue."""

    def __init__(self) -> None:
        self.cat: Catalogue | None = None
        self.plan: Plan | None = None
        self.root = Path.cwd()
        self.specs: dict[str, PageSpec] = {}
        """Pages to render in this build (rendered one at a time in on_page_content)."""
        self.bodies: dict[str, bytes] = {}
        """Rendered page bodies, compressed, from on_page_content until on_post_page."""
        self.converted: ConversionCache | None = None
        self.pending: tuple[tuple[str, ...], dict[str, str], dict[str, str], set[str]] | None = None

    def convert(self, text: str) -> str:
        """Text in this build's script."""
        assert self.cat is not None
        return self.cat.converter.convert(text, self.config.script)  # type: ignore[arg-type]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = (
            Path(config.config_file_path).resolve().parent
            if config.config_file_path
            else Path.cwd()
        )
        state.release_gc()  # in case the previous build ended without on_post_build
        if state.is_preview(self.root):
            state.hold_gc()
        self.cat = _load(self.root)
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        hant = self.config.script == "hant"
        config.theme["language"] = "zh-Hant" if hant else "zh-Hans"
        config.site_name = self.convert(config.site_name)
        if config.site_description:
            config.site_description = self.convert(config.site_description)
        site_url = config.site_url or "https://lamplight.example.org/"
        if not site_url.endswith("/"):
            site_url += "/"
        config.extra["lamplight"] = {
            "script": self.config.script,
            "mirror": self.config.mirror,
            "content_version": self.cat.content_version,
            "sample": self.cat.sample,
            "ui": ui.labels(self.convert),
        }
        if assets.has_search_script():
            script = c.ExtraScriptValue(f"assets/javascripts/{assets.SEARCH_SCRIPT}")
            script.defer = True
            config.extra_javascript.append(script)
        options = Options(
            script=self.config.script,
            directory_urls=config.use_directory_urls,
            public_url=site_url,
            per_page=self.config.per_page,
            cache_dir=self.root / ".lamplight-cache" / "images",
            related_dir=self.root / ".lamplight-cache" / "related",
            preview=state.is_preview(self.root),
        )
        self.plan = plan_site(self.cat, options)
        config.nav = _nav(self.plan.nav, self.convert)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.plan is not None and self.cat is not None
        docs_dir = Path(config.docs_dir).resolve()
        for file in list(files):
            if (
                file.generated_by is None
                and file.abs_src_path
                and Path(file.abs_src_path).resolve().is_relative_to(docs_dir)
            ):
                files.remove(file)  # hand-written pages are rendered from the catalogue below
            elif assets.is_unused_theme_file(file.src_uri):
                files.remove(file)
            elif file.src_uri.startswith("assets/stylesheets/main.") and file.src_uri.endswith(
                ".css"
            ):
                text = Path(file.abs_src_path or "").read_text(encoding="utf-8")
                files.remove(file)
                files.append(
                    File.generated(config, file.src_uri, content=assets.scrub_comment_urls(text))
                )
        for path in assets.search_assets():
            files.append(
                File.generated(config, f"assets/javascripts/{path.name}", abs_src_path=str(path))
            )
        directory_urls = config.use_directory_urls
        key = (str(self.root), self.config.script, str(directory_urls), config.site_dir)
        done = state.preview_pages(key) if state.is_preview(self.root) else None
        media_dir = os.path.join(config.site_dir, "media", "")
        for name, path in self.plan.media.items():
            if done is not None and name in done.media and os.path.exists(media_dir + name):
                continue  # live preview: a content-named photo already written is the same photo
            files.append(File.generated(config, f"media/{name}", abs_src_path=str(path)))
        in_nav = set(_nav_sources(self.plan.nav))
        extra = (
            (_templates_stamp(config), self.cat.sample, self.config.script, directory_urls)
            if done is not None
            else ()
        )
        signatures: dict[str, str] = {}
        dests: dict[str, str] = {}
        style = "dir" if directory_urls else "file"
        self.converted = ConversionCache(
            self.root / ".lamplight-cache" / "convert" / f"{self.config.script}-{style}",
            self.convert,
            self.cat.converter.protected,
        )
        for spec in self.plan.pages:
            if done is not None:
                signature = (
                    hashlib.blake2b(repr((spec.key, extra)).encode(), digest_size=16).hexdigest()
                    if spec.key
                    else _signature(spec.template, spec.title, spec.context, extra)
                )
                signatures[spec.src] = signature
                dest = done.dests.get(spec.src)
                if (
                    signature
                    and done.signatures.get(spec.src) == signature
                    and dest is not None
                    and os.path.exists(dest)
                ):
                    dests[spec.src] = dest
                    if spec.src not in in_nav:
                        # Live preview: an unchanged page outside the navigation is left out of
                        # this build altogether (MkDocs would only make a page object for it).
                        continue
                    page_file = self._page_file(config, spec)
                    page_file.changed = False
                    files.append(page_file)
                    continue
            page_file = self._page_file(config, spec)
            files.append(page_file)
            dests[spec.src] = page_file.abs_dest_path
            self.specs[spec.src] = spec
        if done is not None:
            for src, dest in done.dests.items():
                if src not in dests and os.path.exists(dest):
                    os.remove(dest)  # the item was removed or unpublished since the last build
            self.pending = (key, signatures, dests, set(self.plan.media))
        return files

    def _page_file(self, config: MkDocsConfig, spec: PageSpec) -> _PageFile:
        front = f"---\ntitle: {json.dumps(spec.title, ensure_ascii=False)}\nhide:\n  - toc\n---\n\n"
        return cast(
            _PageFile,
            _PageFile.generated(config, spec.src, content=self.convert(front) + PLACEHOLDER),
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state.release_gc()
        if self.pending is None and self.converted is not None:
            self.converted.prune()  # a full (not preview) build used every page it needs
        if self.pending is not None:
            key, signatures, dests, media = self.pending
            done = state.preview_pages(key)
            done.signatures, done.dests, done.media = signatures, dests, media
            self.pending = None
            if self.cat is not None:
                warm_up_related(self.cat)

    def on_build_error(self, *, error: Exception) -> None:
        state.release_gc()
        if self.pending is not None:
            state.forget_preview(self.pending[0])  # pages may be half-written: render all next time
            self.pending = None

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        env.bytecode_cache = _COMPILED

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        # The page body is finished HTML: MkDocs ran a one-line placeholder through Markdown
        # (parsing the HTML would cost more than rendering it). MkDocs keeps every page's
        # content until the end of the build, so the body waits compressed and takes the
        # marker's place in the final page (on_post_page).
        spec = self.specs.pop(page.file.src_uri, None)
        if spec is None:
            return html
        body = self._render(spec, config.use_directory_urls)
        self.bodies[spec.src] = zlib.compress(body.encode("utf-8"), 1)
        # mkdocs-material adds the title as <h1> unless the content has one
        return BODY_MARK_H1 if "<h1" in body else BODY_MARK

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        data = self.bodies.pop(page.file.src_uri, None)
        if data is None:
            return output
        body = zlib.decompress(data).decode("utf-8")
        for mark in (BODY_MARK_H1, BODY_MARK):
            if mark in output:
                return output.replace(mark, body, 1)
        raise SiteError(f"页面 {page.file.src_uri} 的主题模板没有放正文（page.content）")

    def _render(self, spec: PageSpec, directory_urls: bool) -> str:
        assert self.cat is not None and self.converted is not None
        html = render(
            spec.template,
            spec.what,
            page_src=spec.src,
            title=spec.title,
            link=lambda to, _src=spec.src: urls.relative(_src, to, directory_urls),
            asset=lambda path, _src=spec.src: urls.relative_to_path(_src, path, directory_urls),
            sample=self.cat.sample,
            sample_notice=SAMPLE_NOTICE,
            script=self.config.script,
            **spec.context,
        )
        return self.converted.convert(html)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for folder in WATCHED:
            path = self.root / folder
            if path.exists():
                server.watch(str(path))
        server.watch(str(THEME_DIR.parent))
        return server
