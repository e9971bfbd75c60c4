// Golden linkage cases (test/golden/matching, README.md there): a 40-person
// registry in the household import format and a medical feed with one row per
// linkage case (exact, lowercase x, full-width digits, 15-digit IDs, repaired
// substitutions and transpositions, a valid ID of the wrong person, missing
// IDs linked by name + birth date + county, traditional / homophone / dot
// variants, dropped segments, twins, a common-name collision, malformed
// rows). Every row's class, person, score range and reason phrase is checked
// against expected.csv, every reported problem against expected_issues.csv
// (exhaustively), and the same feed as GBK, GB18030 and XLSX must give a
// byte-identical links.csv.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/money.h"
#include "common/text.h"
#include "common/xlsx.h"
#include "domain/code_tables.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "domain/resident_id.h"
#include "matching/compare.h"
#include "matching/feed_profile.h"
#include "matching/feed_reader.h"
#include "matching/name_normalizer.h"
#include "storage/link_store.h"
#include "storage/store.h"

namespace zx::matching {
namespace {

const std::string kGoldenDir = ZX_TEST_DIR "/golden/matching";

// A CSV file as rows of named cells.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Column(const std::string& name) const {
    for (size_t idx = 0; idx < header.size(); ++idx) {
      if (header[idx] == name) return static_cast<int>(idx);
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  const std::string& Cell(size_t row, const std::string& name) const {
    static const std::string empty;
    const auto column = static_cast<size_t>(Column(name));
    return column < rows[row].size() ? rows[row][column] : empty;
  }
};

Result<Table> ReadTable(const std::string& path) {
  ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  Table table;
  std::vector<std::string> fields;
  ASSIGN_OR_RETURN(bool has_header, reader->Next(&table.header));
  if (!has_header) return InvalidArgument(path + " is empty");
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader->Next(&fields));
    if (!more) break;
    table.rows.push_back(fields);
  }
  return table;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// glibc iconv, strict: nullopt when a character has no mapping in `to`.
std::optional<std::string> ConvertFromUtf8(const std::string& text, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(text.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(text.data());
  size_t in_left = text.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t result = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (result == static_cast<size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// The registry fixture, parsed as the household import reads it (only the
// columns that matter to linking are interpreted; the rest keep defaults).
Result<std::vector<HouseholdRecord>> LoadRegistry(const std::string& path) {
  ASSIGN_OR_RETURN(Table table, ReadTable(path));
  std::vector<HouseholdRecord> records;
  std::map<std::string, size_t> by_number;
  for (size_t row = 0; row < table.rows.size(); ++row) {
    const std::string& number = table.Cell(row, "户编号");
    auto [it, inserted] = by_number.try_emplace(number, records.size());
    if (inserted) {
      HouseholdRecord& record = records.emplace_back();
      record.household.household_number = number;
      record.household.village_code = std::stoll(table.Cell(row, "所在村代码"));
      record.household.ex_poor = table.Cell(row, "户类型") == "脱贫户";
      record.household.poverty_exit_year =
          record.household.ex_poor ? std::stoi(table.Cell(row, "脱贫年度")) : 0;
      HouseholdYear year;
      year.year = 2023;
      ASSIGN_OR_RETURN(year.wage_income, ParseYuan(table.Cell(row, "2023年工资性收入（元）")));
      ASSIGN_OR_RETURN(year.business_income, ParseYuan(table.Cell(row, "2023年生产经营性收入（元）")));
      ASSIGN_OR_RETURN(year.property_income, ParseYuan(table.Cell(row, "2023年财产性收入（元）")));
      ASSIGN_OR_RETURN(year.transfer_income, ParseYuan(table.Cell(row, "2023年转移性收入（元）")));
      ASSIGN_OR_RETURN(year.production_cost, ParseYuan(table.Cell(row, "2023年生产经营性支出（元）")));
      ASSIGN_OR_RETURN(year.compliant_out_of_pocket, ParseYuan(table.Cell(row, "2023年合规自付支出（元）")));
      record.years.push_back(year);
    }
    Person person;
    person.name = NormalizeNameDots(TrimText(table.Cell(row, "姓名")));
    person.id_number = NormalizeResidentId(table.Cell(row, "证件号码"));
    if (person.id_number.size() == 15) person.id_number = UpgradeResidentId15(person.id_number);
    if (!ParseSex(table.Cell(row, "性别"), &person.sex) ||
        !ParseRelation(table.Cell(row, "与户主关系"), &person.relation) ||
        !ParseEthnicity(table.Cell(row, "民族"), &person.ethnicity) ||
        !ParseYesNo(table.Cell(row, "是否死亡"), &person.deceased)) {
      return InvalidArgument(fmt::format("registry row {}: bad label", row + 2));
    }
    ASSIGN_OR_RETURN(person.birth_date, ParseDate(table.Cell(row, "出生日期")));
    ASSIGN_OR_RETURN(ResidentIdInfo info, ParseResidentId(person.id_number));
    (void)info;
    records[it->second].members.push_back(std::move(person));
  }
  return records;
}

struct ExpectedLink {
  std::int64_t row = 0;
  std::string id_number;
  std::string match_class;
  std::string reason_contains;  // empty: the reason is not checked (exact rows)
  std::string case_name;
};

struct ExpectedIssue {
  std::int64_t row = 0;
  std::string column;
  bool rejected = false;
  std::string reason_contains;
};

struct Link {
  std::int64_t row = 0;
  std::string id_number;
  std::string match_class;
  double score = 0;
  std::string household_number;
  std::string reason;
};

Result<std::vector<Link>> ReadLinks(const std::string& path) {
  ASSIGN_OR_RETURN(Table table, ReadTable(path));
  std::vector<Link> links;
  for (size_t row = 0; row < table.rows.size(); ++row) {
    Link link;
    link.row = std::stoll(table.Cell(row, "row"));
    link.id_number = table.Cell(row, "id_number");
    link.match_class = table.Cell(row, "match_class");
    link.score = std::stod(table.Cell(row, "score"));
    link.household_number = table.Cell(row, "household_number");
    link.reason = table.Cell(row, "reason");
    links.push_back(std::move(link));
  }
  return links;
}

class GoldenLinkageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("zx_golden_linkage_" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
  }
  static void TearDownTestSuite() {
    std::error_code error;
    std::filesystem::remove_all(*dir_, error);
    delete dir_;
  }

  void SetUp() override {
    db_ = (*dir_ / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db"))
              .string();
    Result<DivisionTable> divisions = DivisionTable::LoadDefault();
    ASSERT_TRUE(divisions.ok()) << divisions.status().ToString();
    Result<std::vector<HouseholdRecord>> registry = LoadRegistry(kGoldenDir + "/registry.csv");
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = *registry;
    auto store = OpenStore(db_, *divisions);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    VectorHouseholdSource source(registry_);
    auto written = (*store)->UpsertHouseholds(DivisionScope::All(), source);
    ASSERT_TRUE(written.ok()) << written.status().ToString();

    Result<FeedProfiles> profiles = LoadDefaultFeedProfiles();
    ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
    profiles_ = std::move(profiles).value();
    auto normalizer = NameNormalizer::CreateDefault();
    ASSERT_TRUE(normalizer.ok()) << normalizer.status().ToString();
    normalizer_ = std::move(normalizer).value();
    Result<Policy> policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();

    Result<Table> expected = ReadTable(kGoldenDir + "/expected.csv");
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    for (size_t row = 0; row < expected->rows.size(); ++row) {
      expected_.push_back({std::stoll(expected->Cell(row, "row")), expected->Cell(row, "id_number"),
                           expected->Cell(row, "match_class"), expected->Cell(row, "reason_contains"),
                           expected->Cell(row, "case")});
    }
    Result<Table> issues = ReadTable(kGoldenDir + "/expected_issues.csv");
    ASSERT_TRUE(issues.ok()) << issues.status().ToString();
    for (size_t row = 0; row < issues->rows.size(); ++row) {
      expected_issues_.push_back({std::stoll(issues->Cell(row, "row")), issues->Cell(row, "column"),
                                  issues->Cell(row, "rejected") == "1",
                                  issues->Cell(row, "reason_contains")});
    }
  }

  const FeedProfile& Medical() const { return **profiles_.Find("medical"); }

  Result<CompareSummary> Compare(const std::string& file, const std::string& out, bool store) {
    CompareOptions options;
    options.db = db_;
    options.file = file;
    options.out = out;
    options.uploader = "golden";
    options.store = store;
    return RunCompare(options, Medical(), policy_, *normalizer_);
  }

  static std::string Temp(const std::string& name) { return (*dir_ / name).string(); }
  const std::string& CaseOf(std::int64_t row) const {
    static const std::string unknown = "?";
    for (const ExpectedLink& link : expected_) {
      if (link.row == row) return link.case_name;
    }
    return unknown;
  }

  static std::filesystem::path* dir_;
  std::string db_;
  std::vector<HouseholdRecord> registry_;
  FeedProfiles profiles_;
  std::unique_ptr<NameNormalizer> normalizer_;
  Policy policy_;
  std::vector<ExpectedLink> expected_;
  std::vector<ExpectedIssue> expected_issues_;
};
std::filesystem::path* GoldenLinkageTest::dir_ = nullptr;

TEST_F(GoldenLinkageTest, FixturesAreWhatTheyClaim) {
  std::int64_t persons = 0;
  std::set<DivisionCode> villages;
  for (const HouseholdRecord& record : registry_) {
    persons += static_cast<std::int64_t>(record.members.size());
    villages.insert(record.household.village_code);
  }
  EXPECT_EQ(persons, 40);
  EXPECT_EQ(villages.size(), 6u);
  Result<DivisionTable> divisions = DivisionTable::LoadDefault();
  ASSERT_TRUE(divisions.ok());
  for (DivisionCode village : villages) {
    const Division* division = divisions->Find(village);
    ASSERT_NE(division, nullptr) << village;
    EXPECT_EQ(division->level, DivisionLevel::kVillage) << village;
  }
  // The expectations cover every data row of the feed, in order.
  Result<Table> feed = ReadTable(kGoldenDir + "/medical.csv");
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(expected_.size(), feed->rows.size());
  for (size_t idx = 0; idx < expected_.size(); ++idx)
    EXPECT_EQ(expected_[idx].row, static_cast<int>(idx) + 1);
}

TEST_F(GoldenLinkageTest, ReaderReportsExactlyTheExpectedProblems) {
  auto reader = FeedReader::Open(kGoldenDir + "/medical.csv", Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  FeedRow row;
  std::int64_t rows = 0;
  struct SeenIssue {
    std::int64_t row;
    std::string column;
    bool rejected;
    std::string reason;
  };
  std::vector<SeenIssue> seen;
  for (;;) {
    Result<bool> more = (*reader)->Next(&row);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++rows;
    EXPECT_EQ(row.row, rows);
    if (row.rejected) {
      EXPECT_FALSE(row.issues.empty()) << "row " << row.row << " rejected without a reason";
    }
    for (const RowIssue& issue : row.issues) {
      EXPECT_EQ(issue.row, row.row);
      seen.push_back({issue.row, issue.column, row.rejected, issue.reason});
    }
  }
  EXPECT_EQ(rows, static_cast<std::int64_t>(expected_.size()));
  for (const ExpectedIssue& expected : expected_issues_) {
    bool found = false;
    for (const SeenIssue& issue : seen) {
      if (issue.row != expected.row || issue.column != expected.column) continue;
      found = true;
      EXPECT_EQ(issue.rejected, expected.rejected)
          << "row " << expected.row << " (" << CaseOf(expected.row) << ")";
      EXPECT_NE(issue.reason.find(expected.reason_contains), std::string::npos)
          << "row " << expected.row << " column " << expected.column << ": reason “" << issue.reason
          << "” lacks “" << expected.reason_contains << "”";
    }
    EXPECT_TRUE(found) << "row " << expected.row << " (" << CaseOf(expected.row)
                       << "): no problem reported in column " << expected.column;
  }
  for (const SeenIssue& issue : seen) {
    bool expected = false;
    for (const ExpectedIssue& want : expected_issues_)
      expected |= want.row == issue.row && want.column == issue.column;
    EXPECT_TRUE(expected) << "unexpected problem: row " << issue.row << " column " << issue.column << ": "
                          << issue.reason;
  }
}

TEST_F(GoldenLinkageTest, EveryRowGetsItsExpectedClassPersonAndReason) {
  const std::string links_path = Temp("utf8_links.csv");
  Result<CompareSummary> summary = Compare(kGoldenDir + "/medical.csv", links_path, true);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->encoding, "UTF-8");
  EXPECT_EQ(summary->registry_persons, 40);
  EXPECT_EQ(summary->rows_read, static_cast<std::int64_t>(expected_.size()));
  std::set<std::int64_t> rejected_rows;
  for (const ExpectedIssue& issue : expected_issues_) {
    if (issue.rejected) rejected_rows.insert(issue.row);
  }
  EXPECT_EQ(summary->rows_rejected, static_cast<std::int64_t>(rejected_rows.size()));

  Result<std::vector<Link>> links = ReadLinks(links_path);
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), expected_.size());
  std::map<std::string, std::string> household_of;
  for (const HouseholdRecord& record : registry_) {
    for (const Person& person : record.members)
      household_of[person.id_number] = record.household.household_number;
  }
  std::map<std::string, std::int64_t> by_class;
  for (size_t idx = 0; idx < expected_.size(); ++idx) {
    const ExpectedLink& want = expected_[idx];
    const Link& got = (*links)[idx];
    const std::string where = fmt::format("row {} ({})", want.row, want.case_name);
    ++by_class[want.match_class];
    EXPECT_EQ(got.row, want.row) << where;
    EXPECT_EQ(got.match_class, want.match_class) << where << "; reason: " << got.reason;
    EXPECT_EQ(got.id_number, want.id_number) << where << "; reason: " << got.reason;
    if (!want.reason_contains.empty()) {
      EXPECT_NE(got.reason.find(want.reason_contains), std::string::npos)
          << where << ": reason “" << got.reason << "” lacks “" << want.reason_contains << "”";
    }
    if (!want.id_number.empty()) {
      EXPECT_EQ(got.household_number, household_of[want.id_number]) << where;
    } else {
      EXPECT_TRUE(got.household_number.empty()) << where;
    }
    if (want.match_class == "exact" || want.match_class == "upgraded") {
      EXPECT_DOUBLE_EQ(got.score, 1.0) << where;
    }
    if (want.match_class == "repaired") {
      EXPECT_DOUBLE_EQ(got.score, 0.99) << where;
    }
    if (want.match_class == "probabilistic") {
      EXPECT_GE(got.score, 0.9) << where;
      EXPECT_LE(got.score, 1.0) << where;
    }
    if (want.match_class == "unmatched") {
      EXPECT_GE(got.score, 0.0) << where;
      EXPECT_LE(got.score, 1.0) << where;
      EXPECT_FALSE(got.reason.empty()) << where << ": an unmatched row must say why";
    }
  }
  for (int idx = 0; idx < kMatchClassCount; ++idx) {
    const std::string name(MatchClassId(static_cast<MatchClass>(idx)));
    EXPECT_EQ(summary->by_class[idx], by_class[name]) << name;
  }

  // The stored links are the links.csv rows; the stored rejects are the reported problems.
  auto store = OpenLinkStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto stored = (*store)->ListLinks(DivisionScope::All(), summary->upload_id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), links->size());
  for (size_t idx = 0; idx < stored->size(); ++idx) {
    EXPECT_EQ((*stored)[idx].row, (*links)[idx].row);
    EXPECT_EQ((*stored)[idx].id_number, (*links)[idx].id_number);
    EXPECT_EQ((*stored)[idx].match_class, (*links)[idx].match_class);
    EXPECT_EQ((*stored)[idx].reason, (*links)[idx].reason);
  }
  auto rejects = (*store)->ListRejects(summary->upload_id);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->size(), summary->issues.size());
  for (size_t idx = 0; idx < rejects->size(); ++idx) {
    EXPECT_EQ((*rejects)[idx].row, summary->issues[idx].row);
    EXPECT_EQ((*rejects)[idx].column, summary->issues[idx].column);
    EXPECT_EQ((*rejects)[idx].reason, summary->issues[idx].reason);
  }
}

