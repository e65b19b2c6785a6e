"""The thin MkDocs plugin: every event only hands over to the pure modules beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..catalogue import Catalogue, load_catalogue
from . import assets, state, ui, urls
from .errors import SiteError
from .pages import SAMPLE_NOTICE, Options, Plan, plan_site
from .render import render

PLACEHOLDER = "LAMPLIGHT-PAGE-BODY\n"
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
    cat, report = load_catalogue(root)
    if cat is None or report.errors:
        lines = [d.format() for d in report.sorted()]
        raise SiteError("内容有错误，网站没有生成：\n" + "\n".join(lines) + "\n" + report.summary())
    return cat


def _nav(nav: list[dict[str, Any]], convert: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in nav:
        for title, target in item.items():
            out.append(
                {convert(title): _nav(target, convert) if isinstance(target, list) else target}
            )
    return out


class LamplightPlugin(BasePlugin[LamplightConfig]):
    """Adds every page of the Lamplight site from the validated catalogue."""

    def __init__(self) -> None:
        self.cat: Catalogue | None = None
        self.plan: Plan | None = None
        self.root = Path.cwd()
        self.html: dict[str, str] = {}

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
        for name, path in self.plan.media.items():
            files.append(File.generated(config, f"media/{name}", abs_src_path=str(path)))
        directory_urls = config.use_directory_urls
        for spec in self.plan.pages:
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
            front = (
                f"---\ntitle: {json.dumps(spec.title, ensure_ascii=False)}\nhide:\n  - toc\n---\n\n"
            )
            # The page body is finished HTML: MkDocs gets a one-line placeholder to run through
            # Markdown, and on_page_content puts the HTML back (parsing it would cost more than
            # rendering it).
            self.html[spec.src] = self.convert(html)
            files.append(
                File.generated(config, spec.src, content=self.convert(front) + PLACEHOLDER)
            )
        return files

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        return self.html.pop(page.file.src_uri, html)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for folder in WATCHED:
            path = self.root / folder
            if path.exists():
                server.watch(str(path))
        server.watch(str(THEME_DIR.parent))
        return server
