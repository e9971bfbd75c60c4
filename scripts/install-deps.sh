#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing.
# Runs `apt-get update` only when something must be installed. Idempotent.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev ccache pkg-config clang-format
  libgtest-dev libgmock-dev
  libsqlite3-dev sqlite3
  libxlsxwriter-dev libminizip-dev libexpat1-dev zlib1g-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev
  time
  libtomlplusplus-dev
  libboost-dev libargon2-dev libssl-dev
  libopencc-dev libicu-dev libssl-dev
  # PostgreSQL 15 is the second SQL baseline of bench/screening/run.sh (not used by CI or the build).
  postgresql-15 postgresql-client-15
  chromium fonts-noto-cjk
  libssl-dev

)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

# Node.js (with npm) is needed for the division data script and, later, the web app.
# Debian's nodejs ships npm separately; a machine whose nodejs already bundles npm needs nothing.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
# python3 runs a few CLI end-to-end checks (JSON assertions); any python3 will do.
if ! command -v python3 >/dev/null 2>&1; then missing+=(python3); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
