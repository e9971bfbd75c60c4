#!/usr/bin/env bash
# Formats C++ sources with clang-format (Google based, .clang-format).
# `scripts/format.sh --check` only reports files that would change (for CI).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'src/*.h' 'src/*.cc' 'test/*.cc' 'bench/*.cc')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
else
  clang-format -i "${files[@]}"
fi
