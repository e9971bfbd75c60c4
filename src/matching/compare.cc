#include "matching/compare.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <new>
#include <nlohmann/json.hpp>
#include <span>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "common/bulk_array.h"
#include "common/text.h"
#include "matching/person_index.h"
#include "matching/signals.h"
#include "storage/link_store.h"
#include "storage/store.h"

namespace zx::matching {
namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

constexpr std::uint8_t kHasEventDate = 1;
constexpr std::uint8_t kHasAmount = 2;
constexpr std::uint8_t kHasTotalCost = 4;
constexpr std::uint8_t kRejected = 8;

// One parsed row, compact: a 5-million-row file costs ~280 MB here.
// Trivially copyable: the rows live in a BulkArray.
struct RowRecord {
  std::uint64_t id_key = 0;  // valid 18-character ID as read; 0 otherwise
  Fen amount = 0;
  Fen total_cost = 0;
  std::int32_t event_days = 0;
  std::int32_t slow = -1;  // index into SlowRow when the ID needs more work
  std::int32_t person = -1;
  float score = 0;
  std::uint32_t name_offset = 0;  // fast rows: the name in ParsedRows::names
  std::uint32_t name_hash = 0;    // fast rows: NameHash of the name
  std::uint16_t name_bytes = 0;
  std::uint16_t category = 0;
  std::uint8_t flags = 0;
  MatchClass match_class = MatchClass::kUnmatched;
};

// What the deterministic and probabilistic stages need beyond the key.
struct SlowRow {
  std::string id_number;
  std::string name;
  bool has_birth_date = false;
  Date birth_date;
  int sex = 0;
  int county = 0;
  std::string reason;
  // The ID stages done while parsing (NormalizedIdKey): the key after
  // normalisation or 15 → 18 upgrade, 0 when repair or probabilistic
  // linking must decide; `decided` once the hash join settled the row.
  std::uint64_t id_key = 0;
  bool upgraded = false;
  bool changed = false;
  bool decided = false;
};

// The side tables of parsed rows (of a file, or of one chunk of it); the
// rows themselves go where the caller puts them (Add fills one record).
struct ParsedRows {
  BulkArray<RowRecord> rows;
  std::vector<SlowRow> slow;
  std::vector<std::string> categories{std::string()};  // id 0: none
  std::unordered_map<std::string, std::uint16_t> category_ids;
  std::vector<RowIssue> issues;
  std::int64_t rejected = 0;
  std::string names;  // names of the rows without a SlowRow, back to back

  // Fills `record` from one parsed row.
  void Add(FeedRow& row, RowRecord* record) {
    for (RowIssue& issue : row.issues) issues.push_back(std::move(issue));
    if (row.rejected) {
      record->flags |= kRejected;
      ++rejected;
    }
    if (row.has_event_date) {
      record->flags |= kHasEventDate;
      record->event_days = static_cast<std::int32_t>(row.event_date.ToDays());
    }
    if (row.has_amount) {
      record->flags |= kHasAmount;
      record->amount = row.amount;
    }
    if (row.has_total_cost) {
      record->flags |= kHasTotalCost;
      record->total_cost = row.total_cost;
    }
    if (!row.category.empty()) record->category = CategoryId(row.category);
    record->id_key = row.id_number.size() == 18 ? IdKeyOfValid18(row.id_number) : 0;
    if (record->id_key == 0 && !row.rejected) {
      record->slow = static_cast<std::int32_t>(slow.size());
      SlowRow& extra = slow.emplace_back();
      extra.id_number = row.id_number;
      extra.name = row.name;
      extra.has_birth_date = row.has_birth_date;
      extra.birth_date = row.birth_date;
      extra.sex = row.sex;
      extra.county = static_cast<int>(row.area_code);
      if (!row.id_number.empty())
        extra.id_key = NormalizedIdKey(row.id_number, &extra.upgraded, &extra.changed);
    } else if (record->slow < 0) {
      AddName(row.name, record);
    }
  }

  // Keeps the name of a row with a valid ID, so that the ID of another
  // person on it can be caught.
  void AddName(std::string_view name, RowRecord* record) {
    record->name_offset = static_cast<std::uint32_t>(names.size());
    record->name_bytes = static_cast<std::uint16_t>(std::min<std::size_t>(name.size(), 65535));
    record->name_hash = name.empty() ? 0 : NameHash(name);
    names.append(name, 0, record->name_bytes);
  }

  std::uint16_t CategoryId(std::string_view category) {
    // Rows of one file mostly repeat a few categories: the last one first.
    if (category == last_category_ && last_category_id_ != 0) return last_category_id_;
    auto [it, inserted] = category_ids.try_emplace(std::string(category), 0);
    if (inserted && categories.size() < 65535) {
      it->second = static_cast<std::uint16_t>(categories.size());
      categories.emplace_back(category);
    }
    last_category_ = it->first;  // a key of the map: stable
    last_category_id_ = it->second;
    return it->second;
  }
  std::string_view last_category_;
  std::uint16_t last_category_id_ = 0;

