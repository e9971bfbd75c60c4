// The Store contract (store.h), checked against every backend through the
// interface only. A new backend joins by adding a factory to Backends().
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

struct BackendFactory {
  std::string name;
  /// Opens the store that lives in `dir` (creating it on first use).
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir, const DivisionTable&)> open;
};

std::vector<BackendFactory> Backends() {
  return {
      {"SqliteUri",
       [](const std::string& dir, const DivisionTable& divisions) {
         return OpenStore("sqlite:" + dir + "/registry.db", divisions);
       }},
      {"SqlitePlainPath",
       [](const std::string& dir, const DivisionTable& divisions) {
         return OpenStore(dir + "/registry.db", divisions);
       }},
  };
}

/// A source that fails after `fail_after` households.
class FailingSource : public HouseholdSource {
 public:
  FailingSource(std::vector<HouseholdRecord> records, size_t fail_after)
      : records_(std::move(records)), fail_after_(fail_after) {}
  Result<bool> Next(HouseholdRecord* out) override {
    if (next_ == fail_after_) return InvalidArgument("文件 x.csv 第 9 行：测试用的读取错误");
    if (next_ >= records_.size()) return false;
    *out = records_[next_++];
    return true;
  }

 private:
  std::vector<HouseholdRecord> records_;
  size_t fail_after_;
  size_t next_ = 0;
};

class StoreConformanceTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override {
    divisions_ = TestDivisions();
    ASSERT_EQ(divisions_.all().size(), TestDivisionRows().size());
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_store_" + std::to_string(::getpid()) + "_" + GetParam().name + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen(const DivisionTable* divisions = nullptr) {
    store_.reset();
    auto store = GetParam().open(dir_, divisions != nullptr ? *divisions : divisions_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  Result<WriteCounts> Write(const std::vector<HouseholdRecord>& records,
                            const DivisionScope& scope = DivisionScope::All()) {
    VectorHouseholdSource source(records);
    return store_->UpsertHouseholds(scope, source);
  }

  void MustWrite(const std::vector<HouseholdRecord>& records, WriteCounts expected) {
    auto counts = Write(records);
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    EXPECT_EQ(counts->inserted, expected.inserted);
    EXPECT_EQ(counts->updated, expected.updated);
    EXPECT_EQ(counts->unchanged, expected.unchanged);
  }

  std::vector<HouseholdRecord> ScanAll(const DivisionScope& scope = DivisionScope::All()) {
    std::vector<HouseholdRecord> out;
    Status status = store_->ScanHouseholds(scope, [&](const HouseholdRecord& record) {
      out.push_back(record);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  std::optional<HouseholdRecord> Get(const std::string& number,
                                     const DivisionScope& scope = DivisionScope::All()) {
    auto record = store_->GetHousehold(scope, number);
    EXPECT_TRUE(record.ok()) << record.status().ToString();
    return record.ok() ? *record : std::nullopt;
  }

  std::int64_t RowVersion(const std::string& number) {
    auto version = store_->GetRowVersion(DivisionScope::All(), number);
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() && version->has_value() ? **version : -1;
  }

  DivisionTable divisions_;
  std::string dir_;
  std::unique_ptr<Store> store_;
};

// --- Round trips -----------------------------------------------------------

TEST_P(StoreConformanceTest, FullRecordRoundTripsThroughGetAndScan) {
  const HouseholdRecord record = FullyPopulatedHousehold();
  MustWrite({record}, {1, 0, 0});
  auto stored = Get(record.household.household_number);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, record);
  auto scanned = ScanAll();
  ASSERT_EQ(scanned.size(), 1u);
  EXPECT_EQ(scanned[0], record);
  EXPECT_EQ(RowVersion(record.household.household_number), 1);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 1);
}

TEST_P(StoreConformanceTest, HouseholdWithoutMembersOrYearsRoundTrips) {
  HouseholdRecord record = MakeHousehold(1, kVillageA1, 0, 0);
  MustWrite({record}, {1, 0, 0});
  EXPECT_EQ(Get(record.household.household_number), record);
}

TEST_P(StoreConformanceTest, DataSurvivesReopen) {
  std::vector<HouseholdRecord> records = {MakeHousehold(1, kVillageA1), FullyPopulatedHousehold(kVillageC1)};
  MustWrite(records, {2, 0, 0});
  ASSERT_TRUE(store_->SetMeta("seed", "42").ok());
  // Reopening with a different division table must not replace the stored one.
  auto other = DivisionTable::FromDivisions({TestDivisionRows()[0]});
  ASSERT_TRUE(other.ok());
  Reopen(&*other);
  EXPECT_EQ(ScanAll().size(), 2u);
  EXPECT_EQ(Get(records[1].household.household_number), records[1]);
  EXPECT_EQ(*store_->GetMeta("seed"), std::optional<std::string>("42"));
  EXPECT_EQ(store_->ListDivisions(DivisionScope::All())->size(), TestDivisionRows().size());
}

TEST_P(StoreConformanceTest, ScanIsOrderedByHouseholdNumber) {
  std::vector<HouseholdRecord> records;
  const DivisionCode villages[] = {kVillageC1, kVillageA2, kVillageB1, kVillageA1};
  for (int serial = 0; serial < 40; ++serial)
    records.push_back(MakeHousehold(serial, villages[serial % 4], 2, 2));
  std::mt19937 rng(7);
  std::shuffle(records.begin(), records.end(), rng);
  MustWrite(records, {40, 0, 0});
  auto scanned = ScanAll();
  ASSERT_EQ(scanned.size(), records.size());
  std::sort(records.begin(), records.end(), [](const HouseholdRecord& a, const HouseholdRecord& b) {
    return a.household.household_number < b.household.household_number;
  });
  EXPECT_EQ(scanned, records);
  // Narrow and wide scopes (a backend may read them differently) give the
  // same ordered subsets.
  for (const DivisionScope& scope : {DivisionScope::Of(kVillageA1, DivisionLevel::kVillage),
                                     DivisionScope::Of(kDatong, DivisionLevel::kCounty),
                                     DivisionScope::Of(kHaidong, DivisionLevel::kPrefecture)}) {
    std::vector<HouseholdRecord> expected;
    for (const auto& record : records) {
      if (scope.Contains(record.household.village_code)) expected.push_back(record);
    }
    EXPECT_EQ(ScanAll(scope), expected);
  }
}

TEST_P(StoreConformanceTest, ScanStopsAtFirstVisitorError) {
  MustWrite({MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA1), MakeHousehold(3, kVillageA1)},
            {3, 0, 0});
  int visited = 0;
  Status status = store_->ScanHouseholds(DivisionScope::All(), [&](const HouseholdRecord&) {
    ++visited;
    return visited == 2 ? Conflict("停止") : Status::Ok();
  });
  EXPECT_EQ(status, Conflict("停止"));
  EXPECT_EQ(visited, 2);
  // The store is still usable afterwards.
  EXPECT_EQ(ScanAll().size(), 3u);
  MustWrite({MakeHousehold(4, kVillageA1)}, {1, 0, 0});
}

TEST_P(StoreConformanceTest, ReadsInsideScanCallbackWork) {
  MustWrite({MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageB1)}, {2, 0, 0});
  int matched = 0;
  Status status = store_->ScanHouseholds(DivisionScope::All(), [&](const HouseholdRecord& record) {
    auto again = store_->GetHousehold(DivisionScope::All(), record.household.household_number);
    if (!again.ok()) return again.status();
    if (again->has_value() && **again == record) ++matched;
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(matched, 2);
}

TEST_P(StoreConformanceTest, GetAbsentIsNullopt) {
  EXPECT_EQ(Get("630121100201999"), std::nullopt);
  auto version = store_->GetRowVersion(DivisionScope::All(), "630121100201999");
  ASSERT_TRUE(version.ok());
  EXPECT_FALSE(version->has_value());
}

// --- Upsert semantics --------------------------------------------------------

TEST_P(StoreConformanceTest, SameHouseholdTwiceIsUnchanged) {
  std::vector<HouseholdRecord> records = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA2)};
  MustWrite(records, {2, 0, 0});
  MustWrite(records, {0, 0, 2});
  EXPECT_EQ(RowVersion(records[0].household.household_number), 1);
  EXPECT_EQ(RowVersion(records[1].household.household_number), 1);
  EXPECT_EQ(ScanAll(), records);
}

