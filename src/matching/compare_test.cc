// End to end on a generated registry: the corrupter derives a medical file
// with known truth, compare links it, and the accuracy must meet the issue-4
// targets; re-running the same file changes nothing; results are stored in
// scope.
#include "matching/compare.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "domain/division.h"
#include "domain/policy.h"
#include "matching/feed_synth.h"
#include "matching/person_index.h"
#include "storage/link_store.h"
#include "storage/store.h"
#include "synth/generator.h"

namespace zx::matching {
namespace {

class CompareTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("zx_compare_test_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    Result<DivisionTable> divisions = DivisionTable::LoadDefault();
    ASSERT_TRUE(divisions.ok()) << divisions.status().ToString();
    auto store = OpenStore(Db(), *divisions);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ProvinceGenerator generator(*divisions, GeneratorOptions{2000, 7});
    auto written = (*store)->UpsertHouseholds(DivisionScope::All(), generator);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    Result<FeedProfiles> profiles = LoadDefaultFeedProfiles();
    ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
    profiles_ = new FeedProfiles(std::move(*profiles));
    auto normalizer = NameNormalizer::CreateDefault();
    ASSERT_TRUE(normalizer.ok()) << normalizer.status().ToString();
    normalizer_ = normalizer->release();
    Result<Policy> policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = new Policy(std::move(*policy));
  }
  static void TearDownTestSuite() {
    std::error_code error;
    std::filesystem::remove_all(*dir_, error);
    delete dir_;
    delete profiles_;
    delete normalizer_;
    delete policy_;
  }
  static std::string Db() { return (*dir_ / "registry.db").string(); }
  static std::string Path(const char* name) { return (*dir_ / name).string(); }

  // Loaded once for the suite: the default feed profiles, name normaliser and policy.
  static const FeedProfile& Profile(const char* kind) { return **profiles_->Find(kind); }
  static NameNormalizer& Normalizer() { return *normalizer_; }
  static const Policy& TestPolicy() { return *policy_; }

