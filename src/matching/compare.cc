#include "matching/compare.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

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

// One parsed row, compact: a 5-million-row file costs ~240 MB here.
struct RowRecord {
  std::uint64_t id_key = 0;  // valid 18-character ID as read; 0 otherwise
  Fen amount = 0;
  Fen total_cost = 0;
  std::int32_t event_days = 0;
  std::int32_t slow = -1;  // index into SlowRow when the ID needs more work
  std::int32_t person = -1;
  float score = 0;
  std::uint32_t name_offset = 0;  // fast rows: the name in ParsedRows::names
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

// The compact rows of a file (or of one chunk of it).
struct ParsedRows {
  std::vector<RowRecord> rows;
  std::vector<SlowRow> slow;
  std::vector<std::string> categories{std::string()};  // id 0: none
  std::unordered_map<std::string, std::uint16_t> category_ids;
  std::vector<RowIssue> issues;
  std::int64_t rejected = 0;
  std::string names;  // names of the rows without a SlowRow, back to back

  // Appends one parsed row.
  void Add(FeedRow& row) {
    RowRecord record;
    for (RowIssue& issue : row.issues) issues.push_back(std::move(issue));
    if (row.rejected) {
      record.flags |= kRejected;
      ++rejected;
    }
    if (row.has_event_date) {
      record.flags |= kHasEventDate;
      record.event_days = static_cast<std::int32_t>(row.event_date.ToDays());
    }
    if (row.has_amount) {
      record.flags |= kHasAmount;
      record.amount = row.amount;
    }
    if (row.has_total_cost) {
      record.flags |= kHasTotalCost;
      record.total_cost = row.total_cost;
    }
    if (!row.category.empty()) record.category = CategoryId(row.category);
    record.id_key = row.id_number.size() == 18 ? IdKeyOfValid18(row.id_number) : 0;
    if (record.id_key == 0 && !row.rejected) {
      record.slow = static_cast<std::int32_t>(slow.size());
      SlowRow& extra = slow.emplace_back();
      extra.id_number = row.id_number;
      extra.name = row.name;
      extra.has_birth_date = row.has_birth_date;
      extra.birth_date = row.birth_date;
      extra.sex = row.sex;
      extra.county = static_cast<int>(row.area_code);
      if (!row.id_number.empty())
        extra.id_key = NormalizedIdKey(row.id_number, &extra.upgraded, &extra.changed);
    } else if (record.slow < 0) {
      // Kept so that a valid ID on another person's row can be caught.
      record.name_offset = static_cast<std::uint32_t>(names.size());
      record.name_bytes = static_cast<std::uint16_t>(std::min<std::size_t>(row.name.size(), 65535));
      names.append(row.name, 0, record.name_bytes);
    }
    rows.push_back(record);
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

  // Appends the rows of the chunk that follows this one in the file.
  void Append(ParsedRows&& next) {
    const auto row_offset = static_cast<std::int64_t>(rows.size());
    const auto slow_offset = static_cast<std::int32_t>(slow.size());
    std::vector<std::uint16_t> category_map(next.categories.size(), 0);
    for (std::size_t idx = 1; idx < next.categories.size(); ++idx)
      category_map[idx] = CategoryId(next.categories[idx]);
    rows.reserve(rows.size() + next.rows.size());
    const auto name_offset = static_cast<std::uint32_t>(names.size());
    names += next.names;
    for (RowRecord record : next.rows) {
      if (record.slow >= 0) record.slow += slow_offset;
      if (record.slow < 0) record.name_offset += name_offset;
      record.category = category_map[record.category];
      rows.push_back(record);
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

// Whether [p, end) is well-formed UTF-8 (ASCII skipped eight bytes at a time).
bool IsUtf8(const unsigned char* p, const unsigned char* end) {
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    auto continuation = [&](std::ptrdiff_t offset, unsigned lo = 0x80, unsigned hi = 0xBF) {
      return end - p > offset && p[offset] >= lo && p[offset] <= hi;
    };
    if (lead >= 0xC2 && lead <= 0xDF) {
      if (!continuation(1)) return false;
      p += 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
      if (!continuation(1, lo, hi) || !continuation(2)) return false;
      p += 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
      if (!continuation(1, lo, hi) || !continuation(2) || !continuation(3)) return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
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

// One chunk of a plain CSV (no quotes, comma-delimited, UTF-8, LF or CRLF
// line ends) parsed with the same FeedRowParser as FeedReader. False when
// the chunk has anything else: the caller then reads the file sequentially,
// which handles (or reports) it.
bool ParsePlainCsvChunk(std::string_view data, const FeedProfile& profile,
                        const std::vector<std::string>& header,
                        const std::array<int, kFeedFieldCount>& columns, std::size_t max_record_bytes,
                        ParsedRows* out) {
  if (std::memchr(data.data(), '"', data.size()) != nullptr) return false;
  const auto* begin = reinterpret_cast<const unsigned char*>(data.data());
  if (!IsUtf8(begin, begin + data.size())) return false;
  FeedRowParser parser(profile, header, columns);
  FeedRow row;
  std::vector<std::string_view> cells;
  std::int64_t row_number = 0;
  out->rows.reserve(data.size() / 90);
  std::size_t pos = 0;
  while (pos < data.size()) {
    const char* line_begin = data.data() + pos;
    const void* newline = std::memchr(line_begin, '\n', data.size() - pos);
    const std::size_t line_end =
        newline == nullptr ? data.size() : static_cast<const char*>(newline) - data.data();
    std::string_view line(line_begin, line_end - pos);
    pos = line_end + 1;
    if (max_record_bytes > 0 && line.size() > max_record_bytes) return false;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (std::memchr(line.data(), '\r', line.size()) != nullptr) return false;  // a lone CR ends a record
    cells.clear();
    for (;;) {
      const std::size_t comma = line.find(',');
      if (comma == std::string_view::npos) {
        cells.push_back(line);
        break;
      }
      cells.push_back(line.substr(0, comma));
      line.remove_prefix(comma + 1);
    }
    if (FeedRowParser::IsBlank(cells)) continue;
    parser.Parse(cells, ++row_number, &row);
    out->Add(row);
  }
  return true;
}

// The parallel path: the file memory-mapped and cut at a line end into one
// chunk per thread. nullopt when the file is not plain UTF-8 CSV (XLSX,
// GB18030, quotes, other delimiters, bad bytes): read it sequentially then.
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
  std::vector<ParsedRows> parts(chunks.size());
  std::vector<char> ok(chunks.size(), 0);
  std::vector<std::thread> workers;
  for (std::size_t chunk_idx = 1; chunk_idx < chunks.size(); ++chunk_idx) {
    workers.emplace_back([&, chunk_idx] {
      ok[chunk_idx] = ParsePlainCsvChunk(chunks[chunk_idx], profile, header, *columns, csv.max_record_bytes,
                                         &parts[chunk_idx]);
    });
  }
  if (!chunks.empty())
    ok[0] = ParsePlainCsvChunk(chunks[0], profile, header, *columns, csv.max_record_bytes, &parts[0]);
  for (std::thread& worker : workers) worker.join();
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return std::nullopt;
  if (parts.empty()) return ParsedRows();
  for (std::size_t part_idx = 1; part_idx < parts.size(); ++part_idx)
    parts[0].Append(std::move(parts[part_idx]));
  return std::move(parts[0]);
}

// Buffered output of links.csv (no per-row allocations).
class LinksWriter {
 public:
  static Result<std::unique_ptr<LinksWriter>> Create(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return Unavailable(fmt::format("无法创建结果文件：{}", path));
    auto writer = std::unique_ptr<LinksWriter>(new LinksWriter(file));
    writer->buffer_ = "row,id_number,match_class,score,household_number,reason\n";
    return writer;
  }
  ~LinksWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void Write(std::int64_t row, std::string_view id, std::string_view match_class, double score,
             std::string_view household, std::string_view reason) {
    fmt::format_to(std::back_inserter(buffer_), "{},{},{},{:.3f},{},", row, id, match_class, score,
                   household);
    if (!reason.empty()) buffer_.append(CsvWriter::Escape(reason));
    buffer_.push_back('\n');
    if (buffer_.size() > (1 << 20)) Flush();
  }
  Status Close() {
    Flush();
    const bool ok = !failed_ && std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return Unavailable("写入结果文件失败（磁盘可能已满）");
    return Status::Ok();
  }

 private:
  explicit LinksWriter(std::FILE* file) : file_(file) {}
  void Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
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

  // Background: the file hash and the person index (from its snapshot when
  // the registry has not changed).
  Result<std::string> hash = Internal("未计算");
  std::thread hasher([&hash, &options] { hash = FileSha256(options.file); });
  Result<PersonIndex> loaded = Internal("未读取");
  double index_seconds = 0;
  bool index_from_snapshot = false;
  std::thread loader([&] {
    const auto load_start = Clock::now();
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
      parsed.Add(row);
      if (options.progress && (++progress_tick & 0xFFFF) == 0) options.progress(reader->progress());
    }
  }
  std::vector<RowRecord>& rows = parsed.rows;
  std::vector<SlowRow>& slow = parsed.slow;
  const std::vector<std::string>& categories = parsed.categories;
  summary.issues = std::move(parsed.issues);
  summary.rows_rejected = parsed.rejected;
  summary.rows_read = static_cast<std::int64_t>(rows.size());
  summary.seconds_read = Since(read_start);
  hasher.join();
  loader.join();
  RETURN_IF_ERROR(read_status);
  if (!hash.ok()) return hash.status();
  if (!loaded.ok()) return loaded.status();
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
  Linker linker(index, normalizer, options.linker);
  std::vector<ProbabilisticRecord> probabilistic;
  // The exact-ID hash join over both cores (the index is read-only).
  {
    auto join = [&index, &rows, &slow](std::size_t begin, std::size_t end) {
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
          } else if (!extra.upgraded) {
            extra.reason = kReasonNotInRegistry;
            extra.decided = true;
          }
          continue;
        }
        if (record.id_key == 0) continue;
        record.person = index.Find(record.id_key);
        if (record.person >= 0) {
          record.match_class = MatchClass::kExact;
          record.score = 1;
        }
      }
    };
    const std::size_t half = rows.size() / 2;
    std::thread second([&] { join(half, rows.size()); });
    join(0, half);
    second.join();
  }
  // A valid ID whose holder's name plainly disagrees with the row's name
  // (someone typed a relative's ID) is not linked: the row stays unmatched
  // with that reason instead of raising signals on the wrong person.
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    RowRecord& record = rows[row_idx];
    if (record.person < 0) continue;
    std::string_view name =
        record.slow >= 0 ? std::string_view(slow[record.slow].name)
                         : std::string_view(parsed.names).substr(record.name_offset, record.name_bytes);
    const std::string_view holder = index.name(record.person);
    if (name.empty() || name == holder) continue;
    if (CompareNames(normalizer.Normalize(name), holder, normalizer) != NameAgreement::kDisagree) continue;
    record.person = -1;
    record.match_class = MatchClass::kUnmatched;
    record.score = 0;
    if (record.slow < 0) {
      record.slow = static_cast<std::int32_t>(slow.size());
      slow.emplace_back();
    }
    slow[record.slow].reason = kReasonIdOfAnotherPerson;
    slow[record.slow].decided = true;
  }
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    RowRecord& record = rows[row_idx];
    if ((record.flags & kRejected) || record.id_key != 0 || slow[record.slow].decided) continue;
    SlowRow& extra = slow[record.slow];
    LinkInput input{extra.id_number,  extra.name, extra.has_birth_date,
                    extra.birth_date, extra.sex,  extra.county};
    ProbabilisticRecord pending;
    LinkOutcome outcome = linker.LinkDeterministic(input, &pending);
    extra.reason = outcome.reason;
    if (outcome.needs_probabilistic) {
      pending.row_index = row_idx;
      probabilistic.push_back(std::move(pending));
      continue;
    }
    record.match_class = outcome.match_class;
    record.person = outcome.person;
    record.score = static_cast<float>(outcome.score);
  }
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
  {
    Date as_of;
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
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
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
    accumulator.Add(signal);
  }
  ASSIGN_OR_RETURN(SignalResult signals, accumulator.Finish());
  summary.as_of = signals.as_of;
  summary.alerts_by_kind = signals.alerts_by_kind;
  summary.review_items_by_kind = signals.review_items_by_kind;
  summary.seconds_signals = Since(signal_start);
  if (options.signals_out != nullptr) *options.signals_out = signals;

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
  auto reason_of = [&](std::size_t row_idx) -> const std::string& {
    const RowRecord& record = rows[row_idx];
    if (record.flags & kRejected) return reject_reasons[static_cast<std::int64_t>(row_idx) + 1];
    if (record.slow >= 0) return slow[record.slow].reason;
    if (record.person < 0) return kNotInRegistry;
    return kSameId;
  };
  const auto output_start = Clock::now();
  if (!options.out.empty()) {
    ASSIGN_OR_RETURN(auto writer, LinksWriter::Create(options.out));
    std::string id_text;
    for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      const RowRecord& record = rows[row_idx];
      std::string_view household;
      if (record.person >= 0) {
        id_text = IdOfKey(index.person(record.person).id_key);
        household = index.household_of(record.person).number;
      } else {
        id_text.clear();
      }
      writer->Write(static_cast<std::int64_t>(row_idx) + 1, id_text, MatchClassId(record.match_class),
                    record.score, household, reason_of(row_idx));
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
  summary.seconds_total = Since(start);
  return summary;
}

}  // namespace zx::matching
