"""System checks: WeasyPrint's fast font subsetting and the fonts the documents embed."""

import ctypes.util
from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


@register()
def check_report_rendering(app_configs=None, **kwargs):
    warnings = []
    if not harfbuzz_subset_available():
        warnings.append(
            Warning(
                "libharfbuzz-subset is missing: WeasyPrint falls back to a font subsetter "
                "about 10x slower.",
                hint="Install it: apt-get install libharfbuzz-subset0 (make sysdeps).",
                id="reporting.W001",
            )
        )
    for role, path in getattr(settings, "REPORT_FONT_PATHS", {}).items():
        if not Path(path).is_file():
            warnings.append(
                Warning(
                    f"The {role} font for reports is missing: {path}",
                    hint="Install fonts-ipaexfont (make sysdeps) or set REPORT_FONT_PATHS.",
                    id="reporting.W002",
                )
            )
    return warnings
