// libFuzzer target: every department feed reader (all profiles of
// data/feeds/profiles.toml, CSV and XLSX). The first byte picks the profile
// and the format; the rest is the file. Any input must give rows or a
// Status, never a crash; every parsed row must carry its data-row number.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "matching/feed_profile.h"
#include "matching/feed_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const zx::matching::FeedProfiles profiles = [] {
    auto loaded = zx::matching::LoadDefaultFeedProfiles();
    if (!loaded.ok()) std::abort();
    return *loaded;
  }();
  if (size == 0) return 0;
  const zx::matching::FeedProfile& profile = profiles.feeds[data[0] % profiles.feeds.size()];
  const bool xlsx = (data[0] & 0x80) != 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto reader = xlsx ? zx::matching::FeedReader::FromXlsxBuffer(body, profile)
                     : zx::matching::FeedReader::FromCsvBuffer(body, profile);
  if (!reader.ok()) return 0;
  zx::matching::FeedRow row;
  std::int64_t expected = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    auto more = (*reader)->Next(&row);
    if (!more.ok() || !*more) break;
    if (row.row != ++expected) std::abort();
    for (const auto& issue : row.issues) {
      if (issue.row != row.row || issue.reason.empty()) std::abort();
    }
  }
  return 0;
}