  // Takes the side tables of the chunk whose `count` rows follow this one's
  // rows in `rows` (starting at `first`) and fixes those rows' indexes into
  // them.
  void Absorb(ParsedRows&& next, RowRecord* first, std::size_t count, std::int64_t row_offset) {
    const auto slow_offset = static_cast<std::int32_t>(slow.size());
    std::vector<std::uint16_t> category_map(next.categories.size(), 0);
    bool same_categories = true;
    for (std::size_t idx = 1; idx < next.categories.size(); ++idx) {
      category_map[idx] = CategoryId(next.categories[idx]);
      same_categories &= category_map[idx] == idx;
    }
    const auto name_offset = static_cast<std::uint32_t>(names.size());
    names += next.names;
    for (std::size_t idx = 0; idx < count; ++idx) {
      RowRecord& record = first[idx];
      if (record.slow >= 0) {
        record.slow += slow_offset;
      } else {
        record.name_offset += name_offset;
      }
      if (!same_categories) record.category = category_map[record.category];
    }
    slow.reserve(slow.size() + next.slow.size());
    for (SlowRow& extra : next.slow) slow.push_back(std::move(extra));
    for (RowIssue& issue : next.issues) {
      issue.row += row_offset;
      issues.push_back(std::move(issue));
    }
    rejected += next.rejected;
  }
};

// Length of the well-formed UTF-8 sequence at p (p < end, *p ≥ 0x80), or 0.
inline std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned lead = *p;
  // Most Chinese text: a three-byte sequence whose lead byte has no special
  // ranges (E1–EC, EE–EF: not overlong, not a surrogate).
  if (end - p >= 3 && lead >= 0xE1 && lead <= 0xEF && lead != 0xED && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80)
    return 3;
  auto continuation = [&](std::ptrdiff_t offset, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return end - p > offset && p[offset] >= lo && p[offset] <= hi;
  };
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
    return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// A read-only memory map of a whole file.
class MappedFile {
 public:
  static std::unique_ptr<MappedFile> Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat info {};
    if (::fstat(fd, &info) != 0 || info.st_size <= 0) {
      ::close(fd);
      return nullptr;
    }
    void* data = ::mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (data == MAP_FAILED) return nullptr;
    ::madvise(data, static_cast<size_t>(info.st_size), MADV_SEQUENTIAL);
    return std::unique_ptr<MappedFile>(
        new MappedFile(static_cast<const char*>(data), static_cast<size_t>(info.st_size)));
  }
  ~MappedFile() { ::munmap(const_cast<char*>(data_), size_); }
  std::string_view bytes() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

// The common row of a plain file parsed without FeedRowParser's generality:
// exactly one cell per header column, a valid 18-character ID, ISO dates,
// plain decimal amounts, cells without surrounding spaces, known sex
// labels. Anything else returns false and the row goes through
// FeedRowParser, so every row ends up exactly as FeedRowParser would have
// made it (tested: compare_test.cc, FastRowsEqualGenericRows and the
// parallel/sequential equality).
class FastRowParser {
 public:
  FastRowParser(const FeedProfile& profile, std::size_t header_size,
                const std::array<int, kFeedFieldCount>& columns)
      : header_size_(header_size), columns_(columns) {
    const FeedColumn* amount = profile.Column(FeedField::kAmount);
    amount_required_ = amount != nullptr && amount->required;
  }

  bool Parse(std::span<const std::string_view> cells, RowRecord* record, ParsedRows* out) const {
    if (cells.size() != header_size_) return false;
    const std::string_view id = Cell(cells, FeedField::kIdNumber);
    if (id.size() != 18) return false;
    const std::uint64_t key = IdKeyOfValid18(id);
    if (key == 0) return false;
    const std::string_view name = Cell(cells, FeedField::kName);
    const std::string_view category = Cell(cells, FeedField::kCategory);
    if (!Untrimmed(name) || !Untrimmed(category)) return false;
    std::int32_t event_days = 0;
    bool has_event = false;
    if (Present(FeedField::kEventDate) &&
        !IsoDays(Cell(cells, FeedField::kEventDate), &event_days, &has_event, false))
      return false;
    std::int32_t birth_days = 0;
    bool has_birth = false;
    if (Present(FeedField::kBirthDate) &&
        !IsoDays(Cell(cells, FeedField::kBirthDate), &birth_days, &has_birth, true))
      return false;
    Fen amount = 0, total_cost = 0;
    bool has_amount = false, has_total_cost = false;
    if (Present(FeedField::kAmount) &&
        !PlainYuan(Cell(cells, FeedField::kAmount), &amount, &has_amount, !amount_required_))
      return false;
    if (Present(FeedField::kTotalCost) &&
        !PlainYuan(Cell(cells, FeedField::kTotalCost), &total_cost, &has_total_cost, true))
      return false;
    if (const std::string_view sex = Cell(cells, FeedField::kSex); !sex.empty() && sex != "男" &&
                                                                   sex != "女" && sex != "1" && sex != "2" &&
                                                                   sex != "男性" && sex != "女性")
      return false;
    if (const std::string_view area = Cell(cells, FeedField::kAreaCode); !area.empty()) {
      if (area.size() != 6 && area.size() != 12) return false;
      for (const char c : area) {
        if (c < '0' || c > '9') return false;
      }
    }
    // Every cell is as FeedRowParser would take it: fill the record as
    // ParsedRows::Add does for a row with a valid ID.
    record->id_key = key;
    if (has_event) {
      record->flags |= kHasEventDate;
      record->event_days = event_days;
    }
    if (has_amount) {
      record->flags |= kHasAmount;
      record->amount = amount;
    }
    if (has_total_cost) {
      record->flags |= kHasTotalCost;
      record->total_cost = total_cost;
    }
    if (!category.empty()) record->category = out->CategoryId(category);
    out->AddName(name, record);
    return true;
  }