TEST_P(StoreConformanceTest, ChangedHouseholdIsUpdatedAndVersionBumped) {
  HouseholdRecord original = MakeHousehold(1, kVillageA1, 4, 6);
  MustWrite({original, MakeHousehold(2, kVillageA1)}, {2, 0, 0});

  HouseholdRecord changed = original;
  const std::string freed_id = changed.members.back().id_number;
  changed.members.pop_back();
  changed.members[1].deceased = true;
  changed.members[2].name = "改名";
  changed.years.erase(changed.years.begin());
  changed.years.back().transfer_income += 1;
  changed.household.village_code = kVillageA2;
  changed.household.safety_net = true;
  MustWrite({changed, MakeHousehold(2, kVillageA1)}, {0, 1, 1});
  EXPECT_EQ(Get(original.household.household_number), changed);
  EXPECT_EQ(RowVersion(original.household.household_number), 2);
  EXPECT_EQ(RowVersion(MakeHousehold(2, kVillageA1).household.household_number), 1);

  // Writing the changed record again changes nothing.
  MustWrite({changed}, {0, 0, 1});
  EXPECT_EQ(RowVersion(original.household.household_number), 2);
  // Changing it back is another update.
  MustWrite({original}, {0, 1, 0});
  EXPECT_EQ(RowVersion(original.household.household_number), 3);
  EXPECT_EQ(Get(original.household.household_number), original);

  // Once a member is removed, the ID is free for another household.
  MustWrite({changed}, {0, 1, 0});
  HouseholdRecord other = MakeHousehold(3, kVillageB1, 1, 0);
  other.members[0].id_number = freed_id;
  MustWrite({other}, {1, 0, 0});
  EXPECT_EQ(RowVersion(original.household.household_number), 4);
}

TEST_P(StoreConformanceTest, MemberMovesBetweenHouseholdsInOneWrite) {
  HouseholdRecord a = MakeHousehold(1, kVillageA1, 3, 1);
  HouseholdRecord b = MakeHousehold(2, kVillageA1, 2, 1);
  MustWrite({a, b}, {2, 0, 0});
  // The last member of a moves to b: a (without the member) comes first.
  b.members.push_back(a.members.back());
  b.members.back().relation = Relation::kOther;
  a.members.pop_back();
  MustWrite({a, b}, {0, 2, 0});
  EXPECT_EQ(Get(a.household.household_number), a);
  EXPECT_EQ(Get(b.household.household_number), b);
}

TEST_P(StoreConformanceTest, ProgressIsReported) {
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 2500; ++serial) records.push_back(MakeHousehold(serial, kVillageA1, 1, 1));
  VectorHouseholdSource source(records);
  std::vector<std::int64_t> reported;
  auto counts = store_->UpsertHouseholds(DivisionScope::All(), source,
                                         [&](std::int64_t done) { reported.push_back(done); });
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->inserted, 2500);
  ASSERT_FALSE(reported.empty());
  EXPECT_TRUE(std::is_sorted(reported.begin(), reported.end()));
  EXPECT_EQ(reported.back(), 2500);
  EXPECT_NE(std::find(reported.begin(), reported.end(), 1000), reported.end());
  EXPECT_NE(std::find(reported.begin(), reported.end(), 2000), reported.end());
  EXPECT_LE(reported.size(), 4u);  // about one call per thousand households
}

// --- All-or-nothing ----------------------------------------------------------

TEST_P(StoreConformanceTest, DuplicatePersonIdAcrossHouseholdsFailsAndWritesNothing) {
  HouseholdRecord existing = MakeHousehold(1, kVillageA1);
  MustWrite({existing}, {1, 0, 0});
  const auto before = ScanAll();

  HouseholdRecord fresh = MakeHousehold(2, kVillageA1);
  HouseholdRecord clash = MakeHousehold(3, kVillageB1);
  clash.members[2].id_number = existing.members[1].id_number;
  auto counts = Write({fresh, clash});
  ASSERT_FALSE(counts.ok());
  EXPECT_TRUE(counts.status().code() == StatusCode::kAlreadyExists ||
              counts.status().code() == StatusCode::kInvalidArgument)
      << counts.status().ToString();
  const std::string& message = counts.status().message();
  EXPECT_NE(message.find(MaskResidentId(existing.members[1].id_number)), std::string::npos) << message;
  EXPECT_EQ(message.find(existing.members[1].id_number), std::string::npos) << "unmasked ID in: " << message;
  EXPECT_NE(message.find(existing.household.household_number), std::string::npos) << message;
  EXPECT_NE(message.find(clash.household.household_number), std::string::npos) << message;
  EXPECT_EQ(message.find("UNIQUE"), std::string::npos) << message;
  EXPECT_EQ(ScanAll(), before);
  EXPECT_EQ(Get(fresh.household.household_number), std::nullopt);
}

