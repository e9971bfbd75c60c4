#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <string>

#include "domain/resident_id.h"
#include "matching/feed_profile.h"
#include "matching/feed_reader.h"
#include "matching/linker.h"
#include "matching/name_normalizer.h"
#include "matching/person_index.h"
#include "matching/signals.h"

namespace zx::matching {
namespace {

const FeedProfiles& Profiles() {
  static const FeedProfiles profiles = [] {
    Result<FeedProfiles> loaded = LoadDefaultFeedProfiles();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return profiles;
}

const FeedProfile& Medical() { return **Profiles().Find("medical"); }

NameNormalizer& Normalizer() {
  static std::unique_ptr<NameNormalizer> normalizer = [] {
    auto created = NameNormalizer::CreateDefault();
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(created).value();
  }();
  return *normalizer;
}

std::string MakeId(std::string_view body17) { return std::string(body17) + ResidentIdCheckChar(body17); }

TEST(FeedProfilesTest, EveryDepartmentOfDomainSection7IsThere) {
  for (const char* kind :
       {"medical", "civil_affairs", "education", "housing", "water", "disability", "human_resources",
        "emergency", "public_security", "market_regulation", "vehicles", "public_payroll"}) {
    EXPECT_TRUE(Profiles().Find(kind).ok()) << kind;
  }
  EXPECT_EQ(Profiles().Find("nonsense").status().code(), StatusCode::kNotFound);
}

TEST(FeedProfilesTest, RejectsDuplicateHeadersAndUnknownSignals) {
  const std::string base =
      "format_version = 1\n[[feeds]]\nkind = \"x\"\nname = \"x\"\ndepartment = \"d\"\nalert_kind = \"a\"\n";
  const std::string columns =
      "columns = [ { field = \"name\", required = true, headers = [\"姓名\"] },"
      " { field = \"id_number\", required = true, headers = [\"姓名\"] },"
      " { field = \"event_date\", required = true, headers = [\"日期\"] } ]\n";
  Result<FeedProfiles> duplicate =
      ParseFeedProfiles(base + "signal = \"per_row_alert\"\n" + columns, "t.toml");
  EXPECT_EQ(duplicate.status().code(), StatusCode::kInvalidArgument);
  Result<FeedProfiles> unknown = ParseFeedProfiles(base + "signal = \"bogus\"\n" + columns, "t.toml");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedReaderTest, MedicalHeadersWithAliasesAndUnits) {
  const std::string csv =
      "参保人姓名,身份证号,结算日期,个人自付（元）,备注\n"
      "张三,630121199001011234,2024-03-05,\"1,234.50\",x\n";
  auto reader = FeedReader::FromCsvBuffer(csv, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->ignored_headers(), std::vector<std::string>{"备注"});
  FeedRow row;
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row.row, 1);
  EXPECT_EQ(row.name, "张三");
  EXPECT_EQ(row.amount, 123450);
  EXPECT_EQ(row.event_date, (Date{2024, 3, 5}));
  EXPECT_FALSE(row.rejected);
  EXPECT_FALSE(*(*reader)->Next(&row));
}

TEST(FeedReaderTest, RefusesAWrongHeaderNamingWhatIsMissing) {
  auto reader = FeedReader::FromCsvBuffer("姓名,电话\n张三,1\n", Medical());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("证件号码"), std::string::npos);
  EXPECT_NE(reader.status().message().find("个人自付"), std::string::npos);
}

TEST(FeedReaderTest, RefusesIllegibleHeaderAsEncodingProblem) {
  // UTF-16LE bytes decode to text with NULs: refused as an encoding problem.
  const std::string utf16("\xFF\xFE\x59\x00\x0D\x54", 6);
  auto reader = FeedReader::FromCsvBuffer(utf16 + std::string("\n", 1), Medical());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedReaderTest, ReadsGb18030) {
  // "姓名,证件号码,结算日期,个人自付\n王五,..." in GB18030.
  const std::string csv =
      "\xD0\xD5\xC3\xFB,\xD6\xA4\xBC\xFE\xBA\xC5\xC2\xEB,\xBD\xE1\xCB\xE3\xC8\xD5\xC6\xDA,"
      "\xB8\xF6\xC8\xCB\xD7\xD4\xB8\xB6\n\xCD\xF5\xCE\xE5,630121199001011234,2024-01-02,10\n";
  auto reader = FeedReader::FromCsvBuffer(csv, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  FeedRow row;
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row.name, "王五");
  EXPECT_EQ(row.amount, 1000);
}

TEST(FeedReaderTest, MalformedRowsAreReportedAndReadingGoesOn) {
  const std::string csv =
      "姓名,证件号码,结算日期,个人自付,出生日期\n"
      "甲,1,2024-13-01,10,\n"           // bad date: rejected
      "乙,2,2024-01-01,abc,\n"          // bad amount: rejected
      ",,2024-01-01,1,\n"               // neither name nor ID: rejected
      "丁,4,2024-01-01,1,1990-02-30\n"  // bad optional birth date: noted, kept
      "戊,5,2024-01-01,1,,extra\n";     // extra cell: noted, kept
  auto reader = FeedReader::FromCsvBuffer(csv, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  FeedRow row;
  std::vector<std::pair<std::int64_t, bool>> seen;
  std::vector<std::string> columns;
  while (*(*reader)->Next(&row)) {
    seen.emplace_back(row.row, row.rejected);
    EXPECT_FALSE(row.issues.empty()) << row.row;
    for (const RowIssue& issue : row.issues) columns.push_back(issue.column);
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, bool>>{
                      {1, true}, {2, true}, {3, true}, {4, false}, {5, false}}));
  EXPECT_EQ(columns[0], "结算日期");
  EXPECT_EQ(columns[1], "个人自付");
}

TEST(FeedReaderTest, DuplicateFieldColumnsAreRefused) {
  auto reader = FeedReader::FromCsvBuffer("姓名,参保人姓名,证件号码,结算日期,个人自付\n", Medical());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
}

TEST(NameNormalizerTest, NfkcDotsTraditionalAndSpaces) {
  NameNormalizer& normalizer = Normalizer();
  EXPECT_EQ(normalizer.Normalize("阿依古丽\u2027买买提"), "阿依古丽·买买提");
  EXPECT_EQ(normalizer.Normalize("阿依古丽\uFF0E买买提"), "阿依古丽·买买提");
  EXPECT_EQ(normalizer.Normalize("阿依古丽 \u30FB 买买提"), "阿依古丽·买买提");
  EXPECT_EQ(normalizer.Normalize("張 偉"), "张伟");
  EXPECT_EQ(normalizer.Normalize("馬曉龍"), "马晓龙");
  // CJK compatibility ideograph U+F9D1 (六) → U+516D under NFKC.
  EXPECT_EQ(normalizer.Normalize("\uF9D1"), "六");
  EXPECT_EQ(normalizer.Normalize("才让卓玛"), "才让卓玛");
}

TEST(NameNormalizerTest, Comparison) {
  NameNormalizer& normalizer = Normalizer();
  EXPECT_EQ(CompareNames("才让卓玛", "才让卓玛", normalizer), NameAgreement::kExact);
  EXPECT_EQ(CompareNames("才让卓玛", "才让桌马", normalizer), NameAgreement::kVariant);
  EXPECT_EQ(CompareNames("才让卓玛", "卓玛", normalizer), NameAgreement::kPartial);
  EXPECT_EQ(CompareNames("阿依古丽·买买提", "买买提", normalizer), NameAgreement::kPartial);
  EXPECT_EQ(CompareNames("马建国", "马建华", normalizer), NameAgreement::kPartial);
  EXPECT_EQ(CompareNames("马建国", "韩明", normalizer), NameAgreement::kDisagree);
  EXPECT_EQ(normalizer.VariantKey("桌马"), normalizer.VariantKey("卓玛"));
}

TEST(NameNormalizerTest, CloneNormalisesTheSameOnItsOwnHandle) {
  NameNormalizer& normalizer = Normalizer();
  Result<std::unique_ptr<NameNormalizer>> clone = normalizer.Clone();
  ASSERT_TRUE(clone.ok()) << clone.status().ToString();
  for (const char* name : {"張 偉", "馬曉龍", "阿依古丽\u2027买买提", "\uF9D1", "才让卓玛", "桌马", "Tom"}) {
    EXPECT_EQ((*clone)->Normalize(name), normalizer.Normalize(name)) << name;
    EXPECT_EQ((*clone)->VariantKey(name), normalizer.VariantKey(name)) << name;
  }
}

TEST(PersonIndexTest, NameHashIsStableNonZeroAndTellsNamesApart) {
  EXPECT_EQ(NameHash("才让卓玛"), NameHash(std::string("才让卓玛")));
  EXPECT_NE(NameHash(""), 0u);
  // Names of every length around the 8-byte steps, and near misses.
  const std::vector<std::string> names = {
      "马",  "马建", "马建国",   "马建华",    "才让卓玛", "才让桌马",    "阿依古丽·买买提", "阿依古丽·买买",
      "Tom", "Tom ", "12345678", "123456789", "1234567",  "马建国\u3000"};
  for (std::size_t a = 0; a < names.size(); ++a) {
    EXPECT_NE(NameHash(names[a]), 0u);
    for (std::size_t b = a + 1; b < names.size(); ++b)
      EXPECT_NE(NameHash(names[a]), NameHash(names[b])) << names[a] << " / " << names[b];
  }
}

TEST(PersonIndexTest, KeysRoundTrip) {
  const std::string id = MakeId("63012119900101123");
  const std::uint64_t key = IdKeyOfValid18(id);
  ASSERT_NE(key, 0u);
  EXPECT_EQ(IdOfKey(key), id);
  std::string bad = id;
  bad[17] = bad[17] == '0' ? '1' : '0';
  EXPECT_EQ(IdKeyOfValid18(bad), 0u);
}

class LinkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add("63012119850302121", "马建国", Date{1985, 3, 2}, Sex::kMale);
    Add("63252219900715002", "才让卓玛", Date{1990, 7, 15}, Sex::kFemale);
    Add("63252219900715004", "卓玛", Date{1990, 7, 15}, Sex::kFemale);
    Add("63012119700101231", "韩明", Date{1970, 1, 1}, Sex::kMale);
    index_.Finish();
  }
  void Add(std::string_view body, std::string name, Date birth, Sex sex) {
    ids_.push_back(MakeId(body));
    names_.push_back(std::move(name));
    LinkPersonView view;
    view.id_number = ids_.back();
    view.name = names_.back();
    view.birth_date = birth;
    view.sex = sex;
    view.village_code = std::stoll(std::string(body.substr(0, 6))) * 1000000 + 100201;
    households_.push_back("H" + std::to_string(households_.size()));
    view.household_number = households_.back();
    index_.Add(view);
  }
  LinkOutcome Link(std::string id, std::string name, Date birth = {}) {
    Linker linker(index_, Normalizer());
    LinkInput input;
    input.id_number = id;
    input.name = name;
    input.has_birth_date = birth.year != 0;
    input.birth_date = birth;
    ProbabilisticRecord record;
    return linker.LinkDeterministic(input, &record);
  }
  std::deque<std::string> ids_, names_, households_;
  PersonIndex index_;
};

