// Threshold signals written in the rule language (data/rules/signals.rules):
// thresholds, errors of the rule file, and equivalence with the former
// hard-coded logic.
#include "matching/signals.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <tuple>

#include "domain/resident_id.h"
#include "matching/feed_profile.h"
#include "matching/person_index.h"
#include "rules/rule_set.h"

namespace zx::matching {
namespace {

const FeedProfile& Profile(std::string_view kind) {
  static const FeedProfiles profiles = [] {
    Result<FeedProfiles> loaded = LoadDefaultFeedProfiles();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *std::move(loaded);
  }();
  return **profiles.Find(kind);
}

const Policy& DefaultPolicy() {
  static const Policy policy = [] {
    Result<Policy> loaded = LoadDefaultPolicy();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *std::move(loaded);
  }();
  return policy;
}

std::string Money(Fen fen) { return rules::FormatValue({rules::ValueType::kMoney}, fen); }

std::int32_t Days(const Date& date) { return static_cast<std::int32_t>(date.ToDays()); }

class SignalRulesTest : public ::testing::Test {
 protected:
  // Persons 0..count-1; even ones belong to ex-poor households.
  void MakeIndex(int count) {
    for (int idx = 0; idx < count; ++idx) {
      const Date birth = Date::FromDays(Date{1950, 1, 1}.ToDays() + idx / 1000);
      const std::string body =
          fmt::format("630121{:04d}{:02d}{:02d}{:03d}", birth.year, birth.month, birth.day, idx % 1000);
      ids_.push_back(body + ResidentIdCheckChar(body));
      households_.push_back(fmt::format("H{}", idx));
      LinkPersonView view;
      view.id_number = ids_.back();
      view.name = "测试";
      view.birth_date = birth;
      view.village_code = 630121100201;
      view.household_number = households_.back();
      view.ex_poor = idx % 2 == 0;
      view.deceased = idx % 5 == 4;
      index_.Add(view);
    }
    index_.Finish();
  }
  static SignalRow Row(std::int64_t row, std::int32_t person, Date date, Fen amount, Fen total_cost = -1) {
    SignalRow signal;
    signal.row = row;
    signal.person = person;
    signal.has_event_date = true;
    signal.event_days = Days(date);
    signal.has_amount = true;
    signal.amount = amount;
    signal.has_total_cost = total_cost >= 0;
    signal.total_cost = total_cost >= 0 ? total_cost : 0;
    return signal;
  }
  Result<SignalResult> Run(const FeedProfile& profile, const std::vector<SignalRow>& rows, Date as_of,
                           const std::string* text = nullptr) {
    SignalAccumulator accumulator(profile, DefaultPolicy(), index_);
    if (text != nullptr) accumulator.SetSignalRulesText(*text, "测试规则");
    accumulator.FixAsOf(as_of);
    for (const SignalRow& row : rows) accumulator.Add(row);
    return accumulator.Finish();
  }
  const FeedFinding* Find(const SignalResult& result, std::string_view kind, int person) {
    for (const FeedFinding& finding : result.alerts) {
      if (finding.kind == kind && finding.id_number == ids_[person]) return &finding;
    }
    return nullptr;
  }
  std::deque<std::string> ids_, households_;
  PersonIndex index_;
};

TEST_F(SignalRulesTest, DefaultRulesFireStrictlyAboveEachThreshold) {
  MakeIndex(12);
  const Policy& policy = DefaultPolicy();
  const Date as_of{2024, 12, 31};
  const Fen oop_monitored = *policy.MedicalOutOfPocketThreshold(2024, true);
  const Fen oop_others = *policy.MedicalOutOfPocketThreshold(2024, false);
  const Fen stay_monitored = policy.signals.hospital_stay_cost_monitored;
  const Fen stay_others = policy.signals.hospital_stay_cost_others;
  ASSERT_LT(oop_monitored, oop_others);
  ASSERT_LT(stay_monitored, stay_others);
  // Persons 0, 2, 4 ex-poor; 1, 3, 5 ordinary. Two rows each, the second
  // bringing the sum to: at, above (1 fen), and above the other threshold.
  const Fen sums[6] = {oop_monitored, oop_monitored + 1, oop_monitored - 1,
                       oop_others,    oop_others + 1,    oop_monitored + 1};
  const Fen stays[6] = {stay_monitored, stay_monitored + 1, stay_monitored - 1,
                        stay_others,    stay_others + 1,    stay_monitored + 1};
  std::vector<SignalRow> rows;
  for (int person = 0; person < 6; ++person) {
    rows.push_back(Row(2 * person + 1, person, {2024, 3, 1}, 100, stays[person]));
    rows.push_back(Row(2 * person + 2, person, {2024, 6, 1}, sums[person] - 100, 1));
    // Outside the window (a year and a day before as_of) and a later cheaper stay.
    rows.push_back(Row(100 + person, person, {2023, 12, 31}, Yuan(100000), 2));
  }
  Result<SignalResult> result = Run(Profile("medical"), rows, as_of);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto fires = [&](std::string_view kind, int person) { return Find(*result, kind, person) != nullptr; };
  // 0: ex-poor at; 1: ordinary 1 fen above the ex-poor threshold only;
  // 2: ex-poor below; 3: ordinary at; 4: ex-poor far above; 5: ordinary
  // above the ex-poor threshold only.
  const bool oop_expected[6] = {false, false, false, false, true, false};
  const bool stay_expected[6] = {false, false, false, false, true, false};
  for (int person = 0; person < 6; ++person) {
    EXPECT_EQ(fires("medical_out_of_pocket", person), oop_expected[person]) << person;
    EXPECT_EQ(fires("hospital_stay", person), stay_expected[person]) << person;
  }
  // Exactly at / one fen above for both household types, on top.
  std::vector<SignalRow> edge = {
      Row(1, 6, {2024, 12, 31}, oop_monitored, stay_monitored),          // ex-poor at
      Row(2, 8, {2024, 12, 31}, oop_monitored + 1, stay_monitored + 1),  // ex-poor above
      Row(3, 7, {2024, 1, 2}, oop_others, stay_others),                  // ordinary at (window's first day)
      Row(4, 9, {2024, 1, 2}, oop_others + 1, stay_others + 1),          // ordinary above
      Row(5, 10, {2024, 1, 1}, oop_others + 1, 0),                       // a day before the window
  };
  Result<SignalResult> at = Run(Profile("medical"), edge, as_of);
  ASSERT_TRUE(at.ok()) << at.status().ToString();
  EXPECT_EQ(at->alerts.size(), 4u);
  for (int person : {6, 7, 10}) {
    EXPECT_EQ(Find(*at, "medical_out_of_pocket", person), nullptr) << person;
    EXPECT_EQ(Find(*at, "hospital_stay", person), nullptr) << person;
  }
  const FeedFinding* oop = Find(*at, "medical_out_of_pocket", 8);
  ASSERT_NE(oop, nullptr);
  EXPECT_EQ(oop->value, oop_monitored + 1);
  EXPECT_EQ(oop->threshold, oop_monitored);
  EXPECT_EQ(oop->row, 2);
  EXPECT_EQ(oop->household_number, "H8");
  EXPECT_EQ(
      oop->detail,
      fmt::format(
          "医保：2024-01-02 至 2024-12-31 个人自付合计 {} 元，超过脱贫户标准 {} 元（2024 年上年农村居民人均可"
          "支配收入的 {}%）",
          Money(oop_monitored + 1), Money(oop_monitored),
          policy.signals.medical_out_of_pocket_percent_monitored));
  const FeedFinding* stay = Find(*at, "hospital_stay", 9);
  ASSERT_NE(stay, nullptr);
  EXPECT_EQ(stay->value, stay_others + 1);
  EXPECT_EQ(stay->threshold, stay_others);
  EXPECT_EQ(stay->row, 4);
  EXPECT_EQ(stay->detail, fmt::format("医保结算：一次就医总费用 {} 元，超过一般农户的 {} 元",
                                      Money(stay_others + 1), Money(stay_others)));
  EXPECT_EQ(Find(*at, "medical_out_of_pocket", 9)->threshold, oop_others);
  EXPECT_EQ(Find(*at, "hospital_stay", 8)->threshold, stay_monitored);
}

TEST_F(SignalRulesTest, SchoolingCostOnTheEducationFeedOnly) {
  MakeIndex(4);
  const Fen limit = DefaultPolicy().signals.non_compulsory_schooling_cost;
  ASSERT_GT(limit, 0);
  std::vector<SignalRow> rows = {
      Row(1, 0, {2024, 9, 1}, limit),        // at: no
      Row(2, 1, {2024, 9, 1}, limit + 1),    // above
      Row(3, 1, {2024, 10, 1}, limit + 50),  // the larger one is the value
      Row(4, 2, {2023, 9, 1}, limit + 2),    // any date counts
      Row(5, 3, {2024, 9, 1}, limit - 1),    // below
  };
  for (SignalRow& row : rows) row.category = "在读";
  Result<SignalResult> result = Run(Profile("education"), rows, {2024, 12, 31});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->alerts_by_kind.count("schooling_cost"), 1u);
  EXPECT_EQ(result->alerts_by_kind.at("schooling_cost"), 2);
  EXPECT_EQ(Find(*result, "schooling_cost", 0), nullptr);
  const FeedFinding* one = Find(*result, "schooling_cost", 1);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->value, limit + 50);
  EXPECT_EQ(one->threshold, limit);
  EXPECT_EQ(one->row, 3);
  EXPECT_EQ(one->detail,
            fmt::format("教育学籍：非义务教育阶段费用 {} 元，超过 {} 元", Money(limit + 50), Money(limit)));
  EXPECT_NE(Find(*result, "schooling_cost", 2), nullptr);
  // The same amounts in a medical file raise no schooling alert, and a
  // civil-affairs file none of the threshold kinds.
  Result<SignalResult> medical = Run(Profile("medical"), rows, {2024, 12, 31});
  ASSERT_TRUE(medical.ok());
  EXPECT_EQ(medical->alerts_by_kind.count("schooling_cost"), 0u);
  Result<SignalResult> civil = Run(Profile("civil_affairs"), rows, {2024, 12, 31});
  ASSERT_TRUE(civil.ok());
  EXPECT_EQ(civil->alerts_by_kind.count("schooling_cost"), 0u);
  EXPECT_EQ(civil->alerts_by_kind.count("hospital_stay"), 0u);
}