TEST_P(StoreConformanceTest, DuplicatePersonIdWithinOneWriteFails) {
  HouseholdRecord first = MakeHousehold(1, kVillageA1);
  HouseholdRecord second = MakeHousehold(2, kVillageA2);
  second.members[0].id_number = first.members[3].id_number;
  auto counts = Write({first, second});
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find(first.household.household_number), std::string::npos);
  EXPECT_NE(counts.status().message().find(second.household.household_number), std::string::npos);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);

  HouseholdRecord twins = MakeHousehold(3, kVillageA1);
  twins.members[1].id_number = twins.members[0].id_number;
  counts = Write({twins});
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find(MaskResidentId(twins.members[0].id_number)), std::string::npos);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);
}

TEST_P(StoreConformanceTest, DuplicateHouseholdNumberWithinOneWriteFails) {
  HouseholdRecord record = MakeHousehold(1, kVillageA1);
  auto counts = Write({record, record});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find(record.household.household_number), std::string::npos);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);
}

TEST_P(StoreConformanceTest, DuplicateNewHouseholdInNonEmptyStoreFails) {
  HouseholdRecord existing = MakeHousehold(1, kVillageA1);
  MustWrite({existing}, {1, 0, 0});
  const auto before = ScanAll();
  HouseholdRecord fresh = MakeHousehold(2, kVillageA2);
  auto counts = Write({fresh, MakeHousehold(3, kVillageB1), fresh});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find(fresh.household.household_number), std::string::npos)
      << counts.status().ToString();
  EXPECT_NE(counts.status().message().find("不止一次"), std::string::npos) << counts.status().ToString();
  EXPECT_EQ(ScanAll(), before);
}

TEST_P(StoreConformanceTest, ManyHouseholdsOfEveryShapeRoundTrip) {
  // Enough members and years to cross any internal batching, with
  // households of 0..11 members and 0..7 years mixed.
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 400; ++serial) {
    const DivisionCode village = serial % 3 == 0 ? kVillageA1 : (serial % 3 == 1 ? kVillageB1 : kVillageC1);
    records.push_back(MakeHousehold(serial, village, (serial * 7) % 12, (serial * 5) % 8));
  }
  MustWrite(records, {400, 0, 0});
  std::vector<HouseholdRecord> expected = records;
  auto by_number = [](const HouseholdRecord& left, const HouseholdRecord& right) {
    return left.household.household_number < right.household.household_number;
  };
  std::sort(expected.begin(), expected.end(), by_number);
  EXPECT_EQ(ScanAll(), expected);

  // Into the non-empty store: changed, new and unchanged households mixed.
  std::vector<HouseholdRecord> second;
  for (int serial = 0; serial < 400; serial += 2) {
    HouseholdRecord record = records[static_cast<size_t>(serial)];
    if (serial % 4 == 0) {
      record.members.push_back(MakeHousehold(1000 + serial, kVillageA1, 1, 0).members[0]);
      record.years.clear();
    }
    second.push_back(record);
    second.push_back(MakeHousehold(500 + serial, kVillageA2, 1 + serial % 9, 1 + serial % 7));
  }
  MustWrite(second, {200, 100, 100});
  for (const HouseholdRecord& record : second) {
    EXPECT_EQ(Get(record.household.household_number), record) << record.household.household_number;
  }
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 600);
}

TEST_P(StoreConformanceTest, SmallWriteIntoLargerStore) {
  // A write of a few households into a store of many (a backend may look
  // them up one by one rather than read them all).
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 40; ++serial) records.push_back(MakeHousehold(serial, kVillageA1, 2, 2));
  MustWrite(records, {40, 0, 0});
  HouseholdRecord changed = records[5];
  changed.household.phone = "13900000000";
  HouseholdRecord fresh = MakeHousehold(100, kVillageB1, 3, 1);
  MustWrite({changed, fresh, records[7]}, {1, 1, 1});
  EXPECT_EQ(RowVersion(changed.household.household_number), 2);
  EXPECT_EQ(Get(fresh.household.household_number), fresh);
  const auto before = ScanAll();

  auto counts = Write({records[9], records[9]});
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find("不止一次"), std::string::npos) << counts.status().ToString();
  HouseholdRecord other = MakeHousehold(101, kVillageB1, 1, 1);
  counts = Write({other, other});
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find(other.household.household_number), std::string::npos)
      << counts.status().ToString();
  EXPECT_NE(counts.status().message().find("不止一次"), std::string::npos) << counts.status().ToString();
  HouseholdRecord clash = MakeHousehold(102, kVillageB1, 2, 1);
  clash.members[1].id_number = records[20].members[0].id_number;
  counts = Write({clash});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kAlreadyExists) << counts.status().ToString();
  EXPECT_EQ(ScanAll(), before);
}

