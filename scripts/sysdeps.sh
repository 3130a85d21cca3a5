#!/usr/bin/env bash
# System packages Taisaku needs: gettext (translations), Japanese fonts and the
# libraries WeasyPrint renders with (HarfBuzz subsetting is ~10x faster), poppler for
# reading PDFs back in tests, Chromium for the browser tests. Installs what is missing when run as root with apt.
set -euo pipefail
packages=(gettext fonts-ipaexfont-gothic libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 poppler-utils chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