TEST_F(SignalRulesTest, BrokenRuleFilesAreChineseErrorsWithLineAndColumn) {
  MakeIndex(2);
  const std::vector<SignalRow> rows = {Row(1, 0, {2024, 5, 1}, Yuan(10), Yuan(10))};
  struct BadCase {
    std::string text;
    std::string expected;
  };
  const BadCase cases[] = {
      {"rule A \"甲\" kind hospital_stay {\n  when max_total_cost > \n  explain \"x\"\n}\n",
       "第 3 行第 3 列"},
      {"rule A \"甲\" kind hospital_stay {\n  when per_capita_net_income > 1元 explain \"x\"\n}\n",
       "第 2 行第 8 列：per_capita_net_income 是户字段"},
      {"rule A \"甲\" kind hospital_stay {\n  when any(m: m.age > 60) explain \"x\"\n}\n", "第 2 行第 8 列"},
      {"\nrule A \"甲\" kind bogus {\n  when rows > 1 explain \"x\"\n}\n",
       "第 2 行第 1 列：规则 A 的 kind “bogus”"},
      {"rule A \"甲\" {\n  when rows > 1 explain \"x\"\n}\n", "规则 A 的 kind 缺失"},
      {"rule A \"甲\" kind schooling_cost {\n  when rows > policy.nothing explain \"x\"\n}\n",
       "第 2 行第 15 列：未知的政策参数 policy.nothing"},
  };
  for (const BadCase& bad : cases) {
    Result<SignalResult> result = Run(Profile("medical"), rows, {2024, 12, 31}, &bad.text);
    ASSERT_FALSE(result.ok()) << bad.text;
    EXPECT_NE(result.status().message().find("预警规则文件 测试规则："), std::string::npos)
        << result.status().message();
    EXPECT_NE(result.status().message().find(bad.expected), std::string::npos)
        << bad.expected << " in " << result.status().message();
  }
  // A missing file is an error naming it, never a silent fallback.
  SignalAccumulator accumulator(Profile("medical"), DefaultPolicy(), index_);
  accumulator.SetSignalRulesPath("/nonexistent/signals.rules");
  accumulator.FixAsOf({2024, 12, 31});
  accumulator.Add(rows[0]);
  Result<SignalResult> missing = accumulator.Finish();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(missing.status().message().find("无法读取预警规则文件 /nonexistent/signals.rules"),
            std::string::npos);
  // The default file is found and valid.
  EXPECT_EQ(DefaultSignalRulesPath(), std::string(ZX_DATA_DIR) + "/rules/signals.rules");
  EXPECT_TRUE(Run(Profile("medical"), rows, {2024, 12, 31}).ok());
}

