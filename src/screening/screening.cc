#include "screening/screening.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "rules/column_snapshot.h"
#include "rules/policy_context.h"

namespace zx::screening {

namespace {

constexpr std::string_view kRangeKind = "range";
constexpr std::string_view kHardshipKind = "hardship";
constexpr std::string_view kDeprivationKind = "deprivation";

// Indices of the rules by role, in file order.
struct RuleRoles {
  int range = -1;
  int hardship = -1;
  std::vector<int> risks;
  std::vector<int> deprivations;
};

Result<RuleRoles> FindRoles(const rules::RuleSet& rule_set) {
  RuleRoles roles;
  const auto& all = rule_set.rules();
  for (int rule_idx = 0; rule_idx < static_cast<int>(all.size()); ++rule_idx) {
    const rules::CompiledRule& rule = all[rule_idx];
    const std::string where = fmt::format("第 {} 行第 {} 列：规则 {}", rule.line, rule.column, rule.id);
    if (rule.kind == kRangeKind || rule.kind == kHardshipKind) {
      int& slot = rule.kind == kRangeKind ? roles.range : roles.hardship;
      if (slot >= 0) {
        return InvalidArgument(
            fmt::format("{}：kind {} 的规则只能有一条（已有 {}）", where, rule.kind, all[slot].id));
      }
      if (!rule.risk.empty()) {
        return InvalidArgument(fmt::format("{}：kind {} 的规则不能带风险类型代码", where, rule.kind));
      }
      slot = rule_idx;
    } else if (rule.kind == kDeprivationKind) {
      if (!rule.risk.empty()) {
        return InvalidArgument(fmt::format("{}：保障缺失规则（kind deprivation）不能带风险类型代码", where));
      }
      roles.deprivations.push_back(rule_idx);
    } else if (!rule.risk.empty()) {
      roles.risks.push_back(rule_idx);
    } else {
      return InvalidArgument(fmt::format(
          "{}：规则既无风险类型代码（risk），也不是 kind range / hardship / deprivation，筛查无法使用",
          where));
    }
  }
  if (roles.range < 0) return InvalidArgument("筛查规则缺少 kind range 的规则（收入在监测范围内的条件）");
  if (roles.hardship < 0) {
    return InvalidArgument("筛查规则缺少 kind hardship 的规则（突发严重困难的条件）");
  }
  if (roles.risks.empty()) return InvalidArgument("筛查规则中没有任何风险规则（risk \"代码\"）");
  return roles;
}

std::string Explanation(const rules::CompiledRule& rule, const rules::ColumnarData& data,
                        std::size_t household_idx) {
  return rule.name + "：" + rules::Explain(rule, data, household_idx);
}

}  // namespace

Result<rules::BindContext> MakeBindContext(const Policy& policy, int year) {
  return rules::PolicyBindContext(policy, year);
}

Result<rules::RuleSet> CompileScreeningRules(std::string_view text, const Policy& policy, int year) {
  ASSIGN_OR_RETURN(rules::BindContext context, MakeBindContext(policy, year));
  ASSIGN_OR_RETURN(rules::RuleSet rule_set, rules::CompileRules(text, context));
  RETURN_IF_ERROR(FindRoles(rule_set).status());
  return rule_set;
}

Result<rules::RuleSet> LoadScreeningRules(const std::string& path, const Policy& policy, int year) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable(fmt::format("无法读取规则文件 {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto compiled = CompileScreeningRules(text.str(), policy, year);
  if (!compiled.ok()) return compiled.status().WithContext(fmt::format("规则文件 {}：", path));
  return compiled;
}

std::string DefaultRulesPath() { return std::string(ZX_DATA_DIR) + "/rules/qinghai.rules"; }

Result<ScreeningResult> ScreenColumns(const rules::ColumnarData& all_data, const rules::RuleSet& rule_set) {
  ASSIGN_OR_RETURN(RuleRoles roles, FindRoles(rule_set));
  const auto& all = rule_set.rules();
  // Candidates first: only households within the range or meeting the
  // hardship condition can become leads (and be counted as "without risk"),
  // so the risk and deprivation rules — the ones that aggregate over
  // members — run on those few percent only. Every rule looks at one
  // household and its members, so the result is the same as evaluating
  // everything everywhere (bench/screening checks this against SQL).
  std::vector<bool> classification(all.size(), false);
  classification[roles.range] = true;
  classification[roles.hardship] = true;
  ASSIGN_OR_RETURN(auto stage1, rules::EvaluateSelected(rule_set, all_data, classification));
  const rules::Column& all_has_income =
      all_data.households.fields[static_cast<std::size_t>(rules::HouseholdField::kHasIncomeYear)];
  ScreeningResult result;
  ScreeningSummary& summary = result.summary;
  summary.households = static_cast<std::int64_t>(all_data.households.size);
  std::vector<std::uint32_t> candidates;
  for (std::size_t household_idx = 0; household_idx < all_data.households.size; ++household_idx) {
    if (all_has_income.At(household_idx) == 0) {
      ++summary.without_income_year;
      continue;
    }
    if (stage1[roles.range][household_idx] != 0 || stage1[roles.hardship][household_idx] != 0) {
      candidates.push_back(static_cast<std::uint32_t>(household_idx));
    }
  }
  const rules::ColumnarData data = rules::SelectHouseholds(all_data, candidates);
  std::vector<bool> rest(all.size(), false);
  for (int rule_idx : roles.risks) rest[rule_idx] = true;
  for (int rule_idx : roles.deprivations) rest[rule_idx] = true;
  ASSIGN_OR_RETURN(auto fired, rules::EvaluateSelected(rule_set, data, rest));

  const rules::HouseholdColumns& households = data.households;
  const rules::Column& ex_poor = households.fields[static_cast<std::size_t>(rules::HouseholdField::kExPoor)];
  const rules::Column& village =
      households.fields[static_cast<std::size_t>(rules::HouseholdField::kVillageCode)];
  const rules::Column& per_capita =
      households.fields[static_cast<std::size_t>(rules::HouseholdField::kPerCapitaNetIncome)];
  for (std::size_t household_idx = 0; household_idx < households.size; ++household_idx) {
    const std::uint32_t original_idx = candidates[household_idx];
    const bool in_range = stage1[roles.range][original_idx] != 0;
    const bool hardship = !in_range && stage1[roles.hardship][original_idx] != 0;

    Lead lead;
    std::vector<int> risk_rules;
    for (int rule_idx : roles.risks) {
      if (!fired[rule_idx][household_idx]) continue;
      const std::string& code = all[rule_idx].risk;
      bool known = false;
      for (const std::string& have : lead.risk_codes) known = known || have == code;
      if (!known) {
        if (static_cast<int>(lead.risk_codes.size()) >= kMaxRiskCodes) continue;
        lead.risk_codes.push_back(code);
      }
      risk_rules.push_back(rule_idx);
    }
    if (lead.risk_codes.empty()) {
      ++(in_range ? summary.in_range_without_risk : summary.hardship_without_risk);
      continue;
    }
    lead.household_number = households.household_number[household_idx];
    lead.village_code = village.At(household_idx);
    lead.per_capita_net_income = per_capita.At(household_idx);
    lead.monitoring_type =
        hardship ? kSuddenHardship : (ex_poor.At(household_idx) != 0 ? kUnstableExPoor : kMarginal);
    lead.explanations.push_back(
        Explanation(all[in_range ? roles.range : roles.hardship], data, household_idx));
    for (int rule_idx : risk_rules)
      lead.explanations.push_back(Explanation(all[rule_idx], data, household_idx));
    for (int rule_idx : roles.deprivations) {
      if (!fired[rule_idx][household_idx]) continue;
      lead.deprivations.push_back(all[rule_idx].id);
      lead.explanations.push_back(Explanation(all[rule_idx], data, household_idx));
    }
    ++summary.by_type[lead.monitoring_type];
    for (const std::string& code : lead.risk_codes) ++summary.by_risk[code];
    for (const std::string& id : lead.deprivations) ++summary.by_deprivation[id];
    result.leads.push_back(std::move(lead));
  }
  return result;
}

Result<ScreeningResult> ScreenYear(const std::vector<HouseholdRecord>& records,
                                   const rules::RuleSet& rule_set) {
  return ScreenColumns(rules::BuildColumns(records, rule_set.year(), rule_set.reference_date()), rule_set);
}

Result<rules::ColumnarData> LoadColumns(Store& store, const DivisionScope& scope,
                                        const rules::RuleSet& rule_set, LoadInfo* info) {
  LoadInfo local;
  LoadInfo& load = info != nullptr ? *info : local;
  load = LoadInfo();
  const bool whole = scope == DivisionScope::All();
  std::int64_t generation = 0;
  const std::string key = rules::ColumnSnapshotKey(rule_set.year());
  if (whole) {
    ASSIGN_OR_RETURN(generation, store.RegistryGeneration());
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.GetSnapshot(scope, key, generation));
    if (bytes.has_value()) {
      auto data = rules::DeserializeColumns(*bytes);
      if (data.ok()) {
        load.from_snapshot = true;
        // The snapshot was built for this year; the reference date comes
        // from the policy and may have been edited since.
        if (data->households.reference_date == rule_set.reference_date()) return data;
      }
      // An invalid or outdated snapshot is rebuilt below.
    }
    load.from_snapshot = false;
  }
  rules::ColumnarData data = rules::EmptyColumns(rule_set.year(), rule_set.reference_date());
  RETURN_IF_ERROR(store.ScanHouseholds(scope, [&data](const HouseholdRecord& record) {
    rules::AppendRecord(record, &data);
    return Status::Ok();
  }));
  if (whole) {
    // A cache: failing to save it (a concurrent write made it stale, a
    // read-only file) costs the next run time, not correctness.
    load.snapshot_saved = store.PutSnapshot(scope, key, generation, rules::SerializeColumns(data)).ok();
  }
  return data;
}

Result<ScreeningResult> ScreenStore(Store& store, const DivisionScope& scope,
                                    const rules::RuleSet& rule_set) {
  ASSIGN_OR_RETURN(rules::ColumnarData data, LoadColumns(store, scope, rule_set));
  return ScreenColumns(data, rule_set);
}

const std::vector<std::string>& LeadHeader() {
  static const std::vector<std::string> header = {
      "户编号", "所在村代码", "监测类型代码", "监测类型", "风险类型代码", "家庭人均纯收入（元）", "说明"};
  return header;
}

std::vector<std::string> LeadRow(const Lead& lead, const Policy& policy) {
  std::string risks;
  for (const std::string& code : lead.risk_codes) risks += (risks.empty() ? "" : ";") + code;
  std::string explanations;
  for (const std::string& text : lead.explanations) explanations += (explanations.empty() ? "" : "；") + text;
  return {lead.household_number,
          std::to_string(lead.village_code),
          lead.monitoring_type,
          std::string(policy.monitoring_types.NameOf(lead.monitoring_type)),
          risks,
          FormatYuan(lead.per_capita_net_income),
          explanations};
}

}  // namespace zx::screening
