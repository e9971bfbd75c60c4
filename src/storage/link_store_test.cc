// The LinkStore contract (link_store.h), through the interface only: the
// person read in scope, an upload recorded with its provenance, links /
// rejects / alerts / review items round-tripping, re-saving the same file
// changing nothing, reads restricted to their scope, and a failing write
// leaving nothing behind.
#include "storage/link_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

constexpr char kSha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

class LinkStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_links_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    households_ = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA2, 3),
                   MakeHousehold(3, kVillageB1, 2), MakeHousehold(4, kVillageC1, 5)};
    households_[1].members[2].deceased = true;
    VectorHouseholdSource source(households_);
    ASSERT_TRUE((*registry)->UpsertHouseholds(DivisionScope::All(), source).ok());
    registry_ = std::move(registry).value();
    auto links = OpenLinkStore(location_);
    ASSERT_TRUE(links.ok()) << links.status().ToString();
    links_ = std::move(links).value();
  }
  void TearDown() override {
    links_.reset();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  const Person& PersonOf(size_t household, size_t member) const {
    return households_[household].members[member];
  }

  FeedLink LinkTo(std::int64_t row, size_t household, size_t member, const char* match_class,
                  double score) const {
    FeedLink link;
    link.row = row;
    link.id_number = PersonOf(household, member).id_number;
    link.household_number = households_[household].household.household_number;
    link.village_code = households_[household].household.village_code;
    link.match_class = match_class;
    link.score = score;
    link.reason = match_class == std::string("exact") ? "" : "身份证号码校验失败，按单个数字错误修复";
    return link;
  }
  static FeedLink Unmatched(std::int64_t row) {
    FeedLink link;
    link.row = row;
    link.match_class = "unmatched";
    link.score = 0.25;
    link.reason = "没有身份证号码；有两个以上相近的候选人，无法确定";
    return link;
  }
  FeedFinding FindingFor(const char* kind, size_t household, size_t member, std::int64_t row) const {
    FeedFinding finding;
    finding.kind = kind;
    finding.id_number = PersonOf(household, member).id_number;
    finding.household_number = households_[household].household.household_number;
    finding.village_code = households_[household].household.village_code;
    finding.value = 1234567;
    finding.threshold = 700000;
    finding.detail = "12 个月个人自付 12,345.67 元，超过 7,000.00 元";
    finding.row = row;
    return finding;
  }

  // One upload: 5 rows (three matched in three counties, one unmatched, one
  // rejected), two rejects, two alerts, one review item.
  struct Comparison {
    FeedUpload upload;
    std::vector<FeedLink> links;
    std::vector<FeedReject> rejects;
    std::vector<FeedFinding> alerts;
    std::vector<FeedFinding> review_items;
  };
  Comparison MakeComparison(const DivisionScope& scope = DivisionScope::All()) const {
    Comparison comparison;
    comparison.upload.feed = "medical";
    comparison.upload.file_name = "2024年医保结算.csv";
    comparison.upload.file_sha256 = kSha;
    comparison.upload.uploader = "县医保局 张三";
    comparison.upload.scope = scope;
    comparison.upload.rows_read = 5;
    comparison.upload.rows_rejected = 1;
    comparison.upload.summary_json = R"({"rows_read":5,"by_class":{"exact":2,"repaired":1,"unmatched":2}})";
    comparison.links = {LinkTo(1, 0, 0, "exact", 1.0), LinkTo(2, 2, 1, "repaired", 0.99), Unmatched(3),
                        LinkTo(4, 3, 4, "probabilistic", 0.987), Unmatched(5)};
    comparison.links[4].reason = "行被拒绝：结算日期“2024-02-30”不是有效日期";
    comparison.rejects = {{5, "结算日期", "“2024-02-30”不是有效日期"},
                          {2, "出生日期", "“1990-13-01”不是有效日期"}};
    comparison.alerts = {FindingFor("medical_out_of_pocket", 0, 0, 1),
                         FindingFor("medical_out_of_pocket", 3, 4, 4)};
    comparison.review_items = {FindingFor("deceased_active", 1, 1, 2)};
    comparison.review_items[0].value = 0;
    comparison.review_items[0].threshold = 0;
    comparison.review_items[0].detail = "公安数据显示已死亡，登记信息仍为在世";
    return comparison;
  }

  // The comparison's links in compact form (rows 1..N dense, as the comparison has them).
  static CompactLinks ToCompact(const std::vector<FeedLink>& links) {
    CompactLinks compact;
    std::map<std::string, std::int32_t> households, texts;
    texts[""] = 0;
    for (size_t idx = 0; idx < links.size(); ++idx) {
      const FeedLink& link = links[idx];
      EXPECT_EQ(link.row, static_cast<std::int64_t>(idx) + 1);
      CompactLinks::Row& row = compact.rows.emplace_back();
      if (!link.id_number.empty()) row.id_body = std::stoull(link.id_number.substr(0, 17));
      if (!link.household_number.empty()) {
        auto [it, inserted] = households.try_emplace(link.household_number,
                                                     static_cast<std::int32_t>(compact.households.size()));
        if (inserted) compact.households.push_back({link.household_number, link.village_code});
        row.household = it->second;
      }
      auto [text, inserted] = texts.try_emplace(link.reason, static_cast<std::int32_t>(compact.texts.size()));
      if (inserted) compact.texts.push_back(link.reason);
      row.reason = text->second;
      row.score_milli = static_cast<std::int32_t>(link.score * 1000 + 0.5);
      for (size_t klass = 0; klass < std::size(kFeedMatchClasses); ++klass) {
        if (kFeedMatchClasses[klass] == link.match_class) row.match_class = static_cast<std::uint8_t>(klass);
      }
    }
    return compact;
  }
  Result<SaveOutcome> SaveCompact(const Comparison& comparison) {
    return links_->SaveComparisonCompact(comparison.upload, ToCompact(comparison.links), comparison.rejects,
                                         comparison.alerts, comparison.review_items);
  }

  Result<SaveOutcome> Save(const Comparison& comparison) {
    std::size_t next = 0;
    FeedLinkSource source = [&](FeedLink* out) -> Result<bool> {
      if (next >= comparison.links.size()) return false;
      *out = comparison.links[next++];
      return true;
    };
    return links_->SaveComparison(comparison.upload, source, comparison.rejects, comparison.alerts,
                                  comparison.review_items);
  }

  std::vector<FeedLink> Links(const DivisionScope& scope, std::int64_t upload_id) {
    auto links = links_->ListLinks(scope, upload_id);
    EXPECT_TRUE(links.ok()) << links.status().ToString();
    return links.ok() ? *links : std::vector<FeedLink>();
  }
  std::vector<FeedFinding> Alerts(const DivisionScope& scope, std::int64_t upload_id) {
    auto alerts = links_->ListAlerts(scope, upload_id);
    EXPECT_TRUE(alerts.ok()) << alerts.status().ToString();
    return alerts.ok() ? *alerts : std::vector<FeedFinding>();
  }
  std::vector<FeedFinding> ReviewItems(const DivisionScope& scope, std::int64_t upload_id) {
    auto items = links_->ListReviewItems(scope, upload_id);
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    return items.ok() ? *items : std::vector<FeedFinding>();
  }
  std::optional<FeedUpload> Find(const DivisionScope& scope, const std::string& feed,
                                 const std::string& sha) {
    auto found = links_->FindUpload(scope, feed, sha);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? *found : std::nullopt;
  }

  static void ExpectSameLink(const FeedLink& got, const FeedLink& want) {
    EXPECT_EQ(got.row, want.row);
    EXPECT_EQ(got.id_number, want.id_number) << "row " << want.row;
    EXPECT_EQ(got.household_number, want.household_number) << "row " << want.row;
    EXPECT_EQ(got.village_code, want.village_code) << "row " << want.row;
    EXPECT_EQ(got.match_class, want.match_class) << "row " << want.row;
    EXPECT_NEAR(got.score, want.score, 0.0005) << "row " << want.row;
    EXPECT_EQ(got.reason, want.reason) << "row " << want.row;
  }

  std::string dir_;
  std::string location_;
  std::vector<HouseholdRecord> households_;
  std::unique_ptr<Store> registry_;
  std::unique_ptr<LinkStore> links_;
};