TEST_P(StoreConformanceTest, FirstErrorInSourceOrderIsReported) {
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 200; ++serial) records.push_back(MakeHousehold(serial, kVillageA1, 5, 6));
  // Household 120 repeats an ID number of household 10; household 150 is in
  // a township. The ID conflict comes first in the source.
  std::vector<HouseholdRecord> conflict_first = records;
  conflict_first[120].members[3].id_number = conflict_first[10].members[1].id_number;
  conflict_first[150].household.village_code = kDatongTown;
  auto counts = Write(conflict_first);
  ASSERT_FALSE(counts.ok());
  const std::string& message = counts.status().message();
  EXPECT_NE(message.find(records[10].household.household_number), std::string::npos) << message;
  EXPECT_NE(message.find(records[120].household.household_number), std::string::npos) << message;
  EXPECT_NE(message.find(MaskResidentId(records[10].members[1].id_number)), std::string::npos) << message;
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);

  // The township comes first.
  std::vector<HouseholdRecord> village_first = records;
  village_first[120].members[3].id_number = village_first[10].members[1].id_number;
  village_first[100].household.village_code = kDatongTown;
  counts = Write(village_first);
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find(records[100].household.household_number), std::string::npos)
      << counts.status().ToString();
  EXPECT_EQ(counts.status().message().find(records[120].household.household_number), std::string::npos)
      << counts.status().ToString();

  // A year given twice, before the ID conflict.
  std::vector<HouseholdRecord> year_first = conflict_first;
  year_first[50].years[4].year = year_first[50].years[2].year;
  counts = Write(year_first);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find(records[50].household.household_number), std::string::npos)
      << counts.status().ToString();
  EXPECT_NE(counts.status().message().find(std::to_string(year_first[50].years[2].year)), std::string::npos)
      << counts.status().ToString();
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);
  MustWrite(records, {200, 0, 0});
}

TEST_P(StoreConformanceTest, MemberTakenByEarlierHouseholdBeforeLeavingLaterOneFails) {
  // The reverse order of MemberMovesBetweenHouseholdsInOneWrite: b claims the
  // member while a still holds it, so the write fails.
  HouseholdRecord a = MakeHousehold(1, kVillageA1, 3, 1);
  HouseholdRecord b = MakeHousehold(2, kVillageA1, 2, 1);
  MustWrite({a, b}, {2, 0, 0});
  const auto before = ScanAll();
  b.members.push_back(a.members.back());
  b.members.back().relation = Relation::kOther;
  a.members.pop_back();
  auto counts = Write({b, a});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kAlreadyExists) << counts.status().ToString();
  EXPECT_EQ(ScanAll(), before);
  EXPECT_EQ(RowVersion(a.household.household_number), 1);
}

TEST_P(StoreConformanceTest, BadThirdOfFiveLeavesStoreUnchanged) {
  std::vector<HouseholdRecord> initial = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageB1)};
  MustWrite(initial, {2, 0, 0});
  const auto before = ScanAll();

  HouseholdRecord update = initial[0];
  update.years[0].wage_income += Yuan(1);
  HouseholdRecord bad = MakeHousehold(5, kDatongTown);  // a township, not a village
  std::vector<HouseholdRecord> batch = {update, MakeHousehold(3, kVillageA2), bad,
                                        MakeHousehold(4, kVillageC1), initial[1]};
  auto counts = Write(batch);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find(bad.household.household_number), std::string::npos);
  EXPECT_EQ(ScanAll(), before);
  EXPECT_EQ(RowVersion(initial[0].household.household_number), 1);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 2);
}

TEST_P(StoreConformanceTest, SourceErrorMidWayLeavesStoreUnchanged) {
  MustWrite({MakeHousehold(1, kVillageA1)}, {1, 0, 0});
  const auto before = ScanAll();
  FailingSource source(
      {MakeHousehold(2, kVillageA1), MakeHousehold(3, kVillageA1), MakeHousehold(4, kVillageA1)}, 2);
  auto counts = store_->UpsertHouseholds(DivisionScope::All(), source);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status(), InvalidArgument("文件 x.csv 第 9 行：测试用的读取错误"));
  EXPECT_EQ(ScanAll(), before);
}