 private:
  bool Present(FeedField field) const { return columns_[static_cast<int>(field)] >= 0; }
  std::string_view Cell(std::span<const std::string_view> cells, FeedField field) const {
    const int index = columns_[static_cast<int>(field)];
    return index < 0 ? std::string_view() : cells[static_cast<std::size_t>(index)];
  }
  // Trim would leave it as it is (no space of any kind at either end).
  static bool Untrimmed(std::string_view cell) {
    if (cell.empty()) return true;
    const auto front = static_cast<unsigned char>(cell.front());
    const auto back = static_cast<unsigned char>(cell.back());
    return front > ' ' && front != 0xC2 && front != 0xE3 && back > ' ' && back != 0xA0 && back != 0x80;
  }
  // YYYY-MM-DD of a valid day (what IsValidDate accepts), or empty when
  // `optional`; days as Date::ToDays gives them.
  static bool IsoDays(std::string_view cell, std::int32_t* days, bool* has, bool optional) {
    if (cell.empty()) return optional;
    if (cell.size() != 10 || cell[4] != '-' || cell[7] != '-') return false;
    const auto digit = [&cell](int idx) {
      return static_cast<unsigned>(static_cast<unsigned char>(cell[idx]) - '0');
    };
    const unsigned d0 = digit(0), d1 = digit(1), d2 = digit(2), d3 = digit(3);
    const unsigned d5 = digit(5), d6 = digit(6), d8 = digit(8), d9 = digit(9);
    if (std::max({d0, d1, d2, d3, d5, d6, d8, d9}) > 9) return false;
    const unsigned year = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
    const unsigned month = d5 * 10 + d6;
    const unsigned day = d8 * 10 + d9;
    static constexpr unsigned kMonthDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1 || month < 1 || month > 12 || day < 1 ||
        day > kMonthDays[month] + (month == 2 && leap ? 1 : 0))
      return false;
    // Date::ToDays (days from the civil date), in unsigned arithmetic.
    const unsigned y = year - (month <= 2 ? 1 : 0);
    const unsigned era = y / 400;
    const unsigned yoe = y - era * 400;
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *days = static_cast<std::int32_t>(static_cast<std::int64_t>(era) * 146097 + doe - 719468);
    *has = true;
    return true;
  }
  // Digits with an optional point and one or two decimals (what ParseYuan
  // reads the same way), at most 15 whole digits; or empty when `optional`.
  static bool PlainYuan(std::string_view cell, Fen* fen, bool* has, bool optional) {
    if (cell.empty()) return optional;
    Fen whole = 0;
    std::size_t pos = 0;
    for (; pos < cell.size() && cell[pos] != '.'; ++pos) {
      const unsigned digit = static_cast<unsigned char>(cell[pos]) - '0';
      if (digit > 9 || pos >= 15) return false;
      whole = whole * 10 + digit;
    }
    if (pos == 0) return false;
    Fen fraction = 0;
    if (pos < cell.size()) {
      const std::size_t decimals = cell.size() - pos - 1;
      if (decimals == 0 || decimals > 2) return false;
      for (std::size_t idx = pos + 1; idx < cell.size(); ++idx) {
        const unsigned digit = static_cast<unsigned char>(cell[idx]) - '0';
        if (digit > 9) return false;
        fraction = fraction * 10 + digit;
      }
      if (decimals == 1) fraction *= 10;
    }
    *fen = whole * 100 + fraction;
    *has = true;
    return true;
  }

  std::size_t header_size_;
  std::array<int, kFeedFieldCount> columns_;
  bool amount_required_ = false;
};

// Bit i of `separators` set when p[i] is ',', '\n' or '\r', of `high` when
// p[i] ≥ 0x80 (n ≤ 16); SSE2 for a whole block.
inline void ScanBlock(const char* p, std::size_t n, unsigned* separators, unsigned* high) {
#if defined(__SSE2__)
  if (n == 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(',')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))),
        _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r')));
    *separators = static_cast<unsigned>(_mm_movemask_epi8(hits));
    *high = static_cast<unsigned>(_mm_movemask_epi8(bytes));
    return;
  }
#endif
  *separators = 0;
  *high = 0;
  for (std::size_t idx = 0; idx < n; ++idx) {
    if (p[idx] == ',' || p[idx] == '\n' || p[idx] == '\r') *separators |= 1u << idx;
    if (static_cast<unsigned char>(p[idx]) >= 0x80) *high |= 1u << idx;
  }
}

// One chunk of a plain CSV (no quotes, comma-delimited, UTF-8, LF or CRLF
// line ends) parsed with the same FeedRowParser as FeedReader, its rows
// constructed in `rows` from index `first` on (room for one per line was
// made). False when the chunk has anything else: the caller then reads the
// file sequentially, which handles (or reports) it.
bool ParsePlainCsvChunk(std::string_view data, const FeedProfile& profile,
                        const std::vector<std::string>& header,
                        const std::array<int, kFeedFieldCount>& columns, std::size_t max_record_bytes,
                        RowRecord* rows, ParsedRows* out, std::size_t* count) {
  *count = 0;
  if (std::memchr(data.data(), '"', data.size()) != nullptr) return false;
  const auto* begin = reinterpret_cast<const unsigned char*>(data.data());
  FeedRowParser parser(profile, header, columns);
  FeedRow row;
  ParsedRows local;
  std::vector<std::string_view> cells;
  cells.reserve(header.size() + 4);
  std::int64_t row_number = 0;
  const char* const end = data.data() + data.size();
  const char* line_begin = data.data();
  const char* cell_begin = data.data();
  const FastRowParser fast(profile, header.size(), columns);
  auto end_line = [&](const char* line_end) {
    cells.emplace_back(cell_begin, line_end - cell_begin);
    RowRecord* record = new (rows + row_number) RowRecord{};
    if (fast.Parse(cells, record, &local)) {
      ++row_number;
    } else if (!FeedRowParser::IsBlank(cells)) {
      *record = RowRecord{};  // the fast path may have filled part of it
      parser.Parse(cells, ++row_number, &row);
      local.Add(row, record);
    }
    cells.clear();
  };
  // Cells end at ',' and rows at '\n'; a '\r' must be followed by '\n'
  // (a lone CR ends a record: the sequential reader handles it).
  // Bytes ≥ 0x80 must form well-formed UTF-8 (checked as the blocks pass;
  // `checked` is where the last sequence ended).
  const auto* checked = begin;
  const auto* const byte_end = begin + data.size();
  for (const char* block = data.data(); block < end; block += 16) {
    const std::size_t block_bytes = std::min<std::size_t>(16, static_cast<std::size_t>(end - block));
    unsigned separators = 0, high = 0;
    ScanBlock(block, block_bytes, &separators, &high);
    if (high != 0) {
      const auto* block_begin = reinterpret_cast<const unsigned char*>(block);
      const auto* q = std::max(checked, block_begin + __builtin_ctz(high));
      while (q < block_begin + block_bytes) {
        if (*q < 0x80) {
          ++q;
          continue;
        }
        const std::size_t length = Utf8SequenceLength(q, byte_end);
        if (length == 0) return false;
        q += length;
      }
      checked = q;
    }
    for (unsigned mask = separators; mask != 0; mask &= mask - 1) {
      const char* separator = block + __builtin_ctz(mask);
      if (*separator == ',') {
        cells.emplace_back(cell_begin, separator - cell_begin);
        cell_begin = separator + 1;
      } else if (*separator == '\n') {
        if (max_record_bytes > 0 && static_cast<std::size_t>(separator - line_begin) > max_record_bytes)
          return false;
        end_line(separator > line_begin && separator[-1] == '\r' ? separator - 1 : separator);
        line_begin = cell_begin = separator + 1;
      } else if (separator + 1 == end || separator[1] != '\n') {  // '\r'
        return false;
      }
    }
  }
  if (line_begin < end) {
    if (max_record_bytes > 0 && static_cast<std::size_t>(end - line_begin) > max_record_bytes) return false;
    end_line(end);
  }
  // The results are written once at the end: the chunks' counters and
  // tables lie next to each other (no cache line shared while parsing).
  *count = static_cast<std::size_t>(row_number);
  *out = std::move(local);
  return true;
}