TEST_F(SignalRulesTest, RuleTextDecidesAndFirstRuleOfAKindExplains) {
  MakeIndex(5);
  const std::string text =
      "rule LOW \"低\" kind hospital_stay { when max_total_cost > 100元 and rows >= 2 explain \"甲 {rows}\" "
      "}\n"
      "rule ANY \"任一\" kind hospital_stay { when max_total_cost > 100元 explain \"乙 {max_total_cost}\" }\n"
      "rule DEAD \"已故\" kind medical_out_of_pocket { when deceased explain \"丙\" }\n";
  const std::vector<SignalRow> rows = {
      Row(1, 0, {2024, 5, 1}, 0, Yuan(101)), Row(2, 0, {2024, 5, 2}, 0, 0),  // both rules: LOW
      Row(3, 1, {2024, 5, 1}, 0, Yuan(101)),                                 // ANY only
      Row(4, 4, {2024, 5, 1}, 0, Yuan(100)),                                 // at: none; deceased
  };
  Result<SignalResult> result = Run(Profile("medical"), rows, {2024, 12, 31}, &text);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_NE(Find(*result, "hospital_stay", 0), nullptr);
  EXPECT_EQ(Find(*result, "hospital_stay", 0)->detail, "甲 2");
  EXPECT_EQ(Find(*result, "hospital_stay", 0)->row, 1);
  EXPECT_EQ(Find(*result, "hospital_stay", 1)->detail, "乙 101");
  EXPECT_EQ(Find(*result, "hospital_stay", 4), nullptr);
  ASSERT_NE(Find(*result, "medical_out_of_pocket", 4), nullptr);  // person 4 is registered deceased
  EXPECT_EQ(Find(*result, "medical_out_of_pocket", 4)->row, 4);
  EXPECT_EQ(result->alerts.size(), 3u);
}

