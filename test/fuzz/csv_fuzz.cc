// Fuzzes the CSV reader: encoding detection, delimiter detection, quoting and
// record limits on arbitrary bytes. The first byte picks options so both the
// detected and the forced encodings and a small record limit get exercised.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "common/csv_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  zx::CsvReadOptions options;
  if (mode & 1) {
    options.force_encoding = true;
    options.encoding = (mode & 2) ? zx::TextEncoding::kGb18030 : zx::TextEncoding::kUtf8;
  }
  if (mode & 4) options.max_record_bytes = 64;
  // Small blocks make every record cross block boundaries.
  const std::size_t block_bytes = (mode & 8) ? 1 + (mode >> 4) : 0;
  auto reader = block_bytes == 0 ? zx::CsvReader::FromBuffer(input, options)
                                 : zx::CsvReaderFromBufferForTesting(input, options, block_bytes);
  if (!reader.ok()) return 0;
  std::vector<std::string> fields;
  for (;;) {
    zx::Result<bool> next = (*reader)->Next(&fields);
    if (!next.ok() || !*next) break;
    if ((*reader)->line_number() < 1 || (*reader)->record_number() < 1) __builtin_trap();
    for (const std::string& field : fields) {
      if (field.size() > input.size() * 3)
        __builtin_trap();  // decoded text cannot outgrow the input this much
    }
  }
  return 0;
}