// The parallel path: the file memory-mapped and cut at a line end into one
// chunk per thread; each thread counts its lines (room in one row array),
// then parses its chunk into its part of the array. nullopt when the file is
// not plain UTF-8 CSV (XLSX, GB18030, quotes, other delimiters, bad bytes):
// read it sequentially then.
std::optional<ParsedRows> ParsePlainCsvInParallel(const std::string& path, const FeedProfile& profile,
                                                  const FeedReader& reader, const CsvReadOptions& csv,
                                                  int threads) {
  const std::string encoding = reader.encoding_name();
  if (encoding.rfind("UTF-8", 0) != 0) return std::nullopt;
  std::unique_ptr<MappedFile> file = MappedFile::Open(path);
  if (file == nullptr) return std::nullopt;
  std::string_view bytes = file->bytes();
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  const std::size_t header_end = bytes.find('\n');
  if (header_end == std::string_view::npos) return std::nullopt;
  std::string_view header_line = bytes.substr(0, header_end);
  if (!header_line.empty() && header_line.back() == '\r') header_line.remove_suffix(1);
  const auto count = [&](char c) { return std::count(header_line.begin(), header_line.end(), c); };
  if (count('"') > 0 || count('\r') > 0 || count(',') == 0 || count(';') > count(',') ||
      count('\t') > count(','))
    return std::nullopt;
  std::vector<std::string> header;
  for (std::string_view rest = header_line;;) {
    const std::size_t comma = rest.find(',');
    header.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  Result<std::array<int, kFeedFieldCount>> columns = MatchHeader(header, profile, nullptr);
  if (!columns.ok()) return std::nullopt;
  std::string_view data = bytes.substr(header_end + 1);
  // Cut points at line ends.
  std::vector<std::string_view> chunks;
  const std::size_t target = data.size() / static_cast<std::size_t>(std::max(threads, 1)) + 1;
  while (!data.empty()) {
    std::size_t cut = std::min(target, data.size());
    if (cut < data.size()) {
      const std::size_t newline = data.find('\n', cut);
      cut = newline == std::string_view::npos ? data.size() : newline + 1;
    }
    chunks.push_back(data.substr(0, cut));
    data.remove_prefix(cut);
  }
  if (chunks.empty()) return ParsedRows();
  auto in_parallel = [&chunks](const std::function<void(std::size_t)>& work) {
    std::vector<std::thread> workers;
    for (std::size_t chunk_idx = 1; chunk_idx < chunks.size(); ++chunk_idx)
      workers.emplace_back(work, chunk_idx);
    work(0);
    for (std::thread& worker : workers) worker.join();
  };
  // Lines per chunk (an upper bound on its rows: blank lines are skipped).
  std::vector<std::size_t> first(chunks.size() + 1, 0);
  in_parallel([&](std::size_t chunk_idx) {
    const std::string_view chunk = chunks[chunk_idx];
    std::size_t lines = chunk.back() != '\n' ? 1 : 0;
    for (const char *cursor = chunk.data(), *end = chunk.data() + chunk.size();; ++cursor, ++lines) {
      cursor = static_cast<const char*>(std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor)));
      if (cursor == nullptr) break;
    }
    first[chunk_idx + 1] = lines;
  });
  for (std::size_t chunk_idx = 0; chunk_idx < chunks.size(); ++chunk_idx)
    first[chunk_idx + 1] += first[chunk_idx];
  std::vector<ParsedRows> parts(chunks.size());
  BulkArray<RowRecord> all_rows;
  all_rows.Reserve(std::max<std::size_t>(first.back(), 1));
  std::vector<std::size_t> counts(chunks.size(), 0);
  std::vector<char> ok(chunks.size(), 0);
  RowRecord* const rows_base = all_rows.data();
  in_parallel([&](std::size_t chunk_idx) {
    ok[chunk_idx] = ParsePlainCsvChunk(chunks[chunk_idx], profile, header, *columns, csv.max_record_bytes,
                                       rows_base + first[chunk_idx], &parts[chunk_idx], &counts[chunk_idx]);
  });
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return std::nullopt;
  // Chunks after the first: close the gaps left by blank lines and point
  // their rows at the merged side tables.
  ParsedRows& merged = parts[0];
  std::size_t size = counts[0];
  for (std::size_t chunk_idx = 1; chunk_idx < chunks.size(); ++chunk_idx) {
    RowRecord* rows = all_rows.data();
    if (first[chunk_idx] != size)
      std::memmove(rows + size, rows + first[chunk_idx], counts[chunk_idx] * sizeof(RowRecord));
    merged.Absorb(std::move(parts[chunk_idx]), rows + size, counts[chunk_idx],
                  static_cast<std::int64_t>(size));
    size += counts[chunk_idx];
  }
  all_rows.Resize(size);
  merged.rows = std::move(all_rows);
  return std::move(merged);
}

