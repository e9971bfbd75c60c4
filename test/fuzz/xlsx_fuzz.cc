// Fuzzes the XLSX reader (zip container, XML parts, cell decoding) on
// arbitrary bytes: every input must give rows or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/xlsx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto reader = zx::XlsxReader::FromBuffer(input);
  if (!reader.ok()) return 0;
  std::vector<std::string> cells;
  std::int64_t previous_rows = 0;
  for (;;) {
    zx::Result<bool> next = (*reader)->Next(&cells);
    if (!next.ok() || !*next) break;
    if ((*reader)->row_number() < 1 || cells.empty() || cells.back().empty()) __builtin_trap();
    if (++previous_rows > 2'000'000) break;
  }
  return 0;
}
