#include "matching/compare.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "common/text.h"
#include "matching/person_index.h"
#include "matching/signals.h"
#include "storage/link_store.h"

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
};

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

  // Background: the file hash and the person index.
  Result<std::string> hash = Internal("未计算");
  std::thread hasher([&hash, &options] { hash = FileSha256(options.file); });
  Result<PersonIndex> loaded = Internal("未读取");
  double index_seconds = 0;
  std::thread loader([&] {
    const auto load_start = Clock::now();
    loaded = PersonIndex::Load(*store, options.scope);
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

  // Parse into compact rows.
  const auto read_start = Clock::now();
  std::vector<RowRecord> rows;
  std::vector<SlowRow> slow;
  std::vector<std::string> categories(1);
  std::unordered_map<std::string, std::uint16_t> category_ids;
  FeedRow row;
  Status read_status;
  std::int64_t progress_tick = 0;
  for (;;) {
    Result<bool> more = reader->Next(&row);
    if (!more.ok()) {
      read_status = more.status();
      break;
    }
    if (!*more) break;
    RowRecord record;
    for (RowIssue& issue : row.issues) summary.issues.push_back(std::move(issue));
    if (row.rejected) {
      record.flags |= kRejected;
      ++summary.rows_rejected;
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
    if (!row.category.empty()) {
      auto [it, inserted] = category_ids.try_emplace(std::string(row.category), 0);
      if (inserted) {
        if (categories.size() < 65535) {
          it->second = static_cast<std::uint16_t>(categories.size());
          categories.emplace_back(row.category);
        }
      }
      record.category = it->second;
    }
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
    }
    rows.push_back(record);
    if (options.progress && (++progress_tick & 0xFFFF) == 0) options.progress(reader->progress());
  }
  summary.rows_read = static_cast<std::int64_t>(rows.size());
  summary.seconds_read = Since(read_start);
  hasher.join();
  loader.join();
  RETURN_IF_ERROR(read_status);
  if (!hash.ok()) return hash.status();
  if (!loaded.ok()) return loaded.status();
  summary.file_sha256 = *hash;
  summary.seconds_index = index_seconds;
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
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    RowRecord& record = rows[row_idx];
    if (record.flags & kRejected) continue;
    if (record.id_key != 0) {
      record.person = index.Find(record.id_key);
      if (record.person >= 0) {
        record.match_class = MatchClass::kExact;
        record.score = 1;
      }
      continue;
    }
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

  // Signals.
  const auto signal_start = Clock::now();
  SignalAccumulator accumulator(profile, policy, index);
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const RowRecord& record = rows[row_idx];
    if (record.person < 0) continue;
    SignalRow signal;
    signal.row = static_cast<std::int64_t>(row_idx) + 1;
    signal.person = record.person;
    signal.has_event_date = record.flags & kHasEventDate;
    if (signal.has_event_date) signal.event_date = Date::FromDays(record.event_days);
    signal.has_amount = record.flags & kHasAmount;
    signal.amount = record.amount;
    signal.has_total_cost = record.flags & kHasTotalCost;
    signal.total_cost = record.total_cost;
    signal.category = categories[record.category];
    accumulator.Add(signal);
  }
  const Date* as_of = options.as_of.has_value() ? &*options.as_of : nullptr;
  ASSIGN_OR_RETURN(SignalResult signals, accumulator.Finish(as_of));
  summary.as_of = signals.as_of;
  summary.alerts_by_kind = signals.alerts_by_kind;
  summary.review_items_by_kind = signals.review_items_by_kind;
  summary.seconds_signals = Since(signal_start);

  // Row outputs: links.csv and the stored links share one generator.
  std::vector<std::string> rejected_reason(0);
  std::unordered_map<std::int64_t, std::string> reject_reasons;
  for (const RowIssue& issue : summary.issues) {
    if (rows[issue.row - 1].flags & kRejected) {
      std::string& reason = reject_reasons[issue.row];
      reason += fmt::format("{}{}{}", reason.empty() ? "行被拒绝：" : "；", issue.column, issue.reason);
    }
  }
  std::string id_text;
  auto fill_link = [&](std::size_t row_idx, FeedLink* link) {
    const RowRecord& record = rows[row_idx];
    link->row = static_cast<std::int64_t>(row_idx) + 1;
    link->match_class = MatchClassId(record.match_class);
    link->score = record.score;
    if (record.person >= 0) {
      link->id_number = IdOfKey(index.person(record.person).id_key);
      link->household_number = index.household_of(record.person).number;
      link->village_code = index.household_of(record.person).village_code;
    } else {
      link->id_number.clear();
      link->household_number.clear();
      link->village_code = 0;
    }
    if (record.flags & kRejected) {
      link->reason = reject_reasons[link->row];
    } else if (record.slow >= 0) {
      link->reason = slow[record.slow].reason;
    } else if (record.person < 0) {
      link->reason = "身份证号码有效，但登记库（本范围）中没有此人";
    } else {
      link->reason.clear();
    }
  };
  const auto output_start = Clock::now();
  if (!options.out.empty()) {
    ASSIGN_OR_RETURN(auto writer, LinksWriter::Create(options.out));
    FeedLink link;
    for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      fill_link(row_idx, &link);
      writer->Write(link.row, link.id_number, link.match_class, link.score, link.household_number,
                    link.reason);
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
    std::size_t next = 0;
    FeedLinkSource source = [&](FeedLink* link) -> Result<bool> {
      if (next >= rows.size()) return false;
      fill_link(next++, link);
      return true;
    };
    ASSIGN_OR_RETURN(SaveOutcome outcome,
                     store->SaveComparison(upload, source, rejects, signals.alerts, signals.review_items));
    summary.upload_id = outcome.upload_id;
    summary.already_stored = outcome.already_stored;
    summary.seconds_store = Since(store_start);
  }
  summary.seconds_total = Since(start);
  return summary;
}

}  // namespace zx::matching