// Output of links.csv: rows are formatted into text blocks (by AppendRow,
// without allocations, so blocks can be formatted on several threads) and
// the blocks written in order.
class LinksWriter {
 public:
  static Result<std::unique_ptr<LinksWriter>> Create(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return Unavailable(fmt::format("无法创建结果文件：{}", path));
    auto writer = std::unique_ptr<LinksWriter>(new LinksWriter(file));
    writer->Write("row,id_number,match_class,score,household_number,reason\n");
    return writer;
  }
  ~LinksWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  /// One row: row,id_number,match_class,score,household_number,reason.
  /// `id_key` 0: no person (empty ID).
  static void AppendRow(std::int64_t row, std::uint64_t id_key, std::string_view match_class, float score,
                        std::string_view household, std::string_view reason, std::string* out) {
    char number[32];
    out->append(number, std::to_chars(number, number + sizeof number, row).ptr);
    out->push_back(',');
    if (id_key != 0) {
      char id[18];
      WriteIdOfKey(id_key, id);
      out->append(id, sizeof id);
    }
    out->push_back(',');
    out->append(match_class);
    out->push_back(',');
    // Three decimals, correctly rounded (what "{:.3f}" gives).
    out->append(number, std::to_chars(number, number + sizeof number, static_cast<double>(score),
                                      std::chars_format::fixed, 3)
                            .ptr);
    out->push_back(',');
    out->append(household);
    out->push_back(',');
    if (!reason.empty()) CsvWriter::AppendEscaped(reason, out);
    out->push_back('\n');
  }
  void Write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed_ = true;
  }
  Status Close() {
    const bool ok = !failed_ && std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return Unavailable("写入结果文件失败（磁盘可能已满）");
    return Status::Ok();
  }

 private:
  explicit LinksWriter(std::FILE* file) : file_(file) {}
  std::FILE* file_;
  bool failed_ = false;
};

}  // namespace

Result<std::string> FileSha256(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unavailable(fmt::format("无法读取文件：{}", path));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 20);
  bool failed = false;
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      failed = true;
      break;
    }
    if (got == 0) break;
    EVP_DigestUpdate(context, buffer.data(), static_cast<size_t>(got));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  ::close(fd);
  if (failed) return Unavailable(fmt::format("读取文件时出错：{}", path));
  std::string hex;
  for (unsigned int idx = 0; idx < length; ++idx) hex += fmt::format("{:02x}", digest[idx]);
  return hex;
}

std::string CompareSummary::ToJson() const {
  nlohmann::json json;
  json["feed"] = feed;
  json["file_sha256"] = file_sha256;
  json["encoding"] = encoding;
  json["rows_read"] = rows_read;
  json["rows_rejected"] = rows_rejected;
  nlohmann::json classes = nlohmann::json::object();
  for (int idx = 0; idx < kMatchClassCount; ++idx) {
    classes[std::string(MatchClassId(static_cast<MatchClass>(idx)))] = by_class[idx];
  }
  json["by_class"] = classes;
  json["issues"] = issue_count;
  json["alerts"] = alerts_by_kind;
  json["review_items"] = review_items_by_kind;
  json["as_of"] = as_of.ToIso();
  json["registry_persons"] = registry_persons;
  return json.dump();
}

Result<CompareSummary> CompareSummary::FromJson(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return DataLoss("已保存的比对摘要无法解析");
  CompareSummary summary;
  summary.feed = json.value("feed", "");
  summary.file_sha256 = json.value("file_sha256", "");
  summary.encoding = json.value("encoding", "");
  summary.rows_read = json.value("rows_read", std::int64_t{0});
  summary.rows_rejected = json.value("rows_rejected", std::int64_t{0});
  summary.issue_count = json.value("issues", std::int64_t{0});
  summary.registry_persons = json.value("registry_persons", std::int64_t{0});
  if (json.contains("by_class") && json["by_class"].is_object()) {
    for (int idx = 0; idx < kMatchClassCount; ++idx) {
      summary.by_class[idx] =
          json["by_class"].value(std::string(MatchClassId(static_cast<MatchClass>(idx))), std::int64_t{0});
    }
  }
  for (const char* key : {"alerts", "review_items"}) {
    if (!json.contains(key) || !json[key].is_object()) continue;
    auto& target = std::string_view(key) == "alerts" ? summary.alerts_by_kind : summary.review_items_by_kind;
    for (auto& [kind, count] : json[key].items()) {
      if (count.is_number_integer()) target[kind] = count.get<std::int64_t>();
    }
  }
  if (Result<Date> as_of = ParseDate(json.value("as_of", "")); as_of.ok()) summary.as_of = *as_of;
  return summary;
}