const DivisionScope kDatongScope{630121000000, 630121999999};
const DivisionScope kLeduScope{630202000000, 630202999999};

TEST_F(LinkStoreTest, ScanLinkPersonsVisitsEveryPersonInScopeWithItsHousehold) {
  std::map<std::string, LinkPersonView> seen;
  std::deque<std::string> names, numbers;  // stable storage for the copied views
  ASSERT_TRUE(links_
                  ->ScanLinkPersons(DivisionScope::All(),
                                    [&](const LinkPersonView& person) {
                                      // Views live only during the callback: copy what is checked.
                                      names.emplace_back(person.name);
                                      numbers.emplace_back(person.household_number);
                                      LinkPersonView copy = person;
                                      copy.name = names.back();
                                      copy.household_number = numbers.back();
                                      copy.id_number = {};
                                      seen.emplace(std::string(person.id_number), copy);
                                    })
                  .ok());
  std::size_t total = 0;
  for (const HouseholdRecord& record : households_) {
    for (const Person& person : record.members) {
      ++total;
      auto it = seen.find(person.id_number);
      ASSERT_NE(it, seen.end()) << person.id_number;
      EXPECT_EQ(it->second.name, person.name);
      EXPECT_EQ(it->second.birth_date, person.birth_date);
      EXPECT_EQ(it->second.sex, person.sex);
      EXPECT_EQ(it->second.village_code, record.household.village_code);
      EXPECT_EQ(it->second.household_number, record.household.household_number);
      EXPECT_EQ(it->second.deceased, person.deceased);  // the deceased are visited too
      EXPECT_EQ(it->second.ex_poor, record.household.ex_poor);
    }
  }
  EXPECT_EQ(seen.size(), total);

  // A county scope: only that county's households' persons.
  std::vector<DivisionCode> villages;
  ASSERT_TRUE(
      links_
          ->ScanLinkPersons(kDatongScope,
                            [&](const LinkPersonView& person) { villages.push_back(person.village_code); })
          .ok());
  EXPECT_EQ(villages.size(), households_[0].members.size() + households_[1].members.size());
  for (DivisionCode village : villages) EXPECT_TRUE(kDatongScope.Contains(village)) << village;
  villages.clear();
  ASSERT_TRUE(
      links_
          ->ScanLinkPersons(DivisionScope::Of(kVillageA2, DivisionLevel::kVillage),
                            [&](const LinkPersonView& person) { villages.push_back(person.village_code); })
          .ok());
  EXPECT_EQ(villages, std::vector<DivisionCode>(3, kVillageA2));
}

