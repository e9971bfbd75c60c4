// Internal UTF-8 helpers shared by the CSV and XLSX readers (not public API).
#pragma once

#include <cstddef>

namespace zx {

/// Length of the longest prefix of `data[0, size)` made of complete,
/// well-formed UTF-8 sequences. When it stops short of `size`, `*truncated`
/// says whether the rest is merely an incomplete sequence (more bytes may
/// complete it) rather than malformed bytes.
size_t Utf8ValidPrefix(const char* data, size_t size, bool* truncated);

}  // namespace zx