// The former hard-coded logic, kept here as the reference: 12-month sums
// over (as_of - 365, as_of] against the policy percentages, one stay's total
// cost against the hospital-stay threshold and one education row's amount
// against the schooling threshold, all strict ">" and disabled by a zero
// threshold. The value of a stay / schooling finding is now the LARGEST
// cost above the threshold (formerly that of the latest such row); which
// persons are alerted, the thresholds, the sums and their rows are as before.
struct Expected {
  std::string kind;
  std::string id;
  Fen value;
  Fen threshold;
  std::int64_t row;
  std::string detail;
  auto Key() const { return std::tie(kind, id, value, threshold, row, detail); }
};

class SignalEquivalenceTest : public SignalRulesTest {
 protected:
  void Check(int persons, int row_count);
};

// 300 persons: Finish evaluates on one thread; 70,000: on two.
TEST_F(SignalEquivalenceTest, SameFindingsAsTheFormerHardCodedLogic) { Check(300, 6000); }
TEST_F(SignalEquivalenceTest, SameFindingsOnTwoThreads) { Check(70000, 60000); }

void SignalEquivalenceTest::Check(int persons, int row_count) {
  MakeIndex(persons);
  const Policy& policy = DefaultPolicy();
  std::mt19937 random(20241231);
  for (const char* kind : {"medical", "education"}) {
    const FeedProfile& profile = Profile(kind);
    const bool medical = std::string_view(kind) == "medical";
    const Date as_of{2024, 12, 31};
    const std::int32_t end = Days(as_of);
    std::vector<SignalRow> rows;
    for (int idx = 0; idx < row_count; ++idx) {
      SignalRow row;
      row.row = idx + 1;
      // Some unlinked; with many persons, most rows on a few so that sums add up.
      const int spread = persons > 1000 && idx % 4 != 0 ? 300 : persons;
      row.person = static_cast<std::int32_t>(random() % static_cast<unsigned>(spread + 30)) - 30;
      row.has_event_date = random() % 10 != 0;
      row.event_days = end - static_cast<std::int32_t>(random() % 500);
      row.has_amount = random() % 12 != 0;
      row.amount = static_cast<Fen>(random() % 1400000);  // up to 14,000 yuan
      row.has_total_cost = random() % 3 != 0;
      row.total_cost = static_cast<Fen>(random() % 3000000);
      row.category = "在读";
      rows.push_back(row);
    }
    // Reference.
    int year = as_of.year;
    const Fen oop[2] = {*policy.MedicalOutOfPocketThreshold(year, false),
                        *policy.MedicalOutOfPocketThreshold(year, true)};
    const int percent[2] = {policy.signals.medical_out_of_pocket_percent_others,
                            policy.signals.medical_out_of_pocket_percent_monitored};
    const Fen stay[2] = {policy.signals.hospital_stay_cost_others,
                         policy.signals.hospital_stay_cost_monitored};
    const Fen schooling = policy.signals.non_compulsory_schooling_cost;
    std::vector<Fen> sums(index_.size(), 0), stay_max(index_.size(), -1), school_max(index_.size(), -1);
    std::vector<std::int64_t> sum_row(index_.size(), 0), stay_row(index_.size(), 0),
        school_row(index_.size(), 0);
    for (const SignalRow& row : rows) {
      if (row.person < 0) continue;
      const int poor = index_.household_of(row.person).ex_poor ? 1 : 0;
      if (row.has_event_date && row.has_amount && row.event_days > end - 365 && row.event_days <= end) {
        sums[row.person] += row.amount;
        sum_row[row.person] = std::max(sum_row[row.person], row.row);
      }
      if (row.has_total_cost && stay[poor] > 0 && row.total_cost > stay[poor] &&
          row.total_cost >= stay_max[row.person]) {
        stay_max[row.person] = row.total_cost;
        stay_row[row.person] = row.row;
      }
      if (row.has_amount && schooling > 0 && row.amount > schooling && row.amount >= school_max[row.person]) {
        school_max[row.person] = row.amount;
        school_row[row.person] = row.row;
      }
    }
    std::vector<Expected> expected;
    for (std::size_t idx = 0; idx < index_.size(); ++idx) {
      const auto person = static_cast<std::int32_t>(idx);
      const int poor = index_.household_of(person).ex_poor ? 1 : 0;
      const char* who = poor ? "脱贫户" : "一般农户";
      if (medical && sums[idx] != 0 && sums[idx] > oop[poor]) {
        expected.push_back(
            {"medical_out_of_pocket", ids_[idx], sums[idx], oop[poor], sum_row[idx],
             fmt::format("医保：{} 至 {} 个人自付合计 {} 元，超过{}标准 {} 元（{} 年上年农村居民"
                         "人均可支配收入的 {}%）",
                         Date::FromDays(end - 364).ToIso(), as_of.ToIso(), Money(sums[idx]), who,
                         Money(oop[poor]), year, percent[poor])});
      }
      if (medical && stay_row[idx] != 0) {
        expected.push_back({"hospital_stay", ids_[idx], stay_max[idx], stay[poor], stay_row[idx],
                            fmt::format("医保结算：一次就医总费用 {} 元，超过{}的 {} 元",
                                        Money(stay_max[idx]), who, Money(stay[poor]))});
      }
      if (!medical && school_row[idx] != 0) {
        expected.push_back({"schooling_cost", ids_[idx], school_max[idx], schooling, school_row[idx],
                            fmt::format("教育学籍：非义务教育阶段费用 {} 元，超过 {} 元",
                                        Money(school_max[idx]), Money(schooling))});
      }
    }
    ASSERT_GT(expected.size(), 20u) << kind;
    auto by_key = [](const Expected& a, const Expected& b) { return a.Key() < b.Key(); };
    std::sort(expected.begin(), expected.end(), by_key);

    // Fixed as-of date with the rows split over two merged accumulators, and
    // the as-of date given only to Finish: the same findings.
    for (int mode = 0; mode < 2; ++mode) {
      SignalAccumulator first(profile, policy, index_);
      SignalAccumulator second(profile, policy, index_);
      if (mode == 0) {
        first.FixAsOf(as_of);
        second.FixAsOf(as_of);
      }
      for (std::size_t idx = 0; idx < rows.size(); ++idx)
        (idx < rows.size() * 2 / 5 ? first : second).Add(rows[idx]);
      first.Merge(std::move(second));
      Result<SignalResult> result = mode == 0 ? first.Finish() : first.Finish(&as_of);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      std::vector<Expected> got;
      for (const FeedFinding& finding : result->alerts) {
        if (finding.kind == profile.alert_kind && !medical) continue;  // per-row category alerts
        got.push_back(
            {finding.kind, finding.id_number, finding.value, finding.threshold, finding.row, finding.detail});
      }
      std::sort(got.begin(), got.end(), by_key);
      ASSERT_EQ(got.size(), expected.size()) << kind << " mode " << mode;
      for (std::size_t idx = 0; idx < got.size(); ++idx) {
        EXPECT_EQ(got[idx].Key(), expected[idx].Key())
            << kind << " mode " << mode << ": " << got[idx].kind << " " << got[idx].id << " "
            << got[idx].detail << " vs " << expected[idx].detail;
      }
    }
  }
}

}  // namespace
}  // namespace zx::matching