TEST_F(LinkStoreTest, UploadIsRecordedWithProvenance) {
  const Comparison comparison = MakeComparison();
  EXPECT_FALSE(Find(DivisionScope::All(), "medical", kSha).has_value());
  auto saved = Save(comparison);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_FALSE(saved->already_stored);
  EXPECT_GT(saved->upload_id, 0);

  std::optional<FeedUpload> upload = Find(DivisionScope::All(), "medical", kSha);
  ASSERT_TRUE(upload.has_value());
  EXPECT_EQ(upload->id, saved->upload_id);
  EXPECT_EQ(upload->feed, "medical");
  EXPECT_EQ(upload->file_name, "2024年医保结算.csv");
  EXPECT_EQ(upload->file_sha256, kSha);
  EXPECT_EQ(upload->uploader, "县医保局 张三");
  EXPECT_EQ(upload->scope, DivisionScope::All());
  EXPECT_EQ(upload->rows_read, 5);
  EXPECT_EQ(upload->rows_rejected, 1);
  EXPECT_EQ(upload->summary_json, comparison.upload.summary_json);
  // Upload time assigned by the store: ISO-8601 UTC.
  EXPECT_TRUE(std::regex_match(upload->uploaded_at, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")))
      << upload->uploaded_at;

  // A given upload time is kept as given.
  Comparison dated = MakeComparison();
  dated.upload.file_sha256 = std::string(64, 'a');
  dated.upload.uploaded_at = "2024-12-31T08:30:00Z";
  auto saved_dated = Save(dated);
  ASSERT_TRUE(saved_dated.ok()) << saved_dated.status().ToString();
  EXPECT_NE(saved_dated->upload_id, saved->upload_id);
  std::optional<FeedUpload> dated_upload = Find(DivisionScope::All(), "medical", dated.upload.file_sha256);
  ASSERT_TRUE(dated_upload.has_value());
  EXPECT_EQ(dated_upload->uploaded_at, "2024-12-31T08:30:00Z");

  // Provenance survives closing and reopening the database.
  links_.reset();
  auto reopened = OpenLinkStore(location_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  links_ = std::move(reopened).value();
  upload = Find(DivisionScope::All(), "medical", kSha);
  ASSERT_TRUE(upload.has_value());
  EXPECT_EQ(upload->uploader, "县医保局 张三");
  EXPECT_EQ(upload->id, saved->upload_id);
}

TEST_F(LinkStoreTest, LinksRejectsAlertsAndReviewItemsRoundTrip) {
  const Comparison comparison = MakeComparison();
  auto saved = Save(comparison);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();

  // Every matched row comes back, by row; unmatched rows, when listed, are as written.
  std::vector<FeedLink> links = Links(DivisionScope::All(), saved->upload_id);
  std::map<std::int64_t, FeedLink> by_row;
  for (const FeedLink& link : links) EXPECT_TRUE(by_row.emplace(link.row, link).second) << link.row;
  EXPECT_TRUE(std::is_sorted(links.begin(), links.end(),
                             [](const FeedLink& a, const FeedLink& b) { return a.row < b.row; }));
  for (const FeedLink& want : comparison.links) {
    auto it = by_row.find(want.row);
    if (want.id_number.empty() && it == by_row.end()) continue;
    ASSERT_NE(it, by_row.end()) << "row " << want.row;
    ExpectSameLink(it->second, want);
  }

  auto rejects = links_->ListRejects(saved->upload_id);
  ASSERT_TRUE(rejects.ok()) << rejects.status().ToString();
  ASSERT_EQ(rejects->size(), comparison.rejects.size());
  for (size_t idx = 0; idx < rejects->size(); ++idx) {  // in the order given
    EXPECT_EQ((*rejects)[idx].row, comparison.rejects[idx].row);
    EXPECT_EQ((*rejects)[idx].column, comparison.rejects[idx].column);
    EXPECT_EQ((*rejects)[idx].reason, comparison.rejects[idx].reason);
  }
  EXPECT_EQ(Alerts(DivisionScope::All(), saved->upload_id), comparison.alerts);
  EXPECT_EQ(ReviewItems(DivisionScope::All(), saved->upload_id), comparison.review_items);

  // A second upload: per-upload lists stay apart, upload 0 lists all.
  Comparison second = MakeComparison();
  second.upload.file_sha256 = std::string(64, 'b');
  second.alerts = {FindingFor("medical_out_of_pocket", 2, 0, 9)};
  second.review_items.clear();
  auto saved_second = Save(second);
  ASSERT_TRUE(saved_second.ok()) << saved_second.status().ToString();
  EXPECT_EQ(Alerts(DivisionScope::All(), saved_second->upload_id), second.alerts);
  EXPECT_EQ(Alerts(DivisionScope::All(), saved->upload_id), comparison.alerts);
  EXPECT_EQ(Alerts(DivisionScope::All(), 0).size(), comparison.alerts.size() + second.alerts.size());
  EXPECT_TRUE(ReviewItems(DivisionScope::All(), saved_second->upload_id).empty());
  EXPECT_EQ(ReviewItems(DivisionScope::All(), 0), comparison.review_items);
}

TEST_F(LinkStoreTest, SavingTheSameFileAgainChangesNothing) {
  const Comparison comparison = MakeComparison();
  auto first = Save(comparison);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::vector<FeedLink> links_before = Links(DivisionScope::All(), first->upload_id);
  const std::vector<FeedFinding> alerts_before = Alerts(DivisionScope::All(), 0);
  const std::vector<FeedFinding> items_before = ReviewItems(DivisionScope::All(), 0);
  const std::optional<FeedUpload> upload_before = Find(DivisionScope::All(), "medical", kSha);

  // Same feed, hash and scope, but other contents: the stored upload stands.
  Comparison again = MakeComparison();
  again.upload.uploader = "另一个人";
  again.upload.file_name = "改名.csv";
  again.links = {LinkTo(1, 1, 0, "exact", 1.0)};
  again.alerts = {FindingFor("medical_out_of_pocket", 1, 0, 1)};
  auto second = Save(again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->already_stored);
  EXPECT_EQ(second->upload_id, first->upload_id);

  const std::vector<FeedLink> links_after = Links(DivisionScope::All(), first->upload_id);
  ASSERT_EQ(links_after.size(), links_before.size());
  for (size_t idx = 0; idx < links_after.size(); ++idx) ExpectSameLink(links_after[idx], links_before[idx]);
  EXPECT_EQ(Alerts(DivisionScope::All(), 0), alerts_before);
  EXPECT_EQ(ReviewItems(DivisionScope::All(), 0), items_before);
  const std::optional<FeedUpload> upload_after = Find(DivisionScope::All(), "medical", kSha);
  ASSERT_TRUE(upload_after.has_value());
  EXPECT_EQ(upload_after->uploader, upload_before->uploader);
  EXPECT_EQ(upload_after->file_name, upload_before->file_name);
  EXPECT_EQ(upload_after->uploaded_at, upload_before->uploaded_at);

  // The same hash under another feed, or compared in another scope, is another upload.
  Comparison other_feed = MakeComparison();
  other_feed.upload.feed = "civil_affairs";
  auto saved_other_feed = Save(other_feed);
  ASSERT_TRUE(saved_other_feed.ok()) << saved_other_feed.status().ToString();
  EXPECT_FALSE(saved_other_feed->already_stored);
  EXPECT_NE(saved_other_feed->upload_id, first->upload_id);

  Comparison county = MakeComparison(kDatongScope);
  county.links = {LinkTo(1, 0, 0, "exact", 1.0), Unmatched(2)};
  county.alerts = {FindingFor("medical_out_of_pocket", 0, 0, 1)};
  county.review_items = {};
  auto saved_county = Save(county);
  ASSERT_TRUE(saved_county.ok()) << saved_county.status().ToString();
  EXPECT_FALSE(saved_county->already_stored);
  EXPECT_NE(saved_county->upload_id, first->upload_id);
  // ...and saving that one again is again a no-op.
  auto county_again = Save(county);
  ASSERT_TRUE(county_again.ok());
  EXPECT_TRUE(county_again->already_stored);
  EXPECT_EQ(county_again->upload_id, saved_county->upload_id);
  EXPECT_EQ(Alerts(DivisionScope::All(), saved_county->upload_id).size(), 1u);
}

TEST_F(LinkStoreTest, ReadsOutsideTheScopeSeeNothing) {
  const Comparison comparison = MakeComparison();
  auto saved = Save(comparison);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();

  // 乐都 (Haidong): one alert (household 3), its matched link; nothing of 大通 or 湟中.
  std::vector<FeedFinding> ledu_alerts = Alerts(kLeduScope, saved->upload_id);
  ASSERT_EQ(ledu_alerts.size(), 1u);
  EXPECT_EQ(ledu_alerts[0], comparison.alerts[1]);
  EXPECT_TRUE(ReviewItems(kLeduScope, 0).empty());
  std::vector<FeedLink> ledu_links = Links(kLeduScope, saved->upload_id);
  ASSERT_EQ(ledu_links.size(), 1u);
  ExpectSameLink(ledu_links[0], comparison.links[3]);

  // 大通: the other alert and the review item of household 1.
  std::vector<FeedFinding> datong_alerts = Alerts(kDatongScope, 0);
  ASSERT_EQ(datong_alerts.size(), 1u);
  EXPECT_EQ(datong_alerts[0], comparison.alerts[0]);
  EXPECT_EQ(ReviewItems(kDatongScope, saved->upload_id), comparison.review_items);
  for (const FeedLink& link : Links(kDatongScope, saved->upload_id)) {
    EXPECT_TRUE(kDatongScope.Contains(link.village_code)) << "row " << link.row << " leaked into 大通";
  }

  // A village with nothing matched, another prefecture's county, a scope with no villages at all.
  const DivisionScope village_a2 = DivisionScope::Of(kVillageA2, DivisionLevel::kVillage);
  EXPECT_TRUE(Alerts(village_a2, saved->upload_id).empty());
  EXPECT_TRUE(Links(village_a2, saved->upload_id).empty());
  EXPECT_EQ(ReviewItems(village_a2, 0), comparison.review_items);  // household 1 is in A2
  const DivisionScope nowhere{640000000000, 649999999999};
  EXPECT_TRUE(Alerts(nowhere, 0).empty());
  EXPECT_TRUE(ReviewItems(nowhere, 0).empty());
  EXPECT_TRUE(Links(nowhere, saved->upload_id).empty());
  std::size_t persons = 0;
  ASSERT_TRUE(links_->ScanLinkPersons(nowhere, [&](const LinkPersonView&) { ++persons; }).ok());
  EXPECT_EQ(persons, 0u);

  // The upload is found only in the scope it was compared in.
  EXPECT_FALSE(Find(kDatongScope, "medical", kSha).has_value());
  EXPECT_FALSE(Find(DivisionScope::All(), "civil_affairs", kSha).has_value());
  EXPECT_FALSE(Find(DivisionScope::All(), "medical", std::string(64, '0')).has_value());
}

TEST_F(LinkStoreTest, AFailingWriteLeavesNothingBehind) {
  const std::vector<FeedFinding> alerts_before = Alerts(DivisionScope::All(), 0);
  ASSERT_TRUE(alerts_before.empty());

  // 1. A finding outside the upload's scope: PermissionDenied, nothing written.
  Comparison outside = MakeComparison(kDatongScope);
  outside.links = {LinkTo(1, 0, 0, "exact", 1.0)};
  outside.alerts = {FindingFor("medical_out_of_pocket", 0, 0, 1),
                    FindingFor("medical_out_of_pocket", 3, 0, 2)};
  outside.review_items = {};
  auto denied = Save(outside);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(Find(kDatongScope, "medical", kSha).has_value());
  EXPECT_TRUE(Alerts(DivisionScope::All(), 0).empty());

  // 2. A link to a person outside the upload's scope: refused the same way.
  Comparison outside_link = MakeComparison(kDatongScope);
  outside_link.links = {LinkTo(1, 0, 0, "exact", 1.0), LinkTo(2, 3, 1, "exact", 1.0)};
  outside_link.alerts = {FindingFor("medical_out_of_pocket", 0, 0, 1)};
  outside_link.review_items = {};
  auto denied_link = Save(outside_link);
  ASSERT_FALSE(denied_link.ok());
  EXPECT_EQ(denied_link.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(Find(kDatongScope, "medical", kSha).has_value());
  EXPECT_TRUE(Alerts(DivisionScope::All(), 0).empty());

  // 3. The link stream fails half-way (e.g. the file became unreadable): the error
  //    comes back and neither the upload nor its first rows are kept.
  const Comparison comparison = MakeComparison();
  std::size_t next = 0;
  FeedLinkSource failing = [&](FeedLink* out) -> Result<bool> {
    if (next == 3) return DataLoss("第 4 行读取失败");
    *out = comparison.links[next++];
    return true;
  };
  auto failed = links_->SaveComparison(comparison.upload, failing, comparison.rejects, comparison.alerts,
                                       comparison.review_items);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(Find(DivisionScope::All(), "medical", kSha).has_value());
  EXPECT_TRUE(Alerts(DivisionScope::All(), 0).empty());
  EXPECT_TRUE(ReviewItems(DivisionScope::All(), 0).empty());

  // After the failures the same file saves normally, with exactly its own rows.
  auto saved = Save(comparison);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_FALSE(saved->already_stored);
  EXPECT_EQ(Alerts(DivisionScope::All(), 0), comparison.alerts);
  auto rejects = links_->ListRejects(saved->upload_id);
  ASSERT_TRUE(rejects.ok());
  EXPECT_EQ(rejects->size(), comparison.rejects.size());
  std::size_t matched = 0;
  for (const FeedLink& link : Links(DivisionScope::All(), saved->upload_id))
    matched += !link.id_number.empty();
  EXPECT_EQ(matched, 3u);
}

// SaveComparisonCompact: the same contract as SaveComparison — provenance,
// reads through ListLinks, idempotence (also across the two ways of saving),
// scope checks that write nothing.
TEST_F(LinkStoreTest, CompactSaveKeepsTheSameContract) {
  const Comparison comparison = MakeComparison();
  auto compact = SaveCompact(comparison);
  ASSERT_TRUE(compact.ok()) << compact.status().ToString();
  EXPECT_FALSE(compact->already_stored);
  std::optional<FeedUpload> upload = Find(DivisionScope::All(), "medical", kSha);
  ASSERT_TRUE(upload.has_value());
  EXPECT_EQ(upload->id, compact->upload_id);
  EXPECT_EQ(upload->uploader, comparison.upload.uploader);
  EXPECT_EQ(upload->file_name, comparison.upload.file_name);
  EXPECT_EQ(upload->rows_read, 5);
  EXPECT_EQ(upload->rows_rejected, 1);
  EXPECT_FALSE(upload->uploaded_at.empty());

  // The same links saved row by row under another hash read back identically.
  Comparison streamed = MakeComparison();
  streamed.upload.file_sha256 = std::string(64, 'c');
  auto saved = Save(streamed);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  for (const DivisionScope& scope : {DivisionScope::All(), kDatongScope, kLeduScope}) {
    const std::vector<FeedLink> a = Links(scope, compact->upload_id);
    const std::vector<FeedLink> b = Links(scope, saved->upload_id);
    ASSERT_EQ(a.size(), b.size());
    for (size_t idx = 0; idx < a.size(); ++idx) ExpectSameLink(a[idx], b[idx]);
  }
  for (const FeedLink& want : comparison.links) {
    bool found = false;
    for (const FeedLink& got : Links(DivisionScope::All(), compact->upload_id)) {
      if (got.row != want.row) continue;
      found = true;
      ExpectSameLink(got, want);
    }
    EXPECT_TRUE(found || want.id_number.empty()) << "row " << want.row;
  }
  for (const FeedLink& link : Links(kLeduScope, compact->upload_id))
    EXPECT_TRUE(kLeduScope.Contains(link.village_code));
  EXPECT_EQ(Alerts(DivisionScope::All(), compact->upload_id), comparison.alerts);
  EXPECT_EQ(ReviewItems(DivisionScope::All(), compact->upload_id), comparison.review_items);
  auto rejects = links_->ListRejects(compact->upload_id);
  ASSERT_TRUE(rejects.ok());
  EXPECT_EQ(rejects->size(), comparison.rejects.size());

  // Saving the file again, either way, changes nothing.
  const std::vector<FeedFinding> alerts_before = Alerts(DivisionScope::All(), 0);
  auto again = SaveCompact(comparison);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_stored);
  EXPECT_EQ(again->upload_id, compact->upload_id);
  auto again_streamed = Save(comparison);
  ASSERT_TRUE(again_streamed.ok());
  EXPECT_TRUE(again_streamed->already_stored);
  EXPECT_EQ(again_streamed->upload_id, compact->upload_id);
  EXPECT_EQ(Alerts(DivisionScope::All(), 0), alerts_before);
  EXPECT_EQ(Links(DivisionScope::All(), compact->upload_id).size(),
            Links(DivisionScope::All(), saved->upload_id).size());
}

TEST_F(LinkStoreTest, CompactSaveOutsideItsScopeWritesNothing) {
  Comparison outside = MakeComparison(kDatongScope);  // links/alerts in 湟中 and 乐都
  auto denied = SaveCompact(outside);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(Find(kDatongScope, "medical", kSha).has_value());
  EXPECT_TRUE(Alerts(DivisionScope::All(), 0).empty());
  EXPECT_TRUE(ReviewItems(DivisionScope::All(), 0).empty());

  // Only the links outside (findings inside): refused as well.
  Comparison link_outside = MakeComparison(kDatongScope);
  link_outside.alerts = {FindingFor("medical_out_of_pocket", 0, 0, 1)};
  auto denied_link = SaveCompact(link_outside);
  ASSERT_FALSE(denied_link.ok());
  EXPECT_EQ(denied_link.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(Find(kDatongScope, "medical", kSha).has_value());
  EXPECT_TRUE(Alerts(DivisionScope::All(), 0).empty());
}

TEST_F(LinkStoreTest, ReviewItemsAreNeverAppliedToTheRegistry) {
  const Comparison comparison = MakeComparison();  // says household 1's third member died
  ASSERT_TRUE(Save(comparison).ok());
  const Person& subject = PersonOf(0, 0);  // alerted, and living
  int checked = 0;
  ASSERT_TRUE(registry_
                  ->ScanHouseholds(DivisionScope::All(),
                                   [&](const HouseholdRecord& record) {
                                     for (size_t idx = 0; idx < households_.size(); ++idx) {
                                       if (households_[idx].household.household_number !=
                                           record.household.household_number)
                                         continue;
                                       EXPECT_EQ(record.members, households_[idx].members);
                                       EXPECT_EQ(record.household, households_[idx].household);
                                       ++checked;
                                     }
                                     return Status::Ok();
                                   })
                  .ok());
  EXPECT_EQ(checked, static_cast<int>(households_.size()));
  EXPECT_FALSE(subject.deceased);
}

}  // namespace
}  // namespace zx
