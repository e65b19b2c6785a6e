"""The thin MkDocs plugin: every event only hands over to the pure modules beside it."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import urls
from ..cache import CACHE_DIR
from ..content import Catalogue
from ..errors import SiteError
from . import assets, ui
from .convcache import ConversionCache
from .plan import nav_sources, plan_site
from .preview import code_stamp_of_package, page_signature, templates_stamp
from .render import render
from .reuse import Reuse
from .session import PreviewPages, SiteSession
from .structure import SAMPLE_NOTICE, Options, PageSpec, Plan

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


class _PageFile(File):
    """A generated page; in a live-preview rebuild MkDocs skips it when it did not change."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _convert_nav(nav: list[dict[str, Any]], convert: Any) -> list[dict[str, Any]]:
    """The navigation with its titles in the build's script."""
    out: list[dict[str, Any]] = []
    for item in nav:
        for title, target in item.items():
            sub = _convert_nav(target, convert) if isinstance(target, list) else target
            out.append({convert(title): sub})
    return out


class LamplightPlugin(BasePlugin[LamplightConfig]):
    """Adds every page of the Lamplight site from the validated catalogue.

    The command that runs MkDocs sets :attr:`session` (see :func:`attach`); without one (a
    plain ``mkdocs build``) the plugin loads the catalogue itself.
    """

    def __init__(self) -> None:
        self.session: SiteSession | None = None
        """What this build shares with the other builds of the same command."""
        self.cat: Catalogue | None = None
        """The catalogue this build shows (set in on_config)."""
        self.plan: Plan | None = None
        """Its pages, photos and navigation (set in on_config)."""
        self.root = Path.cwd()
        """The project (the folder of mkdocs.yml)."""
        self.specs: dict[str, PageSpec] = {}
        """Pages to render in this build (rendered one at a time in on_page_content)."""
        self.bodies: dict[str, bytes] = {}
        """Rendered page bodies, compressed, from on_page_content until on_post_page."""
        self.converted: ConversionCache | None = None
        """Rendered pages in the build's script, cached on disk (set in on_files)."""
        self.pending: tuple[tuple[str, ...], PreviewPages] | None = None
        """Live preview: what this build writes, recorded when it succeeds."""
        self.signatures: dict[str, tuple[str, str]] = {}
        """``lamplight build`` with reuse: page source → (fingerprint, file) of pages rendered."""

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
        if self.session is None:
            self.session = SiteSession()
        session = self.session
        if session.preview is not None:
            session.preview.release_gc()  # in case the previous build ended without on_post_build
            session.preview.hold_gc()
        self.cat = session.load(self.root)
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        hant = self.config.script == "hant"
        config.theme["language"] = "zh-Hant" if hant else "zh-Hans"
        config.site_name = self.convert(config.site_name)
        if config.site_description:
            config.site_description = self.convert(config.site_description)
        site_url = config.site_url or urls.DEFAULT_SITE_URL
        if not site_url.endswith("/"):
            site_url += "/"
        config.extra["lamplight"] = {
            "script": self.config.script,
            "mirror": self.config.mirror,
            "content_version": self.cat.content_version,
            "sample": self.cat.sample,
            "ui": ui.labels(self.convert),
        }
        script = c.ExtraScriptValue(f"assets/javascripts/{assets.SEARCH_SCRIPT}")
        script.defer = True
        config.extra_javascript.append(script)
        cache = self.root / CACHE_DIR
        options = Options(
            script=self.config.script,
            directory_urls=config.use_directory_urls,
            public_url=site_url,
            per_page=self.config.per_page,
            cache_dir=cache / "images",
            related_dir=cache / "related",
        )
        self.plan = plan_site(self.cat, options, session)
        config.nav = _convert_nav(self.plan.nav, self.convert)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.plan is not None and self.cat is not None and self.session is not None
        assets.adjust_files(files, config)
        directory_urls = config.use_directory_urls
        key = (self.config.script, str(directory_urls), config.site_dir)
        preview = self.session.preview
        done = preview.pages(key) if preview is not None else None
        media_dir = os.path.join(config.site_dir, "media", "")
        for name, path in self.plan.media.items():
            if done is not None and name in done.media and os.path.exists(media_dir + name):
                continue  # live preview: a content-named photo already written is the same photo
            files.append(File.generated(config, f"media/{name}", abs_src_path=str(path)))
        style = "dir" if directory_urls else "file"
        self.converted = ConversionCache(
            self.root / CACHE_DIR / "convert" / f"{self.config.script}-{style}",
            self.convert,
            self.cat.converter.key,  # protected terms and conversion corrections
        )
        reuse = self.session.reuse.get(self.config.script)
        if done is None and reuse is not None:
            self._add_pages_reusing(files, config, reuse)
        elif done is None:
            for spec in self.plan.pages:
                files.append(self._page_file(config, spec))
                self.specs[spec.src] = spec
        else:
            self._add_changed_pages(files, config, key, done)
        return files

    def _extra(self, config: MkDocsConfig) -> tuple[Any, ...]:
        """What every page's HTML depends on besides its own data (see page_signature)."""
        assert self.plan is not None and self.cat is not None
        extra: tuple[Any, ...] = (
            templates_stamp(config.config_file_path),
            self.cat.sample,
            self.config.script,
            config.use_directory_urls,
        )
        if self.session is not None and self.session.reuse:
            lamplight = {
                k: v for k, v in config.extra["lamplight"].items() if k != "content_version"
            }
            extra += (
                code_stamp_of_package(),
                self.cat.converter.key,
                config.site_url,
                config.site_name,
                config.site_description,
                lamplight,
                self.plan.nav,
            )
        return extra

    def _add_pages_reusing(self, files: Files, config: MkDocsConfig, reuse: Reuse) -> None:
        """``lamplight build``: every page, those rendered from the same inputs as in the
        previous build copied from it (MkDocs, building "dirty", leaves them as they are)."""
        assert self.plan is not None and self.cat is not None
        reuse.content_version = self.cat.content_version
        extra = self._extra(config)
        for spec in self.plan.pages:
            signature = page_signature(spec, extra)
            page_file = self._page_file(config, spec)
            files.append(page_file)
            dest = page_file.dest_uri
            if reuse.copy(spec.src, signature, dest, Path(page_file.abs_dest_path)):
                page_file.changed = False
                continue
            self.specs[spec.src] = spec
            self.signatures[spec.src] = (signature, dest)

    def _add_changed_pages(
        self, files: Files, config: MkDocsConfig, key: tuple[str, ...], done: PreviewPages
    ) -> None:
        """Live preview: render only the pages whose fingerprint changed since ``done``."""
        assert self.plan is not None and self.cat is not None
        in_nav = set(nav_sources(self.plan.nav))
        extra = self._extra(config)
        written = PreviewPages(media=set(self.plan.media))
        for spec in self.plan.pages:
            signature = page_signature(spec, extra)
            written.signatures[spec.src] = signature
            dest = done.dests.get(spec.src)
            if (
                signature
                and done.signatures.get(spec.src) == signature
                and dest is not None
                and os.path.exists(dest)
            ):
                written.dests[spec.src] = dest
                if spec.src in in_nav:
                    # an unchanged page outside the navigation is left out of this build
                    # altogether (MkDocs would only make a page object for it)
                    page_file = self._page_file(config, spec)
                    page_file.changed = False
                    files.append(page_file)
                continue
            page_file = self._page_file(config, spec)
            files.append(page_file)
            written.dests[spec.src] = page_file.abs_dest_path
            self.specs[spec.src] = spec
        for src, dest in done.dests.items():
            if src not in written.dests and os.path.exists(dest):
                os.remove(dest)  # the item was removed or unpublished since the last build
        self.pending = (key, written)

    def _page_file(self, config: MkDocsConfig, spec: PageSpec) -> _PageFile:
        front = f"---\ntitle: {json.dumps(spec.title, ensure_ascii=False)}\nhide:\n  - toc\n---\n\n"
        return cast(
            _PageFile,
            _PageFile.generated(config, spec.src, content=self.convert(front) + PLACEHOLDER),
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        preview = self.session.preview if self.session is not None else None
        if preview is None:
            if self.converted is not None:
                self.converted.prune()  # a full build used every page it needs
            reuse = self.session.reuse.get(self.config.script) if self.session else None
            if reuse is not None:
                reuse.save()
            return
        preview.release_gc()
        if self.pending is not None:
            key, written = self.pending
            preview.written[key] = written
            self.pending = None
            if self.cat is not None and self.session is not None:
                # the next rebuild's related items, in the background
                for index in self.session.related.values():
                    if index.knows(self.cat):
                        index.warm_up(self.cat)

    def on_build_error(self, *, error: Exception) -> None:
        preview = self.session.preview if self.session is not None else None
        if preview is None:
            return
        preview.release_gc()
        if self.pending is not None:
            preview.forget(self.pending[0])  # pages may be half-written: render all next time
            self.pending = None

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        if self.session is not None:
            env.bytecode_cache = self.session.templates

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
                output = output.replace(mark, body, 1)
                self._record(page.file.src_uri, output)
                return output
        raise SiteError(f"页面 {page.file.src_uri} 的主题模板没有放正文（page.content）")

    def _record(self, src: str, output: str) -> None:
        """``lamplight build`` with reuse: remember what this page was made from and wrote."""
        found = self.signatures.pop(src, None)
        reuse = self.session.reuse.get(self.config.script) if self.session else None
        if found is not None and reuse is not None:
            signature, dest = found
            reuse.wrote(src, signature, dest, output.encode("utf-8", errors="xmlcharrefreplace"))

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


def attach(config: MkDocsConfig, session: SiteSession, **options: Any) -> LamplightPlugin:
    """Hand ``session`` (and plugin ``options`` such as ``script``) to the build of ``config``."""
    plugin = config.plugins.get("lamplight")
    if not isinstance(plugin, LamplightPlugin):
        raise SiteError("网站配置 mkdocs.yml 的 plugins 里没有 lamplight 插件")
    plugin.session = session
    for name, value in options.items():
        plugin.config[name] = value
    return plugin
