"""The WeasyPrint step: HTML -> PDF bytes, with the process's one font configuration.

Only reporting.rendering imports this module, and only when it renders, so that the web
process (admin, API, dashboard) never pays for importing WeasyPrint; a Celery worker loads
it once, in its process init (``warm``).

WeasyPrint hands @font-face fonts to fontconfig as files: by default every render copies
each font into a new temporary folder that stays until the garbage collector runs (and for
ever when the worker is killed). Here each process registers the fonts once, in one folder
named after its pid, removed when the process shuts down; the folders of processes that no
longer exist (a killed worker) are removed when the next process starts.
"""

import atexit
import io
import logging
import mimetypes
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .rendering import ASSET_SCHEME, FONT_PREFIX, AssetRefused

# The rendering module's name: what operators filter on for refused fetches.
logger = logging.getLogger("reporting.rendering")

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".ttc": "font/collection"}
FONT_FOLDER_PREFIX = "taisaku-fonts-"
FONT_FOLDER_RE = re.compile(rf"^{FONT_FOLDER_PREFIX}(\d+)-")


class AssetFetcher(URLFetcher):
    """Serves taisaku-asset: URLs from fixed places; refuses and records everything else."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=(), **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def resolve(self, url: str) -> Path:
        if not url.startswith(ASSET_SCHEME):
            raise AssetRefused(f"not a {ASSET_SCHEME} URL")
        name = url.removeprefix(ASSET_SCHEME).split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if name.startswith(FONT_PREFIX):
            path = settings.REPORT_FONT_PATHS.get(name.removeprefix(FONT_PREFIX))
            if not path:
                raise AssetRefused("no such font")
            return Path(path)
        root = Path(settings.REPORT_ASSET_DIR).resolve()
        asset = (root / name).resolve()
        if not asset.is_relative_to(root) or not asset.is_file():
            raise AssetRefused("not a project asset")
        return asset

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
            body = path.read_bytes()
        except (AssetRefused, OSError) as exc:
            self.refused.append(url)
            logger.warning("Report rendering refused to fetch %r: %s", url[:200], exc)
            raise AssetRefused(f"refused: {url[:200]}") from None
        self.served.append(url)
        content_type = FONT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def font_folder_root() -> Path:
    return Path(settings.REPORT_FONT_CACHE_DIR or tempfile.gettempdir())


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_font_folders(root: Path) -> list[Path]:
    """Remove the font folders of processes that are gone (a worker killed with SIGKILL)."""
    removed = []
    for folder in root.glob(f"{FONT_FOLDER_PREFIX}*"):
        match = FONT_FOLDER_RE.match(folder.name)
        if match and folder.is_dir() and not process_alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class ProcessFontConfiguration(FontConfiguration):
    """A FontConfiguration kept for the life of one process, its fonts in one folder."""

    def __init__(self):
        super().__init__()
        root = font_folder_root()
        root.mkdir(parents=True, exist_ok=True)
        remove_stale_font_folders(root)
        self.pid = os.getpid()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{self.pid}-", dir=root))

    @property
    def folder(self) -> Path | None:
        return self._folder

    def close(self) -> None:
        if self._folder and os.getpid() == self.pid:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None

    def __del__(self):
        # A forked child inherits the object: only the process that made the folder removes it.
        if os.getpid() == getattr(self, "pid", None):
            super().__del__()


_lock = threading.RLock()  # WeasyPrint's font map is not shared between threads safely
_fonts: ProcessFontConfiguration | None = None


def font_config() -> ProcessFontConfiguration:
    global _fonts
    with _lock:
        if _fonts is None or _fonts.pid != os.getpid():
            if _fonts is not None:
                _fonts._folder = None  # the parent's folder: not ours to remove
            _fonts = ProcessFontConfiguration()
            atexit.register(close_fonts)  # a pool process ends through close_fonts instead
        return _fonts


def close_fonts() -> None:
    """Remove this process's font folder (at process shutdown; a later render makes a new one)."""
    global _fonts
    with _lock:
        if _fonts is not None:
            _fonts.close()
            _fonts = None


def write_pdf(html: str, identifier: bytes) -> tuple[bytes, int, list[str]]:
    """PDF bytes, page count and the URLs refused while rendering."""
    fetcher = AssetFetcher()
    with _lock:
        fonts = font_config()
        document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher).render(
            font_config=fonts
        )
        buffer = io.BytesIO()
        document.write_pdf(buffer, pdf_identifier=identifier)
    return buffer.getvalue(), len(document.pages), fetcher.refused


WARM_HTML = (
    '<html><head><link rel="stylesheet" href="taisaku-asset:report.css"></head>'
    "<body><p>対策 Taisaku</p></body></html>"
)


def warm() -> None:
    """Register the fonts and lay out one small page, so the first real render is not slower."""
    write_pdf(WARM_HTML, b"warm")