TEST_P(StoreConformanceTest, UnknownVillageIsInvalidArgument) {
  auto counts = Write({MakeHousehold(1, 630121100299)});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find(HouseholdNumber(630121100299, 1)), std::string::npos);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);
}

// --- Scope -------------------------------------------------------------------

TEST_P(StoreConformanceTest, ReadsAreRestrictedToScope) {
  std::vector<HouseholdRecord> records = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA2),
                                          MakeHousehold(3, kVillageB1), MakeHousehold(4, kVillageC1),
                                          MakeHousehold(5, kCommunityA)};
  MustWrite(records, {5, 0, 0});
  const DivisionScope datong = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  const DivisionScope xining = DivisionScope::Of(kXining, DivisionLevel::kPrefecture);
  const DivisionScope village = DivisionScope::Of(kVillageB1, DivisionLevel::kVillage);

  auto in_datong = ScanAll(datong);
  ASSERT_EQ(in_datong.size(), 3u);
  for (const auto& record : in_datong) EXPECT_TRUE(datong.Contains(record.household.village_code));
  EXPECT_EQ(ScanAll(xining).size(), 4u);
  EXPECT_EQ(ScanAll(village), std::vector<HouseholdRecord>{records[2]});
  EXPECT_EQ(*store_->CountHouseholds(datong), 3);
  EXPECT_EQ(*store_->CountHouseholds(village), 1);

  EXPECT_EQ(Get(records[3].household.household_number, xining), std::nullopt);
  EXPECT_EQ(
      Get(records[3].household.household_number, DivisionScope::Of(kHaidong, DivisionLevel::kPrefecture)),
      records[3]);
  auto version = store_->GetRowVersion(datong, records[2].household.household_number);
  ASSERT_TRUE(version.ok());
  EXPECT_FALSE(version->has_value());

  auto divisions = store_->ListDivisions(datong);
  ASSERT_TRUE(divisions.ok());
  EXPECT_EQ(divisions->size(), 5u);  // county, township, two villages, one community
  for (const Division& division : *divisions) EXPECT_TRUE(datong.Contains(division.code));

  auto stats = store_->ComputeStats(datong, {});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->prefectures, 0);
  EXPECT_EQ(stats->counties, 1);
  EXPECT_EQ(stats->townships, 1);
  EXPECT_EQ(stats->villages, 3);
  EXPECT_EQ(stats->households, 3);
  EXPECT_EQ(stats->persons, 12);
}

TEST_P(StoreConformanceTest, OutOfScopeWritesAreRefused) {
  const DivisionScope datong = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  HouseholdRecord outside = MakeHousehold(1, kVillageB1);
  auto counts = Write({MakeHousehold(2, kVillageA1), outside}, datong);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(counts.status().message().find(outside.household.household_number), std::string::npos);
  EXPECT_EQ(*store_->CountHouseholds(DivisionScope::All()), 0);

  // A household stored outside the scope cannot be taken over by moving it
  // into the scope either.
  MustWrite({outside}, {1, 0, 0});
  HouseholdRecord moved = outside;
  moved.household.village_code = kVillageA1;
  counts = Write({moved}, datong);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(outside.household.household_number), outside);

  // Inside the scope writes work.
  auto ok = Write({MakeHousehold(2, kVillageA1)}, datong);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
}

// --- Statistics --------------------------------------------------------------

TEST_P(StoreConformanceTest, StatsCountDivisionsHouseholdsAndLivingPersons) {
  HouseholdRecord ex_poor = MakeHousehold(0, kVillageA1, 4, 1);  // serial % 3 == 0: ex-poor
  ex_poor.members[3].deceased = true;
  HouseholdRecord ordinary = MakeHousehold(1, kVillageC1, 2, 1);
  MustWrite({ex_poor, ordinary}, {2, 0, 0});
  auto stats = store_->ComputeStats(DivisionScope::All(), {});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->prefectures, 2);
  EXPECT_EQ(stats->counties, 3);
  EXPECT_EQ(stats->townships, 3);
  EXPECT_EQ(stats->villages, 5);
  EXPECT_EQ(stats->households, 2);
  EXPECT_EQ(stats->persons, 5);
  EXPECT_EQ(stats->ex_poor_households, 1);
  EXPECT_EQ(stats->ex_poor_persons, 3);
  EXPECT_TRUE(stats->below_line_households.empty());
}

