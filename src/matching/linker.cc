#include "matching/linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <thread>

#include "common/text.h"
#include "domain/resident_id.h"

namespace zx::matching {
namespace {

constexpr int kName = 0;
constexpr int kBirth = 1;
constexpr int kSex = 2;
constexpr int kCounty = 3;
constexpr int kMissing = -1;
constexpr double kMinProbability = 1e-6;

constexpr std::string_view kNameLevelLabels[] = {"姓名一致", "姓名为同音/形近字", "姓名部分一致", "姓名不同"};
constexpr std::string_view kBirthLevelLabels[] = {"出生日期一致", "出生日期年月日之一不同", "出生日期不同"};

// Comparison vector of one row–person pair; kMissing where the row lacks the value.
struct Comparison {
  std::array<int, FsParameters::kFields> level{};
};

int BirthLevel(std::int32_t row_days, std::int32_t person_days) {
  if (row_days == INT32_MIN) return kMissing;
  if (row_days == person_days) return 0;
  const Date a = Date::FromDays(row_days);
  const Date b = Date::FromDays(person_days);
  const int differing = (a.year != b.year) + (a.month != b.month) + (a.day != b.day);
  return differing == 1 ? 1 : 2;
}

int LevelCount(int field) { return field == kName ? 4 : field == kBirth ? 3 : 2; }

bool DigitsOnly(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view MatchClassId(MatchClass match_class) {
  switch (match_class) {
    case MatchClass::kExact:
      return "exact";
    case MatchClass::kUpgraded:
      return "upgraded";
    case MatchClass::kRepaired:
      return "repaired";
    case MatchClass::kProbabilistic:
      return "probabilistic";
    case MatchClass::kUnmatched:
      return "unmatched";
  }
  return "unmatched";
}

std::string_view MatchClassLabel(MatchClass match_class) {
  switch (match_class) {
    case MatchClass::kExact:
      return "身份证号一致";
    case MatchClass::kUpgraded:
      return "15 位身份证号升级后一致";
    case MatchClass::kRepaired:
      return "身份证号修复后一致";
    case MatchClass::kProbabilistic:
      return "概率匹配";
    case MatchClass::kUnmatched:
      return "未匹配";
  }
  return "未匹配";
}

Linker::Linker(const PersonIndex& index, NameNormalizer& normalizer, LinkerOptions options)
    : index_(index), normalizer_(normalizer), options_(options) {}

void Linker::FillRecord(const LinkInput& input, const std::string& normalized_id, std::string name,
                        ProbabilisticRecord* record) {
  record->name = std::move(name);
  record->had_id = !normalized_id.empty();
  if (!record->name.empty()) {
    const std::string key = normalizer_.VariantKey(record->name);
    record->name_key_hash = PersonIndex::HashText(key);
    record->name_signature = NameSignature(key);
  } else {
    record->name_key_hash = 0;
    record->name_signature = 0;
  }
  record->birth_days = INT32_MIN;
  record->sex = input.sex;
  record->county = input.county;
  if (input.has_birth_date) {
    record->birth_days = static_cast<std::int32_t>(input.birth_date.ToDays());
  } else if (normalized_id.size() == 15 && DigitsOnly(normalized_id)) {
    // A legacy 15-digit ID holds the birth date as YYMMDD of the 1900s.
    Result<Date> date = ParseDate("19" + normalized_id.substr(6, 6));
    if (date.ok()) record->birth_days = static_cast<std::int32_t>(date->ToDays());
  } else if (normalized_id.size() >= 14 && DigitsOnly(std::string_view(normalized_id).substr(6, 8))) {
    // The birth date inside a damaged ID is still evidence when the row has no birth-date column.
    Result<Date> date = ParseDate(std::string_view(normalized_id).substr(6, 8));
    if (date.ok()) record->birth_days = static_cast<std::int32_t>(date->ToDays());
  }
  if (record->county == 0 && normalized_id.size() >= 6 &&
      DigitsOnly(std::string_view(normalized_id).substr(0, 6))) {
    record->county = std::stoi(normalized_id.substr(0, 6));
  }
  if (record->sex == 0 && normalized_id.size() == 18 && normalized_id[16] >= '0' &&
      normalized_id[16] <= '9') {
    record->sex = (normalized_id[16] - '0') % 2 == 1 ? 1 : 2;
  } else if (record->sex == 0 && normalized_id.size() == 15 && DigitsOnly(normalized_id)) {
    record->sex = (normalized_id[14] - '0') % 2 == 1 ? 1 : 2;
  }
}

LinkOutcome Linker::TryRepair(const std::string& normalized, const LinkInput& input,
                              const std::string& name) {
  LinkOutcome outcome;
  std::vector<std::pair<std::int32_t, std::string>> confirmed;
  int found_candidates = 0;
  auto consider = [&](const std::string& candidate, const char* how) {
    const std::uint64_t key = IdKeyOfValid18(candidate);
    if (key == 0) return;
    const std::int32_t person = index_.Find(key);
    if (person < 0) return;
    ++found_candidates;
    const NameAgreement agreement = CompareNames(name, index_.name(person), normalizer_);
    if (agreement != NameAgreement::kExact && agreement != NameAgreement::kVariant) return;
    if (input.has_birth_date && input.birth_date != index_.birth_date(person)) return;
    if (input.sex != 0 && input.sex != index_.person(person).sex) return;
    for (const auto& [other, unused] : confirmed) {
      if (other == person) return;
    }
    confirmed.emplace_back(person, how);
  };
  std::string candidate = normalized;
  for (int position = 0; position < 18; ++position) {
    const char original = normalized[position];
    if (position == 17) {
      if (!DigitsOnly(std::string_view(normalized).substr(0, 17))) break;
      candidate[17] = ResidentIdCheckChar(std::string_view(normalized).substr(0, 17));
      if (candidate[17] != original) consider(candidate, "校验位");
      candidate[17] = original;
      break;
    }
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == original) continue;
      candidate[position] = digit;
      consider(candidate, "单个数字错误");
    }
    candidate[position] = original;
  }
  for (int position = 0; position + 1 < 18; ++position) {
    if (normalized[position] == normalized[position + 1]) continue;
    std::swap(candidate[position], candidate[position + 1]);
    consider(candidate, "相邻两位颠倒");
    std::swap(candidate[position], candidate[position + 1]);
  }
  if (confirmed.size() == 1) {
    outcome.match_class = MatchClass::kRepaired;
    outcome.person = confirmed[0].first;
    outcome.score = 0.99;
    outcome.reason = fmt::format("身份证号码校验失败，按{}修复为 {}，姓名{}一致", confirmed[0].second,
                                 MaskResidentId(IdOfKey(index_.person(outcome.person).id_key)),
                                 input.has_birth_date ? "、出生日期" : "");
    return outcome;
  }
  outcome.needs_probabilistic = true;
  outcome.reason =
      confirmed.size() > 1
          ? fmt::format("身份证号码校验失败，有 {} 个修复结果都与姓名相符，无法确定", confirmed.size())
          : fmt::format("身份证号码校验失败，{} 个修复候选都不能由姓名和出生日期确认", found_candidates);
  return outcome;
}

std::uint64_t NormalizedIdKey(std::string_view raw_id, bool* upgraded, bool* changed) {
  *upgraded = false;
  *changed = false;
  const std::string normalized = NormalizeResidentId(raw_id);
  *changed = normalized != raw_id;
  if (normalized.size() == 18) return IdKeyOfValid18(normalized);
  if (normalized.size() == 15 && DigitsOnly(normalized)) {
    *upgraded = true;
    return IdKeyOfValid18(UpgradeResidentId15(normalized));
  }
  return 0;
}

LinkOutcome Linker::LinkDeterministic(const LinkInput& input, ProbabilisticRecord* record) {
  LinkOutcome outcome;
  const std::string normalized = NormalizeResidentId(input.id_number);
  auto to_probabilistic = [&](std::string why) {
    if (options_.id_only) {
      outcome.match_class = MatchClass::kUnmatched;
      outcome.reason = why + "（仅按身份证号码比对，未做修复和概率匹配）";
      return outcome;
    }
    outcome.needs_probabilistic = true;
    outcome.reason = why;
    FillRecord(input, normalized, normalizer_.Normalize(input.name), record);
    record->why = std::move(why);
    return outcome;
  };
  if (normalized.empty()) return to_probabilistic("没有身份证号码");
  if (normalized.size() == 18) {
    const std::uint64_t key = IdKeyOfValid18(normalized);
    if (key != 0) {
      const std::int32_t person = index_.Find(key);
      if (person >= 0) {
        outcome.match_class = MatchClass::kExact;
        outcome.person = person;
        outcome.score = 1.0;
        outcome.reason = std::string(normalized == input.id_number ? kReasonSameId : kReasonNormalizedId);
        return outcome;
      }
      outcome.match_class = MatchClass::kUnmatched;
      outcome.reason = kReasonNotInRegistry;
      return outcome;
    }
    if (options_.id_only) return to_probabilistic("身份证号码校验失败");
    if (DigitsOnly(std::string_view(normalized).substr(0, 17)) ||
        normalized.find_first_not_of("0123456789X") == std::string::npos) {
      const std::string name = normalizer_.Normalize(input.name);
      LinkOutcome repaired = TryRepair(normalized, input, name);
      if (!repaired.needs_probabilistic) return repaired;
      FillRecord(input, normalized, name, record);
      record->why = repaired.reason;
      return repaired;
    }
    return to_probabilistic("身份证号码含有非数字字符");
  }
  if (normalized.size() == 15 && DigitsOnly(normalized)) {
    const std::string upgraded = UpgradeResidentId15(normalized);
    const std::int32_t person = index_.Find(IdKeyOfValid18(upgraded));
    if (person >= 0) {
      outcome.match_class = MatchClass::kUpgraded;
      outcome.person = person;
      outcome.score = 1.0;
      outcome.reason = kReasonUpgradedId;
      return outcome;
    }
    return to_probabilistic("15 位身份证号码升级后登记库中没有此号码");
  }
  return to_probabilistic(fmt::format("身份证号码长度为 {} 位（应为 18 或 15 位）", Utf8Length(normalized)));
}

std::vector<LinkOutcome> Linker::LinkProbabilistic(PersonIndex& index,
                                                   const std::vector<ProbabilisticRecord>& records,
                                                   FsParameters* parameters) {
  std::vector<LinkOutcome> outcomes(records.size());
  FsParameters params;
  if (records.empty() || index.size() == 0) {
    for (std::size_t idx = 0; idx < records.size(); ++idx) {
      outcomes[idx].reason = records[idx].why + "；登记库为空，无法概率匹配";
    }
    if (parameters != nullptr) *parameters = params;
    return outcomes;
  }
  index.BuildBlocks(normalizer_);

  auto compare = [&](const ProbabilisticRecord& record, std::int32_t person) {
    const PersonIndex::Profile& candidate = index.profile(person);
    Comparison comparison;
    // Most blocked candidates share no character with the row's name: the
    // signatures tell so without reading the name (NameSignature).
    comparison.level[kName] =
        record.name.empty() ? kMissing
        : (record.name_signature & candidate.name_signature) == 0
            ? static_cast<int>(NameAgreement::kDisagree)
            : static_cast<int>(CompareNames(record.name, index.name(candidate), normalizer_));
    comparison.level[kBirth] = BirthLevel(record.birth_days, candidate.birth_days);
    comparison.level[kSex] = record.sex == 0 ? kMissing : (record.sex == candidate.sex ? 0 : 1);
    comparison.level[kCounty] = record.county == 0 ? kMissing : (record.county == candidate.county ? 0 : 1);
    return comparison;
  };
  auto pattern_of = [](const Comparison& comparison) {
    int pattern = 0;
    for (int field = 0; field < FsParameters::kFields; ++field)
      pattern = pattern * 5 + (comparison.level[field] + 1);
    return pattern;
  };
  auto levels_of = [](int pattern) {
    Comparison comparison;
    for (int field = FsParameters::kFields - 1; field >= 0; --field) {
      comparison.level[field] = pattern % 5 - 1;
      pattern /= 5;
    }
    return comparison;
  };

  // u from random row–person pairs (almost all non-matches).
  std::mt19937_64 random(options_.seed);
  std::array<std::array<double, FsParameters::kLevels>, FsParameters::kFields> u_counts{};
  const std::size_t samples = std::max<std::size_t>(options_.u_sample_pairs, 1000);
  for (std::size_t sample = 0; sample < samples; ++sample) {
    const ProbabilisticRecord& record = records[random() % records.size()];
    const auto person = static_cast<std::int32_t>(random() % index.size());
    const Comparison comparison = compare(record, person);
    for (int field = 0; field < FsParameters::kFields; ++field) {
      if (comparison.level[field] != kMissing) u_counts[field][comparison.level[field]] += 1;
    }
  }
  for (int field = 0; field < FsParameters::kFields; ++field) {
    double total = 0;
    for (int level = 0; level < LevelCount(field); ++level) total += u_counts[field][level] + 0.5;
    for (int level = 0; level < LevelCount(field); ++level) {
      params.u[field][level] = std::max((u_counts[field][level] + 0.5) / total, kMinProbability);
    }
  }

  // Blocked pairs: pattern counts for EM, candidate lists for scoring.
  // Records are split into contiguous ranges, one per thread; the counts
  // are whole numbers, so their sum does not depend on the split.
  constexpr int kPatterns = 5 * 5 * 5 * 5;
  const std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options_.threads, 1)),
                                                      1, std::max<std::size_t>(records.size() / 1000, 1));
  auto in_ranges = [&records,
                    threads](const std::function<void(std::size_t, std::size_t, std::size_t)>& work) {
    std::vector<std::thread> workers;
    const std::size_t step = (records.size() + threads - 1) / threads;
    for (std::size_t part = 1; part < threads; ++part) {
      workers.emplace_back(work, part, std::min(records.size(), part * step),
                           std::min(records.size(), (part + 1) * step));
    }
    work(0, 0, std::min(records.size(), step));
    for (std::thread& worker : workers) worker.join();
  };
  std::vector<std::vector<double>> part_counts(threads, std::vector<double>(kPatterns, 0));
  std::vector<std::int64_t> part_pairs(threads, 0);
  std::vector<std::vector<std::pair<std::int32_t, Comparison>>> candidates(records.size());
  in_ranges([&](std::size_t part, std::size_t begin, std::size_t end) {
    std::vector<double> counts(kPatterns, 0);  // written back once: no shared cache line
    std::int64_t pairs = 0;
    std::vector<std::int32_t> block;
    for (std::size_t record_idx = begin; record_idx < end; ++record_idx) {
      const ProbabilisticRecord& record = records[record_idx];
      const int birth_year = record.birth_days == INT32_MIN ? 0 : Date::FromDays(record.birth_days).year;
      index.Candidates(record.name_key_hash, record.birth_days, record.county, birth_year,
                       options_.max_block_size, &block);
      constexpr std::size_t kAhead = 8;  // prefetch distance (profiles are cache misses)
      for (std::size_t idx = 0; idx < std::min(kAhead, block.size()); ++idx)
        index.PrefetchProfile(block[idx]);
      for (std::size_t idx = 0; idx < block.size(); ++idx) {
        if (idx + kAhead < block.size()) index.PrefetchProfile(block[idx + kAhead]);
        if (idx + kAhead / 2 < block.size()) index.PrefetchName(index.profile(block[idx + kAhead / 2]));
        const std::int32_t person = block[idx];
        const Comparison comparison = compare(record, person);
        counts[pattern_of(comparison)] += 1;
        candidates[record_idx].emplace_back(person, comparison);
        ++pairs;
      }
    }
    part_counts[part] = std::move(counts);
    part_pairs[part] = pairs;
  });
  std::vector<double> pattern_counts(kPatterns, 0);
  for (std::size_t part = 0; part < threads; ++part) {
    for (int pattern = 0; pattern < kPatterns; ++pattern)
      pattern_counts[pattern] += part_counts[part][pattern];
    params.blocked_pairs += part_pairs[part];
  }

  // EM for m and the prior, u fixed.
  const std::array<std::array<double, 4>, 4> initial_m = {
      {{0.85, 0.08, 0.05, 0.02}, {0.9, 0.07, 0.03, 0}, {0.97, 0.03, 0, 0}, {0.95, 0.05, 0, 0}}};
  params.m = initial_m;
  params.prior = 0.1;
  for (int iteration = 0; iteration < options_.em_iterations; ++iteration) {
    std::array<std::array<double, 4>, 4> m_sums{};
    std::array<double, 4> m_totals{};
    double match_weight = 0, total_weight = 0;
    for (int pattern = 0; pattern < kPatterns; ++pattern) {
      const double count = pattern_counts[pattern];
      if (count == 0) continue;
      const Comparison comparison = levels_of(pattern);
      double pm = params.prior, pu = 1 - params.prior;
      for (int field = 0; field < FsParameters::kFields; ++field) {
        const int level = comparison.level[field];
        if (level == kMissing) continue;
        pm *= params.m[field][level];
        pu *= params.u[field][level];
      }
      const double posterior = pm / (pm + pu);
      match_weight += count * posterior;
      total_weight += count;
      for (int field = 0; field < FsParameters::kFields; ++field) {
        const int level = comparison.level[field];
        if (level == kMissing) continue;
        m_sums[field][level] += count * posterior;
        m_totals[field] += count * posterior;
      }
    }
    if (total_weight == 0 || match_weight == 0) break;
    params.prior = std::clamp(match_weight / total_weight, kMinProbability, 1 - kMinProbability);
    for (int field = 0; field < FsParameters::kFields; ++field) {
      if (m_totals[field] == 0) continue;
      for (int level = 0; level < LevelCount(field); ++level) {
        params.m[field][level] = std::clamp(m_sums[field][level] / m_totals[field], kMinProbability, 1.0);
      }
    }
    params.iterations = iteration + 1;
  }

  // Scoring and decisions.
  const double persons = static_cast<double>(index.size());
  const double prior_odds = std::log2(params.prior / (1 - params.prior));
  in_ranges([&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t record_idx = begin; record_idx < end; ++record_idx) {
      const ProbabilisticRecord& record = records[record_idx];
      LinkOutcome& outcome = outcomes[record_idx];
      double best = -1e300, second = -1e300;
      std::int32_t best_person = -1;
      Comparison best_comparison;
      for (const auto& [person, comparison] : candidates[record_idx]) {
        double weight = 0;
        for (int field = 0; field < FsParameters::kFields; ++field) {
          const int level = comparison.level[field];
          if (level == kMissing) continue;
          double u = params.u[field][level];
          if (field == kName && level == 0) {
            // Term frequency: agreeing on a common name is weaker evidence.
            u = std::max(static_cast<double>(index.NameKeyCount(record.name_key_hash)) / persons,
                         0.5 / persons);
          }
          weight += std::log2(params.m[field][level] / u);
        }
        if (weight > best) {
          second = best;
          best = weight;
          best_person = person;
          best_comparison = comparison;
        } else if (weight > second) {
          second = weight;
        }
      }
      if (best_person < 0) {
        outcome.reason = record.why + "；没有出生日期、区县或姓名相同的候选人";
        continue;
      }
      const double log_odds = best + prior_odds;
      const double posterior = log_odds > 60 ? 1.0 : std::exp2(log_odds) / (1 + std::exp2(log_odds));
      std::string evidence;
      if (best_comparison.level[kName] != kMissing)
        evidence += kNameLevelLabels[best_comparison.level[kName]];
      if (best_comparison.level[kBirth] != kMissing) {
        evidence += fmt::format("、{}", kBirthLevelLabels[best_comparison.level[kBirth]]);
      }
      if (best_comparison.level[kSex] != kMissing)
        evidence += best_comparison.level[kSex] == 0 ? "、性别一致" : "、性别不同";
      if (best_comparison.level[kCounty] != kMissing) {
        evidence += best_comparison.level[kCounty] == 0 ? "、区县一致" : "、区县不同";
      }
      outcome.score = posterior;
      if (posterior < options_.accept_probability) {
        outcome.reason = fmt::format("{}；最佳候选（{}）匹配概率 {:.3f} 低于 {:.2f}", record.why, evidence,
                                     posterior, options_.accept_probability);
        continue;
      }
      // Guards against the independence assumption: a link needs some name
      // agreement, and a birth date that differs in more than one of year,
      // month and day (a namesake, not a typo) is never linked.
      if (best_comparison.level[kName] == static_cast<int>(NameAgreement::kDisagree) ||
          best_comparison.level[kName] == kMissing || best_comparison.level[kBirth] == 2 ||
          (record.had_id && best_comparison.level[kBirth] != 0)) {
        outcome.reason = fmt::format("{}；最佳候选（{}）证据不足", record.why, evidence);
        continue;
      }
      if (best - second < options_.ambiguity_margin_bits) {
        outcome.reason = fmt::format("{}；有两个以上相近的候选人（{}），无法确定", record.why, evidence);
        continue;
      }
      outcome.match_class = MatchClass::kProbabilistic;
      outcome.person = best_person;
      outcome.reason =
          fmt::format("{}；概率匹配：{}，权重 {:.1f}，概率 {:.4f}", record.why, evidence, best, posterior);
    }
  });
  if (parameters != nullptr) *parameters = params;
  return outcomes;
}

}  // namespace zx::matching
