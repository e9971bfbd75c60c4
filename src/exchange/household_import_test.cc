#include "exchange/household_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/xlsx.h"
#include "exchange/household_export.h"
#include "exchange/household_template.h"
#include "exchange/import_report.h"

namespace zx {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& name) { return std::string(ZX_TEST_DIR) + "/data/import/" + name; }

class ImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<DivisionTable> loaded = DivisionTable::LoadDefault();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    divisions_ = new DivisionTable(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete divisions_;
    divisions_ = nullptr;
  }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zx_exchange_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = OpenFreshStore("registry.db");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<Store> OpenFreshStore(const std::string& name) {
    Result<std::unique_ptr<Store>> store = OpenStore((dir_ / name).string(), *divisions_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static ImportOptions Options() {
    ImportOptions options;
    options.progress = false;
    options.today = Date{2024, 6, 1};
    return options;
  }

  Result<WriteCounts> Import(Store& store, const std::string& path, ImportReport* report,
                             const ImportOptions& options = Options()) {
    return ImportHouseholds(path, *divisions_, store, options, report);
  }

  static std::vector<HouseholdRecord> Dump(Store& store) {
    std::vector<HouseholdRecord> records;
    Status status = store.ScanHouseholds(DivisionScope::All(), [&records](const HouseholdRecord& record) {
      records.push_back(record);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return records;
  }

  static std::map<std::string, std::int64_t> RowVersions(Store& store) {
    std::map<std::string, std::int64_t> versions;
    for (const HouseholdRecord& record : Dump(store)) {
      auto version = store.GetRowVersion(DivisionScope::All(), record.household.household_number);
      EXPECT_TRUE(version.ok() && version->has_value());
      if (version.ok() && version->has_value()) versions[record.household.household_number] = **version;
    }
    return versions;
  }

  static const HouseholdRecord* FindRecord(const std::vector<HouseholdRecord>& records,
                                           const std::string& number) {
    for (const HouseholdRecord& record : records) {
      if (record.household.household_number == number) return &record;
    }
    return nullptr;
  }

  static ParsedHouseholds Parse(const std::string& path, ImportReport* report) {
    ParsedHouseholds parsed;
    ReadHouseholdFile(path, *divisions_, Options(), report, &parsed);
    return parsed;
  }

  // Writes the rows of a CSV file into an .xlsx (first sheet), as Excel would hold them.
  static void CsvToXlsx(const std::string& csv_path, const std::string& xlsx_path) {
    auto reader = CsvReader::Open(csv_path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    auto writer = XlsxWriter::Create(xlsx_path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    std::vector<std::string> fields;
    bool header = true;
    while (true) {
      auto next = (*reader)->Next(&fields);
      ASSERT_TRUE(next.ok());
      if (!*next) break;
      if (header) {
        ASSERT_TRUE((*writer)->AddSheet("农户信息", fields).ok());
        header = false;
      } else {
        ASSERT_TRUE((*writer)->AppendRow(fields).ok());
      }
    }
    ASSERT_TRUE((*writer)->Close().ok());
  }

  static DivisionTable* divisions_;
  fs::path dir_;
  std::unique_ptr<Store> store_;
};

DivisionTable* ImportTest::divisions_ = nullptr;

TEST_F(ImportTest, GoodCsvImportsEveryHouseholdAndNormalisesValues) {
  ImportReport report("good.csv");
  auto counts = Import(*store_, Fixture("good.csv"), &report);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString() << "\n" << report.FormatText();
  EXPECT_EQ(*counts, (WriteCounts{3, 0, 0}));
  EXPECT_FALSE(report.has_errors());

  const std::vector<HouseholdRecord> records = Dump(*store_);
  ASSERT_EQ(records.size(), 3u);
  const HouseholdRecord* h1 = FindRecord(records, "630121100201001");
  ASSERT_NE(h1, nullptr);
  // Rows of household 1 are not adjacent in the file; members keep file order.
  ASSERT_EQ(h1->members.size(), 5u);
  EXPECT_EQ(h1->members[0].relation, Relation::kHead);
  EXPECT_EQ(h1->household.village_code, 630121100201);
  EXPECT_TRUE(h1->household.ex_poor);
  EXPECT_EQ(h1->household.poverty_exit_year, 2019);
  EXPECT_EQ(h1->household.phone, "13800000001");
  // Full-width digits normalised; sex and birth date derived from the ID when blank.
  EXPECT_EQ(h1->members[2].name, "李强");
  EXPECT_EQ(h1->members[2].id_number.size(), 18u);
  EXPECT_EQ(h1->members[2].birth_date, (Date{1995, 7, 20}));
  EXPECT_EQ(h1->members[2].sex, Sex::kMale);
  EXPECT_TRUE(h1->members[4].deceased);
  ASSERT_EQ(h1->years.size(), 2u);
  EXPECT_EQ(h1->years[0].year, 2022);
  EXPECT_EQ(h1->years[0].wage_income, Yuan(12000));
  EXPECT_EQ(h1->years[0].business_income, 800050);
  EXPECT_EQ(h1->years[1].compliant_out_of_pocket, 0);

  const HouseholdRecord* h2 = FindRecord(records, "630121100201002");
  ASSERT_NE(h2, nullptr);
  EXPECT_FALSE(h2->household.ex_poor);
  EXPECT_EQ(h2->household.poverty_exit_year, 0);
  EXPECT_EQ(h2->household.housing, HousingRating::kB);
  // 2022 is blank for this household: the year is absent; blanks inside 2023 count as 0.
  ASSERT_EQ(h2->years.size(), 1u);
  EXPECT_EQ(h2->years[0].year, 2023);
  EXPECT_EQ(h2->years[0].property_income, 0);
  EXPECT_EQ(h2->years[0].compliant_out_of_pocket, 30025);
  EXPECT_EQ(h2->members[0].id_number.back(), 'X');  // lowercase x normalised

  const HouseholdRecord* h3 = FindRecord(records, "630121100202001");
  ASSERT_NE(h3, nullptr);
  EXPECT_EQ(h3->members[0].id_number, "630121196503151233");  // 15 digits upgraded
  EXPECT_EQ(h3->members[0].name, "阿依古丽·买买提");
  EXPECT_EQ(h3->members[0].disability_grade, 2);
  EXPECT_EQ(h3->members[1].birth_date, (Date{1968, 2, 10}));
  EXPECT_EQ(h3->household.housing, HousingRating::kC);
}

TEST_F(ImportTest, SameFileTwiceChangesNothing) {
  ImportReport first("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &first).ok()) << first.FormatText();
  const auto records = Dump(*store_);
  const auto versions = RowVersions(*store_);
  ImportReport second("good.csv");
  auto counts = Import(*store_, Fixture("good.csv"), &second);
  ASSERT_TRUE(counts.ok()) << second.FormatText();
  EXPECT_EQ(*counts, (WriteCounts{0, 0, 3}));
  EXPECT_EQ(Dump(*store_), records);
  EXPECT_EQ(RowVersions(*store_), versions);
}

TEST_F(ImportTest, GbkAndBomFilesParseLikeUtf8) {
  ImportReport utf8_report("good.csv");
  const ParsedHouseholds utf8 = Parse(Fixture("good.csv"), &utf8_report);
  ASSERT_FALSE(utf8_report.has_errors()) << utf8_report.FormatText();
  for (const char* name : {"good_gbk.csv", "good_bom.csv"}) {
    ImportReport report(name);
    const ParsedHouseholds other = Parse(Fixture(name), &report);
    ASSERT_FALSE(report.has_errors()) << name << "\n" << report.FormatText();
    EXPECT_EQ(other.records, utf8.records) << name;
    EXPECT_EQ(other.years, utf8.years) << name;
  }
  ImportReport gbk_report("good_gbk.csv");
  EXPECT_EQ(Parse(Fixture("good_gbk.csv"), &gbk_report).encoding, "GB18030/GBK");

  // And through the store: the GBK file is "unchanged" after the UTF-8 one.
  ImportReport first("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &first).ok());
  ImportReport second("good_gbk.csv");
  auto counts = Import(*store_, Fixture("good_gbk.csv"), &second);
  ASSERT_TRUE(counts.ok()) << second.FormatText();
  EXPECT_EQ(*counts, (WriteCounts{0, 0, 3}));
}

TEST_F(ImportTest, XlsxImportsLikeCsv) {
  const std::string xlsx = (dir_ / "good.xlsx").string();
  CsvToXlsx(Fixture("good.csv"), xlsx);
  ImportReport csv_report("good.csv");
  const ParsedHouseholds from_csv = Parse(Fixture("good.csv"), &csv_report);
  ImportReport xlsx_report("good.xlsx");
  const ParsedHouseholds from_xlsx = Parse(xlsx, &xlsx_report);
  ASSERT_FALSE(xlsx_report.has_errors()) << xlsx_report.FormatText();
  EXPECT_EQ(from_xlsx.records, from_csv.records);
  EXPECT_EQ(from_xlsx.encoding, "XLSX");
  auto counts = Import(*store_, xlsx, &xlsx_report);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (WriteCounts{3, 0, 0}));
}

TEST_F(ImportTest, ExportThenImportIsUnchangedAndEqual) {
  ImportReport report("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &report).ok());
  const auto records = Dump(*store_);
  const auto versions = RowVersions(*store_);
  ExportOptions export_options;
  export_options.progress = false;
  for (const char* name : {"export.csv", "export.xlsx"}) {
    const std::string path = (dir_ / name).string();
    auto summary = ExportHouseholds(*store_, path, export_options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->households, 3);
    EXPECT_EQ(summary->persons, 10);
    EXPECT_EQ(summary->years, DefaultIncomeYears());
    ImportReport again(name);
    auto counts = Import(*store_, path, &again);
    ASSERT_TRUE(counts.ok()) << name << "\n" << again.FormatText();
    EXPECT_EQ(*counts, (WriteCounts{0, 0, 3})) << name;
    EXPECT_EQ(Dump(*store_), records) << name;
    EXPECT_EQ(RowVersions(*store_), versions) << name;

    // Into an empty database: the same records.
    std::unique_ptr<Store> fresh = OpenFreshStore(std::string("fresh_") + name + ".db");
    ASSERT_NE(fresh, nullptr);
    ImportReport fresh_report(name);
    auto fresh_counts = Import(*fresh, path, &fresh_report);
    ASSERT_TRUE(fresh_counts.ok()) << fresh_report.FormatText();
    EXPECT_EQ(*fresh_counts, (WriteCounts{3, 0, 0}));
    EXPECT_EQ(Dump(*fresh), records) << name;
  }
}

TEST_F(ImportTest, YearsWithoutColumnsKeepTheirStoredValues) {
  ImportReport report("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &report).ok());
  HouseholdRecord h1 = *FindRecord(Dump(*store_), "630121100201001");
  // A file with only 2024 columns for household 1.
  HouseholdYear y2024;
  y2024.year = 2024;
  y2024.wage_income = Yuan(15000);
  h1.years = {y2024};
  std::vector<std::vector<std::string>> rows;
  FormatHouseholdRows(h1, {2024}, &rows);
  const std::string path = (dir_ / "only2024.csv").string();
  {
    auto writer = CsvWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->WriteRow(TemplateHeader({2024})).ok());
    for (const auto& row : rows) ASSERT_TRUE((*writer)->WriteRow(row).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }
  ImportReport second("only2024.csv");
  auto counts = Import(*store_, path, &second);
  ASSERT_TRUE(counts.ok()) << second.FormatText();
  EXPECT_EQ(*counts, (WriteCounts{0, 1, 0}));
  const std::vector<HouseholdRecord> after = Dump(*store_);
  const HouseholdRecord* stored = FindRecord(after, "630121100201001");
  ASSERT_NE(stored, nullptr);
  ASSERT_EQ(stored->years.size(), 3u);
  EXPECT_EQ(stored->years[0].year, 2022);
  EXPECT_EQ(stored->years[0].wage_income, Yuan(12000));
  EXPECT_EQ(stored->years[2].year, 2024);
  EXPECT_EQ(stored->years[2].wage_income, Yuan(15000));
}

struct BadCase {
  const char* file;
  ImportErrorKind kind;
  const char* header;  // "" when the error names no column
  std::int64_t row;    // 0 = do not check
};

class BadFileTest : public ImportTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadFileTest, ReportsTheErrorAndImportsNothing) {
  const BadCase& bad = GetParam();
  ImportReport good_report("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &good_report).ok());
  const auto records = Dump(*store_);
  const auto versions = RowVersions(*store_);

  ImportReport report(bad.file);
  auto counts = Import(*store_, Fixture(bad.file), &report);
  EXPECT_FALSE(counts.ok());
  EXPECT_TRUE(report.has_errors());
  EXPECT_GE(report.CountOf(bad.kind), 1) << report.FormatText();
  bool located = false;
  for (const ImportIssue& issue : report.errors()) {
    if (issue.kind != bad.kind) continue;
    if (issue.header == bad.header && (bad.row == 0 || issue.row == bad.row)) located = true;
    EXPECT_FALSE(issue.message.empty());
  }
  EXPECT_TRUE(located) << bad.file << "\n" << report.FormatText();
  EXPECT_EQ(Dump(*store_), records);
  EXPECT_EQ(RowVersions(*store_), versions);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadFileTest,
    ::testing::Values(
        BadCase{"bad_checksum.csv", ImportErrorKind::kIdChecksum, "证件号码", 3},
        BadCase{"bad_id_birth_date.csv", ImportErrorKind::kIdBirthDateMismatch, "出生日期", 3},
        BadCase{"bad_id_sex.csv", ImportErrorKind::kIdSexMismatch, "性别", 3},
        BadCase{"bad_unknown_village.csv", ImportErrorKind::kUnknownDivision, "所在村代码", 8},
        BadCase{"bad_not_village.csv", ImportErrorKind::kNotVillage, "所在村代码", 8},
        BadCase{"bad_no_head.csv", ImportErrorKind::kNoHead, "与户主关系", 8},
        BadCase{"bad_two_heads.csv", ImportErrorKind::kMultipleHeads, "与户主关系", 11},
        BadCase{"bad_number.csv", ImportErrorKind::kBadNumber, "务工月数", 2},
        BadCase{"bad_negative_money.csv", ImportErrorKind::kNegativeMoney, "2023年转移性收入（元）", 8},
        BadCase{"bad_date.csv", ImportErrorKind::kBadDate, "出生日期", 6},
        BadCase{"bad_duplicate_id.csv", ImportErrorKind::kDuplicateId, "证件号码", 11},
        BadCase{"bad_inconsistent_household.csv", ImportErrorKind::kInconsistentHousehold, "住房安全等级", 5},
        BadCase{"bad_enum.csv", ImportErrorKind::kBadValue, "民族", 4},
        BadCase{"bad_missing_column.csv", ImportErrorKind::kMissingColumn, "", 1},
        BadCase{"bad_unknown_column.csv", ImportErrorKind::kUnknownColumn, "家庭住址", 1},
        BadCase{"good.txt", ImportErrorKind::kUnsupportedFile, "", 0},
        BadCase{"garbage.csv", ImportErrorKind::kUnreadableFile, "", 0}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string name = info.param.file;
      for (char& c : name) {
        if (c == '.') c = '_';
      }
      return name;
    });

TEST_F(ImportTest, AllErrorsOfAFileAreCollected) {
  ImportReport report("bad_enum.csv");
  Parse(Fixture("bad_enum.csv"), &report);
  // Two bad cells on the same row: both reported.
  EXPECT_EQ(report.error_count(), 2);
  EXPECT_EQ(report.CountOf(ImportErrorKind::kBadValue), 2);
}

TEST_F(ImportTest, VillagesOutsideTheScopeAreRefused) {
  ImportOptions options = Options();
  options.scope = DivisionScope::Of(630121100202, DivisionLevel::kVillage);
  ImportReport report("good.csv");
  auto counts = Import(*store_, Fixture("good.csv"), &report, options);
  EXPECT_FALSE(counts.ok());
  EXPECT_EQ(report.CountOf(ImportErrorKind::kOutsideScope), 7);  // the 7 rows of households 1 and 2
  EXPECT_TRUE(Dump(*store_).empty());
}

TEST_F(ImportTest, PersonOfAnotherHouseholdIsRejectedByTheStore) {
  ImportReport report("good.csv");
  ASSERT_TRUE(Import(*store_, Fixture("good.csv"), &report).ok());
  const auto records = Dump(*store_);
  // A new household whose only member is already registered in household 1.
  HouseholdRecord moved = *FindRecord(records, "630121100201001");
  moved.household.household_number = "630121100201999";
  moved.members = {moved.members[0]};
  std::vector<std::vector<std::string>> rows;
  FormatHouseholdRows(moved, DefaultIncomeYears(), &rows);
  const std::string path = (dir_ / "moved.csv").string();
  {
    auto writer = CsvWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->WriteRow(TemplateHeader(DefaultIncomeYears())).ok());
    for (const auto& row : rows) ASSERT_TRUE((*writer)->WriteRow(row).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }
  ImportReport second("moved.csv");
  auto counts = Import(*store_, path, &second);
  EXPECT_FALSE(counts.ok());
  EXPECT_EQ(second.CountOf(ImportErrorKind::kStoreRejected), 1) << second.FormatText();
  EXPECT_EQ(Dump(*store_), records);
}

TEST_F(ImportTest, ErrorReportXlsxListsErrorsAndMarksRows) {
  ImportReport report("bad_checksum.csv");
  Parse(Fixture("bad_checksum.csv"), &report);
  ASSERT_EQ(report.error_count(), 1);
  const std::string path = (dir_ / "report.xlsx").string();
  ASSERT_TRUE(report.WriteXlsx(path, Fixture("bad_checksum.csv")).ok());

  auto errors = XlsxReader::Open(path, "错误清单");
  ASSERT_TRUE(errors.ok()) << errors.status().ToString();
  EXPECT_EQ((*errors)->sheet_names(), (std::vector<std::string>{"错误清单", "有误行"}));
  std::vector<std::string> cells;
  ASSERT_TRUE(*(*errors)->Next(&cells));
  EXPECT_EQ(cells, (std::vector<std::string>{"文件", "行", "列", "字段", "值", "问题"}));
  ASSERT_TRUE(*(*errors)->Next(&cells));
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0], "bad_checksum.csv");
  EXPECT_EQ(cells[1], "3");
  EXPECT_EQ(cells[2], "O");  // 证件号码 is the 15th column
  EXPECT_EQ(cells[3], "证件号码");
  EXPECT_FALSE(cells[5].empty());
  EXPECT_FALSE(*(*errors)->Next(&cells));

  auto copy = XlsxReader::Open(path, "有误行");
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(*(*copy)->Next(&cells));
  EXPECT_EQ(cells.back(), "原行号");
  EXPECT_EQ(cells[14], "证件号码");
  ASSERT_TRUE(*(*copy)->Next(&cells));
  EXPECT_EQ(cells[13], "王秀英");
  EXPECT_EQ(cells.back(), "3");
  EXPECT_FALSE(*(*copy)->Next(&cells));

  // The bad cell carries a comment: the workbook has a comments part.
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("xl/comments"), std::string::npos);
}

}  // namespace
}  // namespace zx
