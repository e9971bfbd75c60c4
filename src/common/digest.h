// Cryptographic digests (OpenSSL), for provenance: which rule file produced a
// screening run, which department file produced a link.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zx {

/// SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

/// SHA-256 of the file at `path`, read in chunks; Unavailable (Chinese
/// message naming the file) when it cannot be read.
Result<std::string> Sha256File(const std::string& path);

}  // namespace zx