TEST_F(LinkerTest, ExactNormalisedUpgradedRepaired) {
  const std::string id = ids_[0];
  EXPECT_EQ(Link(id, "马建国").match_class, MatchClass::kExact);
  std::string spaced = id.substr(0, 6) + " " + id.substr(6);
  EXPECT_EQ(Link(spaced, "马建国").match_class, MatchClass::kExact);
  const std::string id15 = id.substr(0, 6) + id.substr(8, 9);
  LinkOutcome upgraded = Link(id15, "马建国");
  EXPECT_EQ(upgraded.match_class, MatchClass::kUpgraded);
  EXPECT_EQ(upgraded.person, 0);
  std::string typo = id;
  typo[10] = typo[10] == '9' ? '8' : static_cast<char>(typo[10] + 1);
  LinkOutcome repaired = Link(typo, "马建国", Date{1985, 3, 2});
  EXPECT_EQ(repaired.match_class, MatchClass::kRepaired);
  EXPECT_EQ(repaired.person, 0);
  std::string swapped = id;
  std::swap(swapped[14], swapped[15]);
  if (swapped != id) {
    EXPECT_EQ(Link(swapped, "马建国").match_class, MatchClass::kRepaired);
  }
  // The repair is not confirmed by a different name.
  LinkOutcome unconfirmed = Link(typo, "韩明");
  EXPECT_NE(unconfirmed.match_class, MatchClass::kRepaired);
  EXPECT_TRUE(unconfirmed.needs_probabilistic);
  // A valid ID that is not in the registry is never repaired into someone else.
  LinkOutcome absent = Link(MakeId("63012119850302999"), "马建国");
  EXPECT_EQ(absent.match_class, MatchClass::kUnmatched);
  EXPECT_FALSE(absent.needs_probabilistic);
}

