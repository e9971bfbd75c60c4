#include "matching/feed_synth.h"

#include <fmt/format.h>
#include <iconv.h>
#include <opencc/opencc.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "common/csv.h"
#include "common/text.h"
#include "domain/resident_id.h"

namespace zx::matching {
namespace {

struct SourcePerson {
  std::string id_number;
  std::string name;
  Date birth_date;
  Sex sex;
  int county;
};

constexpr const char* kDotVariants[] = {"\u2027", "\u30FB", "\uFF65", "\u2022", "\u22C5", ".", "\uFF0E"};

std::string FullWidth(std::string_view text) {
  std::string out;
  for (char c : text) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      AppendUtf8(static_cast<char32_t>(0xFF01 + (c - '!')), out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class Output {
 public:
  static Result<std::unique_ptr<Output>> Create(const std::string& path, bool gb18030) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return Unavailable(fmt::format("无法创建文件：{}", path));
    auto output = std::unique_ptr<Output>(new Output(file));
    if (gb18030) {
      output->converter_ = iconv_open("GB18030", "UTF-8");
      if (output->converter_ == reinterpret_cast<iconv_t>(-1))
        return Internal("系统缺少 GB18030 编码转换支持");
    }
    return output;
  }
  ~Output() {
    if (file_ != nullptr) std::fclose(file_);
    if (converter_ != reinterpret_cast<iconv_t>(-1)) iconv_close(converter_);
  }
  void Row(const std::vector<std::string>& fields) {
    line_.clear();
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
      if (idx > 0) line_.push_back(',');
      line_.append(CsvWriter::Escape(fields[idx]));
    }
    line_.append("\r\n");
    if (converter_ == reinterpret_cast<iconv_t>(-1)) {
      buffer_.append(line_);
    } else {
      std::string converted(line_.size() * 2 + 8, '\0');
      char* in = line_.data();
      size_t in_left = line_.size();
      char* out = converted.data();
      size_t out_left = converted.size();
      if (iconv(converter_, &in, &in_left, &out, &out_left) == static_cast<size_t>(-1)) failed_ = true;
      converted.resize(converted.size() - out_left);
      buffer_.append(converted);
    }
    if (buffer_.size() > (1 << 20)) Flush();
  }
  Status Close() {
    Flush();
    const bool ok = !failed_ && std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return Unavailable("写入文件失败（磁盘已满或字符无法按 GB18030 编码）");
    return Status::Ok();
  }

 private:
  explicit Output(std::FILE* file) : file_(file) {}
  void Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
    buffer_.clear();
  }
  std::FILE* file_;
  iconv_t converter_ = reinterpret_cast<iconv_t>(-1);
  std::string line_;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace

Result<SynthStats> SynthesizeFeed(LinkStore& store, const DivisionScope& scope, const FeedProfile& profile,
                                  const NameNormalizer& normalizer, const SynthOptions& options,
                                  const std::string& out_path, const std::string& truth_path) {
  std::vector<SourcePerson> persons;
  std::unordered_set<std::string> ids;
  RETURN_IF_ERROR(store.ScanLinkPersons(scope, [&](const LinkPersonView& person) {
    persons.push_back({std::string(person.id_number), std::string(person.name), person.birth_date, person.sex,
                       static_cast<int>(person.village_code / 1000000)});
    ids.emplace(person.id_number);
  }));
  if (persons.empty()) return FailedPrecondition("登记库（本范围）中没有人员，无法生成部门数据");
  opencc_t to_traditional = opencc_open(OPENCC_DEFAULT_CONFIG_SIMP_TO_TRAD);
  if (to_traditional == reinterpret_cast<opencc_t>(-1)) {
    return FailedPrecondition("无法加载简繁转换配置 s2t.json（OpenCC），请安装 libopencc-data");
  }
  struct Closer {
    opencc_t handle;
    ~Closer() { opencc_close(handle); }
  } closer{to_traditional};

  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> unit(0, 1);
  auto chance = [&](double share) { return unit(random) < share; };
  auto pick = [&](std::size_t size) { return static_cast<std::size_t>(random() % size); };

  ASSIGN_OR_RETURN(auto out, Output::Create(out_path, options.gb18030));
  ASSIGN_OR_RETURN(auto truth, CsvWriter::Create(truth_path, false));
  RETURN_IF_ERROR(
      truth->WriteRow({"row", "true_id_number", "expected_class", "id_error", "name_error", "birth_error"}));
  std::vector<std::string> header;
  for (const FeedColumn& column : profile.columns) header.push_back(column.headers[0]);
  out->Row(header);

  SynthStats stats;
  const std::int64_t end_days = options.end_date.ToDays();
  std::vector<std::string> fields(profile.columns.size());
  for (std::int64_t row = 1; row <= options.rows; ++row) {
    SourcePerson person = persons[pick(persons.size())];
    std::string true_id = person.id_number;
    std::string expected = "exact";
    if (chance(options.outsider_share)) {
      // A person the registry does not hold: a registry-like name, a new birth date and ID.
      person.birth_date =
          Date::FromDays(Date{1940, 1, 1}.ToDays() + static_cast<std::int64_t>(pick(365 * 70)));
      person.sex = chance(0.5) ? Sex::kMale : Sex::kFemale;
      for (;;) {
        std::string body = fmt::format("{:06d}{}{:02d}{}", person.county, person.birth_date.ToCompact(),
                                       pick(100), (pick(5) * 2 + (person.sex == Sex::kMale ? 1 : 0)));
        body.push_back(ResidentIdCheckChar(body));
        if (!ids.contains(body)) {
          person.id_number = body;
          break;
        }
      }
      true_id.clear();
      expected = "unmatched";
    }
    // The ID cell.
    std::string id = person.id_number;
    std::string id_error = "none";
    const double draw = unit(random);
    double edge = options.missing_share;
    if (draw < edge) {
      id.clear();
      id_error = "missing";
    } else if (draw < (edge += options.format_share)) {
      const int kind = static_cast<int>(pick(3));
      if (kind == 0) {
        id = FullWidth(id);
        id_error = "full_width";
      } else if (kind == 1 && id.back() == 'X') {
        id.back() = 'x';
        id_error = "lowercase_x";
      } else {
        id = id.substr(0, 6) + " " + id.substr(6, 8) + " " + id.substr(14);
        id_error = "spaces";
      }
    } else if (draw < (edge += options.legacy15_share) && person.birth_date.year >= 1900 &&
               person.birth_date.year <= 1999) {
      id = id.substr(0, 6) + id.substr(8, 9);
      id_error = "legacy15";
    } else if (draw < (edge += options.substitution_share)) {
      const std::size_t position = pick(18);
      if (position == 17) {
        const char check = id[17];
        do {
          id[17] = "0123456789X"[pick(11)];
        } while (id[17] == check);
      } else {
        const char digit = id[position];
        do {
          id[position] = static_cast<char>('0' + pick(10));
        } while (id[position] == digit);
      }
      id_error = "substitution";
    } else if (draw < (edge += options.transposition_share)) {
      for (int attempt = 0; attempt < 20; ++attempt) {
        const std::size_t position = pick(16);
        if (id[position] == id[position + 1]) continue;
        std::swap(id[position], id[position + 1]);
        id_error = "transposition";
        break;
      }
    }
    if (expected != "unmatched") {
      if (id_error == "missing") expected = "probabilistic";
      if (id_error == "legacy15") expected = "upgraded";
      if (id_error == "substitution" || id_error == "transposition") expected = "repaired";
    }
    // The name.
    std::string name = person.name;
    std::string name_error = "none";
    const bool dotted = name.find("\u00B7") != std::string::npos;
    if (dotted && chance(options.dot_variant_share)) {
      const std::string variant = kDotVariants[pick(std::size(kDotVariants))];
      std::string replaced;
      for (std::size_t pos = name.find("\u00B7"), last = 0;; pos = name.find("\u00B7", last)) {
        if (pos == std::string::npos) {
          replaced += name.substr(last);
          break;
        }
        replaced += name.substr(last, pos - last) + variant;
        last = pos + 2;
      }
      name = replaced;
      name_error = "dot_variant";
    } else if (chance(options.dropped_segment_share)) {
      std::u32string code_points = ToCodePoints(name);
      if (dotted) {
        const std::size_t dot = code_points.find(0x00B7);
        code_points = chance(0.5) ? code_points.substr(0, dot) : code_points.substr(dot + 1);
        name = FromCodePoints(code_points);
        name_error = "dropped_segment";
      } else if (code_points.size() == 4) {
        name = FromCodePoints(chance(0.5) ? code_points.substr(0, 2) : code_points.substr(2));
        name_error = "dropped_segment";
      }
    } else if (chance(options.name_variant_share)) {
      std::u32string code_points = ToCodePoints(name);
      std::vector<std::size_t> positions;
      for (std::size_t idx = 0; idx < code_points.size(); ++idx) {
        if (normalizer.groups().contains(code_points[idx])) positions.push_back(idx);
      }
      if (!positions.empty()) {
        const std::size_t position = positions[pick(positions.size())];
        const std::u32string& members = normalizer.groups().at(code_points[position]);
        code_points[position] = members[pick(members.size())];
        name = FromCodePoints(code_points);
        name_error = "variant_character";
      }
    } else if (chance(options.traditional_share)) {
      char* converted = opencc_convert_utf8(to_traditional, name.data(), name.size());
      if (converted != nullptr) {
        if (name != converted) name_error = "traditional";
        name = converted;
        opencc_convert_utf8_free(converted);
      }
    }
    // The birth date column.
    Date birth = person.birth_date;
    std::string birth_error = "none";
    if (chance(options.wrong_birth_share)) {
      const int part = static_cast<int>(pick(3));
      Date wrong = birth;
      if (part == 0) wrong.year += chance(0.5) ? 1 : -1;
      if (part == 1) wrong.month = wrong.month % 12 + 1;
      if (part == 2) wrong.day = wrong.day % 28 + 1;
      if (IsValidDate(wrong.year, wrong.month, wrong.day) && wrong != birth) {
        birth = wrong;
        birth_error = part == 0 ? "year" : part == 1 ? "month" : "day";
      }
    }
    const Date event = Date::FromDays(end_days - static_cast<std::int64_t>(pick(540)));
    for (std::size_t column_idx = 0; column_idx < profile.columns.size(); ++column_idx) {
      std::string& field = fields[column_idx];
      switch (profile.columns[column_idx].field) {
        case FeedField::kName:
          field = name;
          break;
        case FeedField::kIdNumber:
          field = id;
          break;
        case FeedField::kSex:
          field = person.sex == Sex::kMale ? "男" : "女";
          break;
        case FeedField::kBirthDate:
          field = birth.ToIso();
          break;
        case FeedField::kAreaCode:
          field = fmt::format("{:06d}", person.county);
          break;
        case FeedField::kEventDate:
          field = event.ToIso();
          break;
        case FeedField::kAmount: {
          // Mostly small bills, a few large ones (serious illness).
          const Fen fen =
              chance(0.03) ? static_cast<Fen>(500000 + pick(2500000)) : static_cast<Fen>(1000 + pick(60000));
          field = FormatYuan(fen);
          break;
        }
        case FeedField::kTotalCost:
          // Outpatient bills mostly; one stay in fifty is an expensive hospitalisation.
          field = FormatYuan(chance(0.02) ? static_cast<Fen>(500000 + pick(4000000))
                                          : static_cast<Fen>(5000 + pick(200000)));
          break;
        case FeedField::kCategory:
          if (!profile.alert_categories.empty() && chance(0.7)) {
            field = profile.alert_categories[pick(profile.alert_categories.size())];
          } else {
            field = profile.kind == "public_security" ? (chance(0.5) ? "死亡" : "迁出") : "其他";
          }
          break;
        case FeedField::kDetail:
          field = "示例";
          break;
      }
    }
    out->Row(fields);
    RETURN_IF_ERROR(
        truth->WriteRow({std::to_string(row), true_id, expected, id_error, name_error, birth_error}));
    ++stats.rows;
    ++stats.by_expected_class[expected];
    ++stats.by_id_error[id_error];
    ++stats.by_name_error[name_error];
  }
  RETURN_IF_ERROR(out->Close());
  RETURN_IF_ERROR(truth->Close());
  return stats;
}

bool AccuracyReport::MeetsTargets() const {
  return with_id.precision() >= 0.999 && with_id.recall() >= 0.995 && without_id.precision() >= 0.98 &&
         without_id.recall() >= 0.90;
}

std::string AccuracyReport::Format() const {
  std::string out = fmt::format(
      "共 {} 行\n匹配类别          判为该类  其中正确  精确率   真实为该类  找到  召回率\n", rows);
  for (int idx = 0; idx < kMatchClassCount; ++idx) {
    const ClassAccuracy& entry = classes[idx];
    out +=
        fmt::format("{:<16}  {:>8}  {:>8}  {:>7.4f}  {:>10}  {:>6}  {:>7.4f}\n",
                    MatchClassId(static_cast<MatchClass>(idx)), entry.assigned, entry.assigned_correct,
                    entry.assigned == 0 ? 1.0 : static_cast<double>(entry.assigned_correct) / entry.assigned,
                    entry.expected, entry.expected_found,
                    entry.expected == 0 ? 1.0 : static_cast<double>(entry.expected_found) / entry.expected);
  }
  out += fmt::format(
      "有身份证号的行（有效、15 位或可修复）：{} 行，精确率 {:.4f}（目标 ≥ 0.999），召回率 {:.4f}（目标 ≥ "
      "0.995）\n",
      with_id.rows, with_id.precision(), with_id.recall());
  out += fmt::format("无身份证号的行：{} 行，精确率 {:.4f}（目标 ≥ 0.98），召回率 {:.4f}（目标 ≥ 0.90）\n",
                     without_id.rows, without_id.precision(), without_id.recall());
  out += MeetsTargets() ? "达到目标\n" : "未达到目标\n";
  return out;
}

Result<AccuracyReport> EvaluateAccuracy(const std::string& links_path, const std::string& truth_path) {
  struct Truth {
    std::string id;
    std::string expected;
    bool has_id;
  };
  std::unordered_map<std::int64_t, Truth> truth;
  {
    ASSIGN_OR_RETURN(auto reader, CsvReader::Open(truth_path));
    std::vector<std::string> fields;
    ASSIGN_OR_RETURN(bool header, reader->Next(&fields));
    if (!header || fields.size() < 4 || fields[0] != "row")
      return InvalidArgument(fmt::format("{}：不是真值文件", truth_path));
    for (;;) {
      ASSIGN_OR_RETURN(bool more, reader->Next(&fields));
      if (!more) break;
      if (fields.size() < 4)
        return InvalidArgument(fmt::format("{} 第 {} 行：列数不足", truth_path, reader->line_number()));
      truth[std::stoll(fields[0])] = {fields[1], fields[2], fields[3] != "missing"};
    }
  }
  AccuracyReport report;
  ASSIGN_OR_RETURN(auto reader, CsvReader::Open(links_path));
  std::vector<std::string> fields;
  ASSIGN_OR_RETURN(bool header, reader->Next(&fields));
  if (!header || fields.size() < 4 || fields[0] != "row" || fields[1] != "id_number" ||
      fields[2] != "match_class") {
    return InvalidArgument(fmt::format("{}：表头应为 row,id_number,match_class,score", links_path));
  }
  auto class_index = [](std::string_view id) {
    for (int idx = 0; idx < kMatchClassCount; ++idx) {
      if (MatchClassId(static_cast<MatchClass>(idx)) == id) return idx;
    }
    return -1;
  };
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader->Next(&fields));
    if (!more) break;
    auto found = truth.find(std::stoll(fields[0]));
    if (found == truth.end()) continue;
    const Truth& expected = found->second;
    const int assigned = class_index(fields[2]);
    const int expected_class = class_index(expected.expected);
    if (assigned < 0 || expected_class < 0)
      return InvalidArgument(fmt::format("未知的匹配类别 {}", fields[2]));
    ++report.rows;
    const bool linked = !fields[1].empty();
    const bool correct = linked ? fields[1] == expected.id : expected.id.empty();
    ClassAccuracy& by_assigned = report.classes[assigned];
    ++by_assigned.assigned;
    by_assigned.assigned_correct += correct;
    ClassAccuracy& by_expected = report.classes[expected_class];
    ++by_expected.expected;
    by_expected.expected_found += correct;
    GroupAccuracy& group = expected.has_id ? report.with_id : report.without_id;
    ++group.rows;
    group.linkable += !expected.id.empty();
    group.linked += linked;
    group.correct += linked && correct;
  }
  return report;
}

}  // namespace zx::matching
