// Test-only entry points of the CSV reader (not part of the public API).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "common/csv.h"
#include "common/status.h"

namespace zx {

/// Like CsvReader::FromBuffer, but reads the input `block_bytes` at a time
/// (tests use tiny blocks so every record crosses block boundaries).
Result<std::unique_ptr<CsvReader>> CsvReaderFromBufferForTesting(std::string_view data,
                                                                 const CsvReadOptions& options,
                                                                 size_t block_bytes);

}  // namespace zx
