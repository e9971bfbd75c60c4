// libFuzzer target for the rule language (make fuzz / fuzz-smoke, target
// fuzz_rules): lex + parse + bind arbitrary text against the field catalog;
// if it compiles, evaluate every rule and explanation on a tiny fixed data
// set. Invariants: compilation fails exactly when errors were reported, each
// error has a positive line and column, and evaluation never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "rules/columns.h"
#include "rules/rule_set.h"

namespace {

const zx::rules::ColumnarData& Data() {
  static const zx::rules::ColumnarData* data = [] {
    std::vector<zx::HouseholdRecord> records;
    for (int idx = 0; idx < 5; ++idx) {
      zx::HouseholdRecord record;
      record.household.household_number = "H" + std::to_string(idx);
      record.household.village_code = 630121100201 + idx;
      record.household.ex_poor = idx % 2 == 0;
      record.household.housing = static_cast<zx::HousingRating>(1 + idx % 4);
      for (int member_idx = 0; member_idx <= idx; ++member_idx) {
        zx::Person person;
        person.relation = member_idx == 0 ? zx::Relation::kHead : zx::Relation::kSon;
        person.birth_date = {1940 + 20 * member_idx, 2, 28 + member_idx % 2};
        person.health = static_cast<zx::Health>(1 + member_idx % 4);
        person.deceased = member_idx == 3;
        record.members.push_back(person);
      }
      zx::HouseholdYear year;
      year.year = 2022;
      year.wage_income = zx::Yuan(5000) * idx;
      year.production_cost = idx == 4 ? zx::Yuan(100000) : 0;  // negative net income
      record.years.push_back(year);
      records.push_back(std::move(record));
    }
    records.push_back({});  // no members, no income
    return new zx::rules::ColumnarData(zx::rules::BuildColumns(records, 2022, {2022, 12, 31}));
  }();
  return *data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  zx::rules::BindContext context;
  context.year = 2022;
  context.monitoring_line = zx::Yuan(6700);
  context.reference_date = {2022, 12, 31};
  context.constants["illness_spending"] = zx::rules::PolicyConstant::Money(zx::Yuan(20000));
  std::vector<zx::rules::Diagnostic> diagnostics;
  auto rules = zx::rules::CompileRules(text, context, &diagnostics);
  if (rules.ok() != diagnostics.empty()) std::abort();
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.line < 1 || diagnostic.column < 1) std::abort();
  }
  if (!rules.ok()) return 0;
  const zx::rules::ColumnarData& data = Data();
  auto fired = zx::rules::EvaluateAll(*rules, data);
  if (!fired.ok()) std::abort();
  for (const auto& rule : rules->rules()) {
    for (std::size_t household_idx = 0; household_idx < data.households.size; ++household_idx) {
      (void)zx::rules::Explain(rule, data, household_idx);
    }
  }
  return 0;
}