// A 15-digit ID that is not in the registry after its upgrade still gives
// the probabilistic stage its birth date (19YYMMDD) and sex (last digit).
TEST_F(LinkerTest, UnknownFifteenDigitIdKeepsItsBirthDateAndSex) {
  Linker linker(index_, Normalizer());
  LinkInput input;
  input.id_number = "630121880712123";  // born 1988-07-12, odd last digit: male
  input.name = "张三";
  ProbabilisticRecord record;
  LinkOutcome outcome = linker.LinkDeterministic(input, &record);
  ASSERT_TRUE(outcome.needs_probabilistic);
  EXPECT_EQ(record.birth_days, static_cast<std::int32_t>(Date{1988, 7, 12}.ToDays()));
  EXPECT_EQ(record.sex, 1);
  EXPECT_EQ(record.county, 630121);
}

TEST_F(LinkerTest, MissingIdGoesToProbabilisticAndLinksUniqueEvidence) {
  Linker linker(index_, Normalizer());
  std::vector<ProbabilisticRecord> records;
  auto pending = [&](std::string name, Date birth, int sex, int county) {
    LinkInput input;
    input.name = name;
    input.has_birth_date = true;
    input.birth_date = birth;
    input.sex = sex;
    input.county = county;
    ProbabilisticRecord record;
    LinkOutcome outcome = linker.LinkDeterministic(input, &record);
    EXPECT_TRUE(outcome.needs_probabilistic);
    record.row_index = records.size();
    records.push_back(record);
  };
  pending("馬建國", Date{1985, 3, 2}, 1, 630121);  // traditional characters
  pending("卓玛", Date{1990, 7, 15}, 2, 632522);   // two persons fit: ambiguous
  pending("李四", Date{2001, 1, 1}, 1, 630121);    // nobody
  FsParameters parameters;
  std::vector<LinkOutcome> outcomes = linker.LinkProbabilistic(index_, records, &parameters);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].match_class, MatchClass::kProbabilistic);
  EXPECT_EQ(outcomes[0].person, 0);
  EXPECT_EQ(outcomes[1].match_class, MatchClass::kUnmatched);
  EXPECT_EQ(outcomes[2].match_class, MatchClass::kUnmatched);
  EXPECT_GT(parameters.blocked_pairs, 0);
}

}  // namespace

