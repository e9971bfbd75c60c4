// libFuzzer target: the department feed reader on .xlsx files (every profile
// of data/feeds/profiles.toml). fuzz_feed_reader reaches the XLSX path only
// with a byte-perfect zip, which mutation almost never produces; this target
// is structure-aware instead. The first byte picks the profile (low 7 bits)
// and the mode:
//   * high bit clear: the rest is the XML inside <sheetData> of the first
//     worksheet, after a header row with the profile's documented headers;
//     the target wraps it in a valid workbook (stored zip, shared strings,
//     date styles, a second sheet), so mutations reach the cell parsing,
//     dates as serial numbers, amounts and the row/issue bookkeeping;
//   * high bit set: the rest is a whole .xlsx file, as uploaded.
// Any input must give rows or a Status, never a crash; every row carries its
// data-row number and every issue names that row and a reason.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "matching/feed_profile.h"
#include "matching/feed_reader.h"

namespace {

std::uint32_t Crc32(std::string_view data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> out{};
    for (std::uint32_t idx = 0; idx < 256; ++idx) {
      std::uint32_t crc = idx;
      for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
      out[idx] = crc;
    }
    return out;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) crc = table[(crc ^ c) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void Put16(std::string* out, std::uint32_t value) {
  out->push_back(static_cast<char>(value & 0xFF));
  out->push_back(static_cast<char>((value >> 8) & 0xFF));
}
void Put32(std::string* out, std::uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

// A zip with every entry stored (method 0).
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string zip, directory;
  for (const auto& [name, content] : entries) {
    const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
    const std::uint32_t crc = Crc32(content);
    const auto size = static_cast<std::uint32_t>(content.size());
    Put32(&zip, 0x04034b50);
    Put16(&zip, 20);
    Put16(&zip, 0x0800);  // UTF-8 names
    Put16(&zip, 0);
    Put32(&zip, 0);
    Put32(&zip, crc);
    Put32(&zip, size);
    Put32(&zip, size);
    Put16(&zip, static_cast<std::uint32_t>(name.size()));
    Put16(&zip, 0);
    zip += name;
    zip += content;
    Put32(&directory, 0x02014b50);
    Put16(&directory, 20);
    Put16(&directory, 20);
    Put16(&directory, 0x0800);
    Put16(&directory, 0);
    Put32(&directory, 0);
    Put32(&directory, crc);
    Put32(&directory, size);
    Put32(&directory, size);
    Put16(&directory, static_cast<std::uint32_t>(name.size()));
    Put16(&directory, 0);
    Put16(&directory, 0);
    Put16(&directory, 0);
    Put16(&directory, 0);
    Put32(&directory, 0);
    Put32(&directory, offset);
    directory += name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(zip.size());
  zip += directory;
  Put32(&zip, 0x06054b50);
  Put16(&zip, 0);
  Put16(&zip, 0);
  Put16(&zip, static_cast<std::uint32_t>(entries.size()));
  Put16(&zip, static_cast<std::uint32_t>(entries.size()));
  Put32(&zip, static_cast<std::uint32_t>(directory.size()));
  Put32(&zip, directory_offset);
  Put16(&zip, 0);
  return zip;
}

std::string ColumnName(std::size_t index) {
  std::string name;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

std::string Workbook(const zx::matching::FeedProfile& profile, std::string_view sheet_data) {
  static constexpr char kHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  static constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  static constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  static constexpr char kPkg[] = "http://schemas.openxmlformats.org/package/2006/relationships";
  std::string header = "<row r=\"1\">";
  for (std::size_t idx = 0; idx < profile.columns.size(); ++idx) {
    header += "<c r=\"" + ColumnName(idx) + "1\" t=\"inlineStr\"><is><t>" +
              profile.columns[idx].headers.front() + "</t></is></c>";
  }
  header += "</row>";
  const std::string rel = std::string("<Relationship Id=\"");
  return StoredZip({
      {"[Content_Types].xml", std::string(kHead) + "<Types/>"},
      {"_rels/.rels", std::string(kHead) + "<Relationships xmlns=\"" + kPkg + "\">" + rel + "rId1\" Type=\"" +
                          kRel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", std::string(kHead) + "<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel +
                              "\"><sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "<sheet name=\"说明\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kHead) + "<Relationships xmlns=\"" + kPkg + "\">" + rel + "rId1\" Type=\"" + kRel +
           "/worksheet\" Target=\"worksheets/sheet1.xml\"/>" + rel + "rId2\" Type=\"" + kRel +
           "/worksheet\" Target=\"worksheets/sheet2.xml\"/>" + rel + "rId3\" Type=\"" + kRel +
           "/sharedStrings\" Target=\"sharedStrings.xml\"/>" + rel + "rId4\" Type=\"" + kRel +
           "/styles\" Target=\"styles.xml\"/></Relationships>"},
      {"xl/styles.xml",
       std::string(kHead) + "<styleSheet xmlns=\"" + kMain +
           "\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
           "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
           "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
           "<xf numFmtId=\"2\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>"},
      {"xl/sharedStrings.xml", std::string(kHead) + "<sst xmlns=\"" + kMain +
                                   "\" count=\"4\" uniqueCount=\"4\"><si><t>卓玛</t></si>"
                                   "<si><t>632321199007150326</t></si><si><t>2024-03-05</t></si>"
                                   "<si><t>1,234.50</t></si></sst>"},
      {"xl/worksheets/sheet1.xml", std::string(kHead) + "<worksheet xmlns=\"" + kMain + "\"><sheetData>" +
                                       header + std::string(sheet_data) + "</sheetData></worksheet>"},
      {"xl/worksheets/sheet2.xml",
       std::string(kHead) + "<worksheet xmlns=\"" + kMain +
           "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>说明</t>"
           "</is></c></row></sheetData></worksheet>"},
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const zx::matching::FeedProfiles profiles = [] {
    auto loaded = zx::matching::LoadDefaultFeedProfiles();
    if (!loaded.ok() || loaded->feeds.empty()) std::abort();
    return *loaded;
  }();
  if (size == 0) return 0;
  const zx::matching::FeedProfile& profile = profiles.feeds[(data[0] & 0x7F) % profiles.feeds.size()];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string file = (data[0] & 0x80) != 0 ? std::string(body) : Workbook(profile, body);
  auto reader = zx::matching::FeedReader::FromXlsxBuffer(file, profile);
  if (!reader.ok()) {
    if (reader.status().message().empty()) std::abort();
    return 0;
  }
  zx::matching::FeedRow row;
  std::int64_t expected = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    auto more = (*reader)->Next(&row);
    if (!more.ok()) {
      if (more.status().message().empty()) std::abort();
      break;
    }
    if (!*more) break;
    if (row.row != ++expected) std::abort();
    if (row.rejected && row.issues.empty()) std::abort();
    for (const auto& issue : row.issues) {
      if (issue.row != row.row || issue.reason.empty()) std::abort();
    }
  }
  return 0;
}