HouseholdRecord WithIncome(int serial, int living, int deceased, int year, Fen net) {
  HouseholdRecord record = MakeHousehold(serial, kVillageA1, living + deceased, 0);
  for (int member_idx = living; member_idx < living + deceased; ++member_idx)
    record.members[member_idx].deceased = true;
  HouseholdYear income;
  income.year = year;
  income.wage_income = net >= 0 ? net + Yuan(100) : 0;
  income.production_cost = net >= 0 ? Yuan(100) : -net;
  record.years.push_back(income);
  return record;
}

TEST_P(StoreConformanceTest, BelowLineUsesIntegerPerCapitaOfLivingMembers) {
  const Fen line = Yuan(6000);
  std::vector<HouseholdRecord> records = {
      WithIncome(1, 2, 0, 2021, 2 * line),      // exactly at the line: not below
      WithIncome(2, 2, 0, 2021, 2 * line - 1),  // per capita line - 1 fen (truncated): below
      WithIncome(3, 2, 1, 2021, 2 * line),      // deceased not counted: 6000 each, not below
      WithIncome(4, 3, 0, 2021, 3 * line + 2),  // 6000.00666 → 6000.00: not below
      WithIncome(5, 0, 2, 2021, 0),             // no living member: never counted
      WithIncome(6, 1, 0, 2022, 0),             // below in 2022, absent in 2021
      WithIncome(7, 2, 0, 2021, -Yuan(300)),    // negative net income: below
  };
  MustWrite(records, {7, 0, 0});
  auto stats =
      store_->ComputeStats(DivisionScope::All(), {{2021, line}, {2022, Yuan(6700)}, {2023, Yuan(7100)}});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->below_line_households, (std::map<int, std::int64_t>{{2021, 2}, {2022, 1}, {2023, 0}}));
  EXPECT_EQ(stats->persons, 2 + 2 + 2 + 3 + 0 + 1 + 2);

  // One fen lower line: household 2 (per capita line - 1) is no longer below.
  stats = store_->ComputeStats(DivisionScope::All(), {{2021, line - 1}});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->below_line_households.at(2021), 1);
}

TEST_P(StoreConformanceTest, StatsAgreeWithPerCapitaNetIncome) {
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 300; ++serial) {
    const DivisionCode villages[] = {kVillageA1, kVillageA2, kVillageB1, kVillageC1};
    HouseholdRecord record = MakeHousehold(serial, villages[serial % 4], 1 + serial % 6, 6);
    if (serial % 5 == 0) record.members.back().deceased = true;
    if (serial % 11 == 0) record.years[2].production_cost = Yuan(90000) + serial;  // negative net
    if (serial % 13 == 0) record.years.erase(record.years.begin() + 1);
    records.push_back(record);
  }
  MustWrite(records, {300, 0, 0});
  std::map<int, Fen> lines = {{2020, Yuan(4000)}, {2021, Yuan(6000)}, {2022, Yuan(6700)}, {2023, Yuan(7100)},
                              {2024, Yuan(7500)}, {2025, Yuan(7800)}, {2026, Yuan(9000)}};
  for (const DivisionScope& scope : {DivisionScope::All(), DivisionScope::Of(kDatong, DivisionLevel::kCounty),
                                     DivisionScope::Of(kVillageB1, DivisionLevel::kVillage)}) {
    std::map<int, std::int64_t> expected;
    std::int64_t persons = 0;
    std::int64_t ex_poor_persons = 0;
    std::int64_t households = 0;
    for (const auto& [year, line] : lines) expected[year] = 0;
    for (const HouseholdRecord& record : records) {
      if (!scope.Contains(record.household.village_code)) continue;
      ++households;
      persons += record.LivingSize();
      if (record.household.ex_poor) ex_poor_persons += record.LivingSize();
      for (const auto& [year, line] : lines) {
        Fen per_capita = 0;
        if (record.PerCapitaNetIncome(year, &per_capita) && per_capita < line) ++expected[year];
      }
    }
    auto stats = store_->ComputeStats(scope, lines);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(stats->below_line_households, expected);
    EXPECT_EQ(stats->households, households);
    EXPECT_EQ(stats->persons, persons);
    EXPECT_EQ(stats->ex_poor_persons, ex_poor_persons);
    std::int64_t below_somewhere = 0;
    for (const auto& [year, count] : expected) below_somewhere += count;
    EXPECT_GT(below_somewhere, 0);  // the data exercises the comparison
  }
}

// --- Divisions and meta -------------------------------------------------------