TEST_F(LinkerTest, LookupCarriesTheHoldersNameHash) {
  for (std::size_t idx = 0; idx < ids_.size(); ++idx) {
    const PersonIndex::Slot* slot = index_.Lookup(IdKeyOfValid18(ids_[idx]));
    ASSERT_NE(slot, nullptr) << ids_[idx];
    EXPECT_EQ(slot->person, static_cast<std::int32_t>(idx));
    EXPECT_EQ(slot->id_key, IdKeyOfValid18(ids_[idx]));
    EXPECT_EQ(slot->name_hash, NameHash(names_[idx]));
  }
  EXPECT_EQ(index_.Lookup(IdKeyOfValid18(MakeId("63012119990101999"))), nullptr);
  EXPECT_EQ(index_.Lookup(0), nullptr);
  // The snapshot keeps the slots.
  Result<PersonIndex> copy = PersonIndex::Deserialize(index_.Serialize());
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->Lookup(IdKeyOfValid18(ids_[1]))->name_hash, NameHash(names_[1]));
}

// Two accumulators fed the two halves of the rows and merged give exactly
// what one accumulator fed every row gives (what RunCompare relies on to
// raise signals on both cores): sums, hospital stays, and the latest row
// winning for per-row findings.
TEST_F(LinkerTest, MergedAccumulatorsEqualOneAccumulator) {
  Result<Policy> policy = LoadDefaultPolicy();
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  for (const char* kind : {"medical", "public_security", "civil_affairs"}) {
    const FeedProfile& profile = **Profiles().Find(kind);
    std::vector<SignalRow> rows;
    std::vector<std::string> categories = {"死亡", "户籍迁出", "特困供养", "其他", "住院"};
    for (int idx = 0; idx < 400; ++idx) {
      SignalRow row;
      row.row = idx + 1;
      row.person = idx % 7 == 6 ? -1 : idx % static_cast<int>(ids_.size());
      row.has_event_date = idx % 11 != 0;
      row.event_days = static_cast<std::int32_t>(Date{2024, 1, 1}.ToDays()) + (idx * 37) % 700 - 200;
      row.has_amount = idx % 13 != 0;
      row.amount = 100000 + (idx * 7919) % 900000;  // 1,000–10,000 yuan
      row.has_total_cost = idx % 3 == 0;
      row.total_cost = (idx * 104729) % 6000000;
      row.category = categories[idx % categories.size()];
      rows.push_back(row);
    }
    const Date as_of{2024, 12, 31};
    SignalAccumulator whole(profile, *policy, index_);
    whole.FixAsOf(as_of);
    for (const SignalRow& row : rows) whole.Add(row);
    Result<SignalResult> expected = whole.Finish();
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    for (std::size_t split :
         {std::size_t{0}, std::size_t{1}, std::size_t{137}, rows.size() / 2, rows.size()}) {
      SignalAccumulator first(profile, *policy, index_);
      SignalAccumulator second(profile, *policy, index_);
      first.FixAsOf(as_of);
      second.FixAsOf(as_of);
      for (std::size_t idx = 0; idx < rows.size(); ++idx) (idx < split ? first : second).Add(rows[idx]);
      first.Merge(std::move(second));
      Result<SignalResult> merged = first.Finish();
      ASSERT_TRUE(merged.ok()) << merged.status().ToString();
      EXPECT_EQ(merged->alerts, expected->alerts) << kind << " split " << split;
      EXPECT_EQ(merged->review_items, expected->review_items) << kind << " split " << split;
      EXPECT_EQ(merged->alerts_by_kind, expected->alerts_by_kind) << kind << " split " << split;
    }
    EXPECT_FALSE(expected->alerts.empty()) << kind;
  }
}

}  // namespace zx::matching