Result<CompareSummary> RunCompare(const CompareOptions& options, const FeedProfile& profile,
                                  const Policy& policy, NameNormalizer& normalizer) {
  const auto start = Clock::now();
  CompareSummary summary;
  summary.feed = profile.kind;
  ASSIGN_OR_RETURN(std::unique_ptr<FeedReader> reader, FeedReader::Open(options.file, profile, options.csv));
  summary.encoding = reader->encoding_name();
  summary.ignored_headers = reader->ignored_headers();
  ASSIGN_OR_RETURN(std::unique_ptr<LinkStore> store, OpenLinkStore(options.db));

  // Background: the file hash (provenance of a stored comparison; a dry run
  // stores nothing and skips it) and the person index (from its snapshot
  // when the registry has not changed).
  Result<std::string> hash = std::string();
  std::thread hasher;
  if (options.store) hasher = std::thread([&hash, &options] { hash = FileSha256(options.file); });
  Result<PersonIndex> loaded = Internal("未读取");
  Result<std::unique_ptr<NameNormalizer>> second_normalizer = Internal("未创建");
  double index_seconds = 0;
  bool index_from_snapshot = false;
  std::thread loader([&] {
    const auto load_start = Clock::now();
    second_normalizer = normalizer.Clone();
    Result<std::unique_ptr<Store>> registry = OpenStore(options.db, DivisionTable());
    if (!registry.ok()) {
      loaded = registry.status();
    } else {
      loaded = PersonIndex::LoadCached(**registry, *store, options.scope, &index_from_snapshot);
    }
    index_seconds = Since(load_start);
  });
  struct Joiner {
    std::thread* a;
    std::thread* b;
    ~Joiner() {
      if (a->joinable()) a->join();
      if (b->joinable()) b->join();
    }
  } joiner{&hasher, &loader};

  // Parse into compact rows: plain UTF-8 CSV in parallel chunks, anything
  // else (XLSX, GB18030, quoted cells) row by row through the reader.
  const auto read_start = Clock::now();
  std::optional<ParsedRows> parallel;
  if (options.parse_threads > 1) {
    parallel = ParsePlainCsvInParallel(options.file, profile, *reader, options.csv, options.parse_threads);
  }
  ParsedRows parsed;
  Status read_status;
  if (parallel.has_value()) {
    parsed = std::move(*parallel);
    summary.parallel_parse = true;
    if (options.progress) options.progress(1.0);
  } else {
    FeedRow row;
    std::int64_t progress_tick = 0;
    for (;;) {
      Result<bool> more = reader->Next(&row);
      if (!more.ok()) {
        read_status = more.status();
        break;
      }
      if (!*more) break;
      parsed.Add(row, &parsed.rows.push_back(RowRecord{}));
      if (options.progress && (++progress_tick & 0xFFFF) == 0) options.progress(reader->progress());
    }
  }
  BulkArray<RowRecord>& rows = parsed.rows;
  std::vector<SlowRow>& slow = parsed.slow;
  const std::vector<std::string>& categories = parsed.categories;
  summary.issues = std::move(parsed.issues);
  summary.rows_rejected = parsed.rejected;
  summary.rows_read = static_cast<std::int64_t>(rows.size());
  summary.seconds_read = Since(read_start);
  if (hasher.joinable()) hasher.join();
  loader.join();
  RETURN_IF_ERROR(read_status);
  if (!hash.ok()) return hash.status();
  if (!loaded.ok()) return loaded.status();
  if (!second_normalizer.ok()) return second_normalizer.status();
  summary.file_sha256 = *hash;
  summary.seconds_index = index_seconds;
  summary.index_from_snapshot = index_from_snapshot;
  PersonIndex& index = *loaded;
  summary.registry_persons = static_cast<std::int64_t>(index.size());
  summary.issue_count = static_cast<std::int64_t>(summary.issues.size());

  if (options.store) {
    ASSIGN_OR_RETURN(std::optional<FeedUpload> existing,
                     store->FindUpload(options.scope, profile.kind, summary.file_sha256));
    if (existing.has_value()) {
      ASSIGN_OR_RETURN(CompareSummary stored, CompareSummary::FromJson(existing->summary_json));
      stored.already_stored = true;
      stored.upload_id = existing->id;
      stored.seconds_total = Since(start);
      return stored;
    }
  }

  // Link: the exact-ID hash join inline, the rest through the linker.
  const auto link_start = Clock::now();
  // The exact-ID hash join over both cores (the index is read-only). A row
  // whose name hash equals its ID holder's is settled here; the others
  // (a name written differently, or someone else's name) are collected for
  // the name check below.
  std::vector<std::vector<std::uint32_t>> name_checks(2);
  {
    auto join = [&index, &rows, &slow](std::size_t begin, std::size_t end,
                                       std::vector<std::uint32_t>* checks) {
      constexpr std::size_t kAhead = 16;  // prefetch distance (table slots are cache misses)
      for (std::size_t row_idx = begin; row_idx < end; ++row_idx) {
        if (row_idx + kAhead < end) index.Prefetch(rows[row_idx + kAhead].id_key);
        RowRecord& record = rows[row_idx];
        if (record.flags & kRejected) continue;
        if (record.slow >= 0) {
          // Normalised or upgraded IDs: what Linker::LinkDeterministic decides
          // from the key alone; an upgraded ID not found goes on to it.
          SlowRow& extra = slow[record.slow];
          if (extra.id_key == 0) continue;
          const std::int32_t person = index.Find(extra.id_key);
          if (person >= 0) {
            record.person = person;
            record.match_class = extra.upgraded ? MatchClass::kUpgraded : MatchClass::kExact;
            record.score = 1;
            extra.reason = extra.upgraded  ? kReasonUpgradedId
                           : extra.changed ? kReasonNormalizedId
                                           : kReasonSameId;
            extra.decided = true;
            if (!extra.name.empty() && extra.name != index.name(person))
              checks->push_back(static_cast<std::uint32_t>(row_idx));
          } else if (!extra.upgraded) {
            extra.reason = kReasonNotInRegistry;
            extra.decided = true;
          }
          continue;
        }
        const PersonIndex::Slot* slot = index.Lookup(record.id_key);
        if (slot == nullptr) continue;
        record.person = slot->person;
        record.match_class = MatchClass::kExact;
        record.score = 1;
        if (record.name_hash != 0 && record.name_hash != slot->name_hash)
          checks->push_back(static_cast<std::uint32_t>(row_idx));
      }
    };
    const std::size_t half = rows.size() / 2;
    std::thread second([&] { join(half, rows.size(), &name_checks[1]); });
    join(0, half, &name_checks[0]);
    second.join();
  }
  // Then, on both cores (each half of the rows with its own normaliser and
  // linker, so the results do not depend on the split):
  //  * the name check: a valid ID whose holder's name plainly disagrees with
  //    the row's name (someone typed a relative's ID) is not linked — the row
  //    stays unmatched with that reason instead of raising signals on the
  //    wrong person;
  //  * the deterministic stage (normalisation, 15 → 18, repair) for the rows
  //    the join could not settle; what it leaves goes to the probabilistic
  //    stage, in row order.
  summary.name_checks = static_cast<std::int64_t>(name_checks[0].size() + name_checks[1].size());
  struct HalfResult {
    std::vector<std::uint32_t> unlinked;  // rows without a SlowRow unlinked by the name check
    std::vector<ProbabilisticRecord> probabilistic;
  };
  std::array<HalfResult, 2> halves;
  std::array<NameNormalizer*, 2> normalizers{&normalizer, second_normalizer->get()};
  auto link_half = [&](int half_idx, std::size_t begin, std::size_t end) {
    NameNormalizer& names = *normalizers[half_idx];
    HalfResult& result = halves[half_idx];
    // A file repeats its names (184,118 checks, 35,201 distinct names in the
    // 5-million-row benchmark): each is normalised once. The keys view the
    // rows' names, which stay put while this runs.
    std::unordered_map<std::string_view, std::string> normalized;
    for (const std::uint32_t row_idx : name_checks[half_idx]) {
      RowRecord& record = rows[row_idx];
      std::string_view name =
          record.slow >= 0 ? std::string_view(slow[record.slow].name)
                           : std::string_view(parsed.names).substr(record.name_offset, record.name_bytes);
      const std::string_view holder = index.name(record.person);
      if (name == holder) continue;
      auto [cached, inserted] = normalized.try_emplace(name);
      if (inserted) cached->second = names.Normalize(name);
      if (CompareNames(cached->second, holder, names) != NameAgreement::kDisagree) continue;
      record.person = -1;
      record.match_class = MatchClass::kUnmatched;
      record.score = 0;
      if (record.slow < 0) {
        result.unlinked.push_back(row_idx);
      } else {
        slow[record.slow].reason = kReasonIdOfAnotherPerson;
        slow[record.slow].decided = true;
      }
    }
    Linker linker(index, names, options.linker);
    for (std::size_t row_idx = begin; row_idx < end; ++row_idx) {
      RowRecord& record = rows[row_idx];
      if ((record.flags & kRejected) || record.id_key != 0 || slow[record.slow].decided) continue;
      SlowRow& extra = slow[record.slow];
      LinkInput input{extra.id_number,  extra.name, extra.has_birth_date,
                      extra.birth_date, extra.sex,  extra.county};
      ProbabilisticRecord pending;
      LinkOutcome outcome = linker.LinkDeterministic(input, &pending);
      extra.reason = std::move(outcome.reason);
      if (outcome.needs_probabilistic) {
        pending.row_index = row_idx;
        result.probabilistic.push_back(std::move(pending));
        continue;
      }
      record.match_class = outcome.match_class;
      record.person = outcome.person;
      record.score = static_cast<float>(outcome.score);
    }
  };
  {
    const std::size_t half = rows.size() / 2;
    std::thread second([&] { link_half(1, half, rows.size()); });
    link_half(0, 0, half);
    second.join();
  }
  std::vector<ProbabilisticRecord> probabilistic = std::move(halves[0].probabilistic);
  for (ProbabilisticRecord& pending : halves[1].probabilistic) probabilistic.push_back(std::move(pending));
  for (const HalfResult& result : halves) {
    for (const std::uint32_t row_idx : result.unlinked) {
      rows[row_idx].slow = static_cast<std::int32_t>(slow.size());
      SlowRow& extra = slow.emplace_back();
      extra.reason = kReasonIdOfAnotherPerson;
      extra.decided = true;
    }
  }
  Linker linker(index, normalizer, options.linker);
  std::vector<LinkOutcome> outcomes = linker.LinkProbabilistic(index, probabilistic, &summary.fs);
  for (std::size_t idx = 0; idx < probabilistic.size(); ++idx) {
    RowRecord& record = rows[probabilistic[idx].row_index];
    record.match_class = outcomes[idx].match_class;
    record.person = outcomes[idx].person;
    record.score = static_cast<float>(outcomes[idx].score);
    slow[record.slow].reason = std::move(outcomes[idx].reason);
  }
  for (const RowRecord& record : rows) ++summary.by_class[static_cast<int>(record.match_class)];
  summary.seconds_link = Since(link_start);

  // Signals: the as-of date is known now (given, or the latest event date of
  // a linked row), so the 12-month sums go straight into a per-person array.
  const auto signal_start = Clock::now();
  SignalAccumulator accumulator(profile, policy, index);
  Date accumulator_as_of;
  {
    Date& as_of = accumulator_as_of;
    if (options.as_of.has_value()) {
      as_of = *options.as_of;
    } else {
      std::int32_t latest = INT32_MIN;
      for (const RowRecord& record : rows) {
        if (record.person >= 0 && (record.flags & kHasEventDate))
          latest = std::max(latest, record.event_days);
      }
      if (latest != INT32_MIN) as_of = Date::FromDays(latest);
    }
    accumulator.FixAsOf(as_of);
  }
  // Both halves of the file at once, then merged (the same result as one
  // accumulator fed every row).
  {
    SignalAccumulator later(profile, policy, index);
    later.FixAsOf(accumulator_as_of);
    auto feed = [&rows, &categories](SignalAccumulator* target, std::size_t begin, std::size_t end) {
      for (std::size_t row_idx = begin; row_idx < end; ++row_idx) {
        const RowRecord& record = rows[row_idx];
        if (record.person < 0) continue;
        SignalRow signal;
        signal.row = static_cast<std::int64_t>(row_idx) + 1;
        signal.person = record.person;
        signal.has_event_date = record.flags & kHasEventDate;
        signal.event_days = record.event_days;
        signal.has_amount = record.flags & kHasAmount;
        signal.amount = record.amount;
        signal.has_total_cost = record.flags & kHasTotalCost;
        signal.total_cost = record.total_cost;
        signal.category = categories[record.category];
        target->Add(signal);
      }
    };
    const std::size_t half = rows.size() / 2;
    std::thread second([&] { feed(&later, half, rows.size()); });
    feed(&accumulator, 0, half);
    second.join();
    accumulator.Merge(std::move(later));
  }
  ASSIGN_OR_RETURN(SignalResult signals, accumulator.Finish());
  summary.as_of = signals.as_of;
  summary.alerts_by_kind = signals.alerts_by_kind;
  summary.review_items_by_kind = signals.review_items_by_kind;
  summary.seconds_signals = Since(signal_start);

  // Row outputs: links.csv and the stored links share the reasons.
  std::unordered_map<std::int64_t, std::string> reject_reasons;
  for (const RowIssue& issue : summary.issues) {
    if (rows[issue.row - 1].flags & kRejected) {
      std::string& reason = reject_reasons[issue.row];
      reason += fmt::format("{}{}{}", reason.empty() ? "行被拒绝：" : "；", issue.column, issue.reason);
    }
  }
  static const std::string kNotInRegistry(kReasonNotInRegistry);
  static const std::string kSameId(kReasonSameId);
  static const std::string kNoReason;
  auto reason_of = [&](std::size_t row_idx) -> const std::string& {
    const RowRecord& record = rows[row_idx];
    if (record.flags & kRejected) {
      const auto found = reject_reasons.find(static_cast<std::int64_t>(row_idx) + 1);
      return found == reject_reasons.end() ? kNoReason : found->second;
    }
    if (record.slow >= 0) return slow[record.slow].reason;
    if (record.person < 0) return kNotInRegistry;
    return kSameId;
  };
  const auto output_start = Clock::now();
  if (!options.out.empty()) {
    ASSIGN_OR_RETURN(auto writer, LinksWriter::Create(options.out));
    // Blocks of rows formatted on both cores, written in order.
    constexpr std::size_t kBlockRows = std::size_t{1} << 18;
    std::array<std::string, 2> text;
    auto format = [&](std::size_t begin, std::size_t end, std::string* out) {
      out->clear();
      for (std::size_t row_idx = begin; row_idx < end; ++row_idx) {
        const RowRecord& record = rows[row_idx];
        const bool linked = record.person >= 0;
        LinksWriter::AppendRow(static_cast<std::int64_t>(row_idx) + 1,
                               linked ? index.person(record.person).id_key : 0,
                               MatchClassId(record.match_class), record.score,
                               linked ? std::string_view(index.household_of(record.person).number) : "",
                               reason_of(row_idx), out);
      }
    };
    for (std::size_t block = 0; block < rows.size(); block += 2 * kBlockRows) {
      const std::size_t middle = std::min(rows.size(), block + kBlockRows);
      const std::size_t end = std::min(rows.size(), middle + kBlockRows);
      std::thread second([&] { format(middle, end, &text[1]); });
      format(block, middle, &text[0]);
      second.join();
      writer->Write(text[0]);
      writer->Write(text[1]);
    }
    RETURN_IF_ERROR(writer->Close());
  }
  summary.seconds_output = Since(output_start);

  if (options.store) {
    const auto store_start = Clock::now();
    FeedUpload upload;
    upload.feed = profile.kind;
    upload.file_name = options.file.substr(
        options.file.find_last_of('/') == std::string::npos ? 0 : options.file.find_last_of('/') + 1);
    upload.file_sha256 = summary.file_sha256;
    upload.uploader = options.uploader;
    upload.scope = options.scope;
    upload.rows_read = summary.rows_read;
    upload.rows_rejected = summary.rows_rejected;
    upload.summary_json = summary.ToJson();
    std::vector<FeedReject> rejects;
    rejects.reserve(summary.issues.size());
    for (const RowIssue& issue : summary.issues) rejects.push_back({issue.row, issue.column, issue.reason});
    // Links in compact form: households and reasons as tables.
    CompactLinks links;
    links.rows.resize(rows.size());
    std::vector<std::int32_t> household_slot(index.household_count(), -1);
    std::unordered_map<std::string_view, std::int32_t> text_slot;
    for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      const RowRecord& record = rows[row_idx];
      CompactLinks::Row& link = links.rows[row_idx];
      link.match_class = static_cast<std::uint8_t>(record.match_class);
      link.score_milli = static_cast<std::int32_t>(static_cast<double>(record.score) * 1000.0 +
                                                   (record.score >= 0 ? 0.5 : -0.5));
      if (record.person >= 0) {
        link.id_body = index.person(record.person).id_key;
        const std::uint32_t household = index.person(record.person).household;
        std::int32_t& slot = household_slot[household];
        if (slot < 0) {
          slot = static_cast<std::int32_t>(links.households.size());
          const IndexedHousehold& source = index.household(household);
          links.households.push_back({source.number, source.village_code});
        }
        link.household = slot;
      }
      const std::string& reason = reason_of(row_idx);
      if (!reason.empty()) {
        auto [it, inserted] = text_slot.try_emplace(reason, static_cast<std::int32_t>(links.texts.size()));
        if (inserted) links.texts.push_back(reason);
        link.reason = it->second;
      }
    }
    ASSIGN_OR_RETURN(SaveOutcome outcome, store->SaveComparisonCompact(upload, links, rejects, signals.alerts,
                                                                       signals.review_items));
    summary.upload_id = outcome.upload_id;
    summary.already_stored = outcome.already_stored;
    summary.seconds_store = Since(store_start);
  }
  if (options.signals_out != nullptr) *options.signals_out = std::move(signals);
  if (options.release_in_background) {
    // About a gigabyte in some millions of blocks: handed back on a thread
    // of its own while the caller goes on.
    struct Tables {
      ParsedRows parsed;
      Result<PersonIndex> index;
    };
    auto tables = std::make_unique<Tables>(Tables{std::move(parsed), std::move(loaded)});
    std::thread([tables = std::move(tables)]() mutable { tables.reset(); }).detach();
  }
  summary.seconds_total = Since(start);
  return summary;
}

}  // namespace zx::matching