  static std::filesystem::path* dir_;
  static FeedProfiles* profiles_;
  static NameNormalizer* normalizer_;
  static Policy* policy_;
};
std::filesystem::path* CompareTest::dir_ = nullptr;
FeedProfiles* CompareTest::profiles_ = nullptr;
NameNormalizer* CompareTest::normalizer_ = nullptr;
Policy* CompareTest::policy_ = nullptr;

TEST_F(CompareTest, CorruptedMedicalFileMeetsAccuracyTargetsAndRerunChangesNothing) {
  const FeedProfile& medical = Profile("medical");
  {
    auto store = OpenLinkStore(Db());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    SynthOptions options;
    options.rows = 50000;
    options.seed = 3;
    options.gb18030 = true;
    auto stats = SynthesizeFeed(**store, DivisionScope::All(), medical, Normalizer(), options,
                                Path("medical.csv"), Path("truth.csv"));
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(stats->rows, 50000);
    EXPECT_GT(stats->by_expected_class["probabilistic"], 2000);
    EXPECT_GT(stats->by_expected_class["repaired"], 1500);
  }
  CompareOptions options;
  options.db = Db();
  options.file = Path("medical.csv");
  options.out = Path("links.csv");
  options.uploader = "测试";
  Result<CompareSummary> summary = RunCompare(options, medical, TestPolicy(), Normalizer());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_FALSE(summary->already_stored);
  EXPECT_EQ(summary->rows_read, 50000);
  EXPECT_EQ(summary->encoding, "GB18030/GBK");
  EXPECT_GT(summary->upload_id, 0);
  EXPECT_FALSE(summary->alerts_by_kind.empty());

  Result<AccuracyReport> report = EvaluateAccuracy(Path("links.csv"), Path("truth.csv"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::cout << report->Format();
  EXPECT_EQ(report->rows, 50000);
  EXPECT_GE(report->with_id.precision(), 0.999);
  EXPECT_GE(report->with_id.recall(), 0.995);
  EXPECT_GE(report->without_id.precision(), 0.98);
  EXPECT_GE(report->without_id.recall(), 0.90);
  for (MatchClass match_class : {MatchClass::kExact, MatchClass::kUpgraded, MatchClass::kRepaired}) {
    const ClassAccuracy& entry = report->classes[static_cast<int>(match_class)];
    EXPECT_GT(entry.assigned, 0) << MatchClassId(match_class);
    EXPECT_EQ(entry.assigned_correct, entry.assigned) << MatchClassId(match_class);
  }

  auto store = OpenLinkStore(Db());
  ASSERT_TRUE(store.ok());
  auto alerts = (*store)->ListAlerts(DivisionScope::All(), summary->upload_id);
  ASSERT_TRUE(alerts.ok());
  std::int64_t total_alerts = 0;
  for (const auto& [kind, count] : summary->alerts_by_kind) total_alerts += count;
  EXPECT_EQ(static_cast<std::int64_t>(alerts->size()), total_alerts);
  for (const FeedFinding& alert : *alerts) {
    EXPECT_EQ(alert.id_number.size(), 18u);
    if (alert.kind == "medical_out_of_pocket") {
      EXPECT_GT(alert.value, alert.threshold);
    }
  }

  // Same file again: nothing is written, the stored result comes back.
  Result<CompareSummary> again = RunCompare(options, medical, TestPolicy(), Normalizer());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->already_stored);
  EXPECT_EQ(again->upload_id, summary->upload_id);
  EXPECT_EQ(again->by_class, summary->by_class);
  auto alerts_after = (*store)->ListAlerts(DivisionScope::All(), 0);
  ASSERT_TRUE(alerts_after.ok());
  EXPECT_EQ(alerts_after->size(), alerts->size());

  // A narrower scope sees only its own villages.
  const DivisionCode village = alerts->front().village_code;
  const DivisionScope county = DivisionScope::Of(village / 1000000 * 1000000, DivisionLevel::kCounty);
  auto scoped = (*store)->ListAlerts(county, summary->upload_id);
  ASSERT_TRUE(scoped.ok());
  EXPECT_LT(scoped->size(), alerts->size());
  for (const FeedFinding& alert : *scoped) EXPECT_TRUE(county.Contains(alert.village_code));
}

TEST_F(CompareTest, DeathsBecomeAlertsAndReviewItemsNeverChanges) {
  const FeedProfile& deaths = Profile("public_security");
  {
    auto store = OpenLinkStore(Db());
    ASSERT_TRUE(store.ok());
    SynthOptions options;
    options.rows = 300;
    options.seed = 11;
    auto stats = SynthesizeFeed(**store, DivisionScope::All(), deaths, Normalizer(), options,
                                Path("deaths.csv"), Path("deaths_truth.csv"));
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  }
  CompareOptions options;
  options.db = Db();
  options.file = Path("deaths.csv");
  Result<CompareSummary> summary = RunCompare(options, deaths, TestPolicy(), Normalizer());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_GT(summary->alerts_by_kind["death"], 0);
  EXPECT_GT(summary->review_items_by_kind["deceased_active"], 0);
  auto store = OpenStore(Db(), DivisionTable());
  ASSERT_TRUE(store.ok());
  // The registry itself is untouched: nobody was marked deceased by the comparison.
  auto link_store = OpenLinkStore(Db());
  auto items = (*link_store)->ListReviewItems(DivisionScope::All(), summary->upload_id);
  ASSERT_TRUE(items.ok());
  ASSERT_FALSE(items->empty());
  int checked = 0;
  ASSERT_TRUE((*store)
                  ->ScanHouseholds(DivisionScope::All(),
                                   [&](const HouseholdRecord& record) {
                                     for (const Person& person : record.members) {
                                       if (person.id_number == items->front().id_number) {
                                         EXPECT_FALSE(person.deceased);
                                         ++checked;
                                       }
                                     }
                                     return Status::Ok();
                                   })
                  .ok());
  EXPECT_EQ(checked, 1);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The fast paths give what the plain ones give: the file parsed in parallel
// chunks and row by row, the probabilistic stage on one thread and on two, the person index from its snapshot
// and from the database, links stored as chunks and read back through ListLinks.
TEST_F(CompareTest, ParallelParseSnapshotAndChunkedLinksMatchThePlainPaths) {
  const FeedProfile& medical = Profile("medical");
  {
    auto store = OpenLinkStore(Db());
    ASSERT_TRUE(store.ok());
    SynthOptions options;
    options.rows = 20000;
    options.seed = 5;
    auto stats = SynthesizeFeed(**store, DivisionScope::All(), medical, Normalizer(), options,
                                Path("utf8.csv"), Path("utf8_truth.csv"));
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  }
  auto run = [&](int threads, const char* out, bool store) {
    CompareOptions options;
    options.db = Db();
    options.file = Path("utf8.csv");
    options.out = Path(out);
    options.store = store;
    options.parse_threads = threads;
    options.linker.threads = threads;  // probabilistic stage: one thread or two, same links
    options.as_of = Date{2024, 12, 31};
    return RunCompare(options, medical, TestPolicy(), Normalizer());
  };
  Result<CompareSummary> sequential = run(1, "seq.csv", false);
  ASSERT_TRUE(sequential.ok()) << sequential.status().ToString();
  EXPECT_FALSE(sequential->parallel_parse);
  Result<CompareSummary> parallel = run(2, "par.csv", false);
  ASSERT_TRUE(parallel.ok()) << parallel.status().ToString();
  EXPECT_TRUE(parallel->parallel_parse);
  EXPECT_TRUE(parallel->index_from_snapshot);  // saved by an earlier run, registry unchanged
  EXPECT_EQ(parallel->by_class, sequential->by_class);
  EXPECT_EQ(parallel->issues, sequential->issues);
  EXPECT_EQ(parallel->alerts_by_kind, sequential->alerts_by_kind);
  const std::string links = ReadAll(Path("seq.csv"));
  EXPECT_GT(links.size(), 20000u);
  EXPECT_EQ(ReadAll(Path("par.csv")), links);

  // The snapshot is what the database gives.
  auto registry = OpenStore(Db(), DivisionTable());
  ASSERT_TRUE(registry.ok());
  auto link_store = OpenLinkStore(Db());
  ASSERT_TRUE(link_store.ok());
  Result<PersonIndex> scanned = PersonIndex::Load(**link_store, DivisionScope::All());
  ASSERT_TRUE(scanned.ok());
  bool from_snapshot = false;
  Result<PersonIndex> cached =
      PersonIndex::LoadCached(**registry, **link_store, DivisionScope::All(), &from_snapshot);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(from_snapshot);
  EXPECT_EQ(cached->Serialize(), scanned->Serialize());
  std::string damaged = scanned->Serialize();
  EXPECT_FALSE(PersonIndex::Deserialize(damaged.substr(0, damaged.size() - 1)).ok());
  damaged[20] ^= 0x7F;  // a count in the header
  EXPECT_FALSE(PersonIndex::Deserialize(damaged).ok());

  // Stored as chunks; ListLinks gives every row back as links.csv has it.
  Result<CompareSummary> stored = run(2, "stored.csv", true);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  auto read = (*link_store)->ListLinks(DivisionScope::All(), stored->upload_id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(static_cast<std::int64_t>(read->size()), stored->rows_read);
  std::istringstream lines(links);
  std::string line;
  std::getline(lines, line);  // header
  for (const FeedLink& link : *read) {
    ASSERT_TRUE(std::getline(lines, line));
    const std::string prefix = std::to_string(link.row) + "," + link.id_number + "," + link.match_class + ",";
    ASSERT_EQ(line.substr(0, prefix.size()), prefix);
    EXPECT_NE(line.find("," + link.household_number + ","), std::string::npos) << line;
  }
  // A county sees only rows matched to its villages.
  const FeedLink& some = read->front().village_code != 0 ? read->front() : read->back();
  const DivisionScope county =
      DivisionScope::Of(some.village_code / 1000000 * 1000000, DivisionLevel::kCounty);
  auto scoped = (*link_store)->ListLinks(county, stored->upload_id);
  ASSERT_TRUE(scoped.ok());
  EXPECT_GT(scoped->size(), 0u);
  EXPECT_LT(scoped->size(), read->size());
  for (const FeedLink& link : *scoped) EXPECT_TRUE(county.Contains(link.village_code));
}

// Rows with every kind of cell the fast row parser of the parallel path must
// either take exactly as FeedRowParser does or leave to it: spaces of every
// kind, full-width digits, signs, three decimals, bad and odd dates, every
// sex label, short and long area codes, bad IDs, missing and extra cells,
// blank lines. Parsed in parallel (fast path + FeedRowParser) and row by row
// (FeedRowParser only), the results must be identical.
TEST_F(CompareTest, FastRowsEqualGenericRows) {
  const FeedProfile& medical = Profile("medical");
  auto link_store = OpenLinkStore(Db());
  ASSERT_TRUE(link_store.ok());
  Result<PersonIndex> index = PersonIndex::Load(**link_store, DivisionScope::All());
  ASSERT_TRUE(index.ok());
  ASSERT_GT(index->size(), 100u);

  const std::vector<std::string> names = {"{name}",       " {name}", "{name} ",     "\u3000{name}",
                                          "{name}\u3000", "",        "{name}\u00A0"};
  const std::vector<std::string> dates = {"2024-03-01", "2024-02-30", "2024/03/01",  "20240301",
                                          "2024-3-1",   "",           " 2024-03-01", "２０２４-03-01"};
  const std::vector<std::string> amounts = {"12",
                                            "12.5",
                                            "12.50",
                                            "12.505",
                                            "-5",
                                            "12元",
                                            ".5",
                                            "5.",
                                            "０",
                                            " 7.25",
                                            "",
                                            "1e3",
                                            "0.01",
                                            "999999999999999.99",
                                            "1234567890123456"};
  const std::vector<std::string> sexes = {"男", "女", "1", "2", "男性", "女性", "M", "", " 男"};
  const std::vector<std::string> areas = {"630102", "630102001001", "63010", "６３０１０２", "", "63010x"};
  const std::vector<std::string> categories = {"住院", " 住院", "", "门诊", "住院 "};
  std::ostringstream file;
  file << "姓名,证件号码,结算日期,个人自付,医疗总费用,性别,出生日期,参保地区划代码,就诊类别\n";
  for (int row = 0; row < 4000; ++row) {
    const auto person = static_cast<std::int32_t>((row * 37) % index->size());
    std::string id = IdOfKey(index->person(person).id_key);
    switch (row % 23) {
      case 1:
        id[17] = id[17] == '0' ? '1' : '0';
        break;  // bad checksum
      case 2:
        id = id.substr(0, 6) + id.substr(8, 9);
        break;  // 15 digits
      case 3:
        id = " " + id;
        break;
      case 4:
        id.clear();
        break;
      case 5:
        id = "\uFF16" + id.substr(1);
        break;  // a full-width digit
      default:
        break;
    }
    // Even rows are plain; each odd row changes exactly one cell of the
    // plain row to one of its odd values, so every value meets the fast path
    // alone.
    std::vector<std::string> cells = {
        std::string(index->name(person)), id, "2024-03-01", "12.50", "100", "男", "", "630102", "住院"};
    if (row % 2 == 1) {
      const std::vector<std::string>* choices[] = {&names, nullptr, &dates, &amounts,   &amounts,
                                                   &sexes, &dates,  &areas, &categories};
      const std::size_t field = static_cast<std::size_t>(row / 2) % 9;
      if (choices[field] != nullptr) {
        const std::vector<std::string>& values = *choices[field];
        cells[field] = values[static_cast<std::size_t>(row / 18) % values.size()];
        if (const std::size_t at = cells[field].find("{name}"); at != std::string::npos)
          cells[field].replace(at, 6, std::string(index->name(person)));
      }
    }
    for (std::size_t cell = 0; cell < cells.size(); ++cell) file << (cell == 0 ? "" : ",") << cells[cell];
    if (row % 97 == 0) file << ",多出的内容";
    if (row % 89 == 0) file << ",";
    file << "\n";
    if (row % 101 == 0) file << "\n,,,,,,,,\n";
  }
  file << "{last},6301,2024-03-01,1.00,1.00,男,,630102,住院";  // no final newline, fewer cells
  {
    std::ofstream out(Path("edges.csv"), std::ios::binary);
    out << file.str();
  }
  auto run = [&](int threads, const char* out) {
    CompareOptions options;
    options.db = Db();
    options.file = Path("edges.csv");
    options.out = Path(out);
    options.store = false;
    options.parse_threads = threads;
    options.as_of = Date{2024, 12, 31};
    return RunCompare(options, medical, TestPolicy(), Normalizer());
  };
  Result<CompareSummary> sequential = run(1, "edges_seq.csv");
  ASSERT_TRUE(sequential.ok()) << sequential.status().ToString();
  Result<CompareSummary> parallel = run(2, "edges_par.csv");
  ASSERT_TRUE(parallel.ok()) << parallel.status().ToString();
  EXPECT_TRUE(parallel->parallel_parse);
  EXPECT_EQ(parallel->rows_read, sequential->rows_read);
  EXPECT_EQ(parallel->rows_rejected, sequential->rows_rejected);
  EXPECT_GT(sequential->rows_rejected, 0);
  EXPECT_EQ(parallel->by_class, sequential->by_class);
  EXPECT_EQ(parallel->issues, sequential->issues);
  EXPECT_GT(sequential->issues.size(), 100u);
  EXPECT_EQ(parallel->alerts_by_kind, sequential->alerts_by_kind);
  EXPECT_EQ(ReadAll(Path("edges_par.csv")), ReadAll(Path("edges_seq.csv")));
}

}  // namespace
}  // namespace zx::matching