TEST_P(StoreConformanceTest, NewStoreHoldsTheDivisionTable) {
  auto divisions = store_->ListDivisions(DivisionScope::All());
  ASSERT_TRUE(divisions.ok());
  EXPECT_EQ(*divisions, divisions_.all());
}

TEST_P(StoreConformanceTest, ReplaceDivisionsKeepsHouseholdsInVillages) {
  MustWrite({MakeHousehold(1, kVillageA1)}, {1, 0, 0});
  std::vector<Division> rows = TestDivisionRows();
  // Dropping the household's village fails and keeps the old table.
  std::vector<Division> without_a1;
  for (const Division& division : rows) {
    if (division.code != kVillageA1) without_a1.push_back(division);
  }
  Status status = store_->ReplaceDivisions(without_a1);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find(HouseholdNumber(kVillageA1, 1)), std::string::npos) << status.message();
  EXPECT_EQ(*store_->ListDivisions(DivisionScope::All()), divisions_.all());

  // Renaming and dropping an empty village works.
  std::vector<Division> renamed;
  for (Division division : rows) {
    if (division.code == kVillageA2) continue;
    if (division.code == kVillageA1) division.name = "新名村委会";
    renamed.push_back(division);
  }
  ASSERT_TRUE(store_->ReplaceDivisions(renamed).ok());
  auto listed = store_->ListDivisions(DivisionScope::Of(kVillageA1, DivisionLevel::kVillage));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "新名村委会");
  EXPECT_EQ(store_->ListDivisions(DivisionScope::All())->size(), rows.size() - 1);
  // A household in the dropped village is now refused.
  auto counts = Write({MakeHousehold(2, kVillageA2)});
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, MetaRoundTrips) {
  auto absent = store_->GetMeta("generator_seed");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  ASSERT_TRUE(store_->SetMeta("generator_seed", "1").ok());
  ASSERT_TRUE(store_->SetMeta("说明", "演示数据库").ok());
  ASSERT_TRUE(store_->SetMeta("generator_seed", "2").ok());
  EXPECT_EQ(*store_->GetMeta("generator_seed"), std::optional<std::string>("2"));
  EXPECT_EQ(*store_->GetMeta("说明"), std::optional<std::string>("演示数据库"));
}

void PrintTo(const BackendFactory& factory, std::ostream* out) { *out << factory.name; }

TEST_P(StoreConformanceTest, GenerationMovesOnlyWithChangesAndDropsSnapshots) {
  auto start = store_->RegistryGeneration();
  ASSERT_TRUE(start.ok()) << start.status().ToString();
  MustWrite({MakeHousehold(1, kVillageA1)}, {1, 0, 0});
  auto after_insert = store_->RegistryGeneration();
  ASSERT_TRUE(after_insert.ok());
  EXPECT_GT(*after_insert, *start);
  ASSERT_TRUE(store_->PutSnapshot(DivisionScope::All(), "k", *after_insert, std::string("a\0b", 3)).ok());
  auto got = store_->GetSnapshot(DivisionScope::All(), "k", *after_insert);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, std::string("a\0b", 3));
  // An identical re-write is not a change: the snapshot survives.
  MustWrite({MakeHousehold(1, kVillageA1)}, {0, 0, 1});
  EXPECT_EQ(*store_->RegistryGeneration(), *after_insert);
  EXPECT_TRUE(store_->GetSnapshot(DivisionScope::All(), "k", *after_insert)->has_value());
  // Only the whole registry may be snapshotted.
  const DivisionScope county = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  EXPECT_EQ(store_->GetSnapshot(county, "k", *after_insert).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->PutSnapshot(county, "k", *after_insert, "x").code(), StatusCode::kPermissionDenied);
  // A change moves the generation, drops the snapshot and refuses a stale put.
  MustWrite({MakeHousehold(2, kVillageA2)}, {1, 0, 0});
  auto after_change = store_->RegistryGeneration();
  EXPECT_GT(*after_change, *after_insert);
  EXPECT_FALSE(store_->GetSnapshot(DivisionScope::All(), "k", *after_insert)->has_value());
  EXPECT_FALSE(store_->GetSnapshot(DivisionScope::All(), "k", *after_change)->has_value());
  EXPECT_EQ(store_->PutSnapshot(DivisionScope::All(), "k", *after_insert, "x").code(), StatusCode::kConflict);
  // Generations survive reopening.
  Reopen();
  EXPECT_EQ(*store_->RegistryGeneration(), *after_change);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<BackendFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace zx