// The same feed as GBK (the three dot characters GBK lacks written as "·", as
// a GBK export would), as GB18030 (every character) and as XLSX: the links
// and the reported problems are byte-identical to the UTF-8 run.
TEST_F(GoldenLinkageTest, GbkGb18030AndXlsxCopiesGiveIdenticalResults) {
  const std::string utf8_links = Temp("reference_links.csv");
  Result<CompareSummary> reference = Compare(kGoldenDir + "/medical.csv", utf8_links, false);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  const std::string reference_bytes = ReadBytes(utf8_links);
  ASSERT_FALSE(reference_bytes.empty());

  const std::string utf8 = ReadBytes(kGoldenDir + "/medical.csv");
  ASSERT_FALSE(ConvertFromUtf8(utf8, "GBK").has_value()) << "the fixture should contain non-GBK dot variants";
  std::string gbk_text = utf8;
  for (const char* dot : {"\u2022", "\u2027", "\u30FB"}) gbk_text = ReplaceAll(gbk_text, dot, "\u00B7");
  std::optional<std::string> gbk = ConvertFromUtf8(gbk_text, "GBK");
  ASSERT_TRUE(gbk.has_value()) << "iconv UTF-8 → GBK failed";
  std::optional<std::string> gb18030 = ConvertFromUtf8(utf8, "GB18030");
  ASSERT_TRUE(gb18030.has_value()) << "iconv UTF-8 → GB18030 failed";
  WriteBytes(Temp("medical_gbk.csv"), *gbk);
  WriteBytes(Temp("medical_gb18030.csv"), *gb18030);

  // XLSX: every cell as text, as typed.
  {
    Result<Table> feed = ReadTable(kGoldenDir + "/medical.csv");
    ASSERT_TRUE(feed.ok());
    auto writer = XlsxWriter::Create(Temp("medical.xlsx"));
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->AddSheet("医保结算", feed->header).ok());
    for (const std::vector<std::string>& row : feed->rows) ASSERT_TRUE((*writer)->AppendRow(row).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }

  struct Copy {
    const char* file;
    const char* encoding;
  };
  for (const Copy& copy : {Copy{"medical_gbk.csv", "GB18030/GBK"}, Copy{"medical_gb18030.csv", "GB18030/GBK"},
                           Copy{"medical.xlsx", "XLSX"}}) {
    SCOPED_TRACE(copy.file);
    const std::string links = Temp(std::string(copy.file) + ".links.csv");
    Result<CompareSummary> summary = Compare(Temp(copy.file), links, false);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->encoding, copy.encoding);
    EXPECT_EQ(summary->rows_read, reference->rows_read);
    EXPECT_EQ(summary->rows_rejected, reference->rows_rejected);
    EXPECT_EQ(summary->by_class, reference->by_class);
    ASSERT_EQ(summary->issues.size(), reference->issues.size());
    for (size_t idx = 0; idx < summary->issues.size(); ++idx) {
      EXPECT_EQ(summary->issues[idx], reference->issues[idx]);
    }
    EXPECT_EQ(ReadBytes(links), reference_bytes);
  }
}

}  // namespace
}  // namespace zx::matching
