// Compiling rule files (parse + bind) and evaluating them over columnar data.
//
//   BindContext context{.year = 2022, .monitoring_line = Yuan(6700),
//                       .reference_date = {2022, 12, 31}};
//   Result<RuleSet> rules = CompileRules(text, context);
//   ColumnarData data = BuildColumns(records, 2022, context.reference_date);
//   auto fired = EvaluateAll(*rules, data);          // [rule][household] 0/1
//   std::string why = Explain(rules->rules()[0], data, household_idx);
//
// The binder checks every name against the field catalog and every enum label
// against its code table, types every expression and collects ALL errors of
// a file, each with its line and column. Policy constants are bound as
// literals, so a RuleSet belongs to one year; evaluating it on data of
// another year is refused.
// Thread-safety: a RuleSet is immutable after compilation; EvaluateAll and
// Explain may run concurrently on the same RuleSet.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/status.h"
#include "rules/columns.h"
#include "rules/diagnostics.h"
#include "rules/program.h"

namespace zx::rules {

/// A typed policy constant, named in rules as policy.<name>.
struct PolicyConstant {
  Type type;
  std::int64_t value = 0;  // fen, days since 1970-01-01, 0/1, or integer

  static PolicyConstant Int(std::int64_t value) { return {{ValueType::kInt}, value}; }
  static PolicyConstant Money(Fen value) { return {{ValueType::kMoney}, value}; }
  static PolicyConstant Bool(bool value) { return {{ValueType::kBool}, value ? 1 : 0}; }
  static PolicyConstant DateValue(const Date& value) { return {{ValueType::kDate}, value.ToDays()}; }
};

/// What one row of the evaluated data is: a household with its members
/// (screening), or a person linked in a department file (signals; the fields
/// of FeedPersonFieldCatalog, no members, no household fields).
enum class RuleScope : std::uint8_t { kHousehold, kFeedPerson };

struct BindContext {
  RuleScope scope = RuleScope::kHousehold;
  int year = 0;             // policy.year
  Fen monitoring_line = 0;  // policy.monitoring_line
  Date reference_date;      // policy.reference_date; person ages are taken on it
  /// Further constants (policy.<name>); must not shadow the three above.
  std::map<std::string, PolicyConstant, std::less<>> constants;
  /// If non-empty, a rule's risk code must be one of these.
  std::vector<std::string> risk_codes;
};

struct ExplainSegment {
  std::string text;              // literal text when value is empty
  std::optional<Program> value;  // placeholder
};

struct CompiledRule {
  std::string id;
  std::string name;
  std::string risk;
  std::string kind;
  int line = 0;
  int column = 0;
  Program condition;
  std::vector<ExplainSegment> explain;
};

class RuleSet {
 public:
  const std::vector<CompiledRule>& rules() const { return rules_; }
  int year() const { return year_; }
  const Date& reference_date() const { return reference_date_; }
  /// Index of a rule by id, or -1.
  int Find(std::string_view id) const;

 private:
  friend Result<RuleSet> CompileRules(std::string_view, const BindContext&, std::vector<Diagnostic>*);
  std::vector<CompiledRule> rules_;
  int year_ = 0;
  Date reference_date_;
};

/// Parses and binds a rule file. On any error returns kInvalidArgument (or
/// kResourceExhausted for size/depth limits) listing every error as
/// "第 L 行第 C 列：…"; the structured errors go to `diagnostics` if given.
Result<RuleSet> CompileRules(std::string_view text, const BindContext& context,
                             std::vector<Diagnostic>* diagnostics = nullptr);

/// Binds one expression in the context's scope (tests, ad-hoc queries).
Result<Program> CompileExpression(std::string_view text, const BindContext& context,
                                  std::vector<Diagnostic>* diagnostics = nullptr);

/// Evaluates every rule over every household: result[rule_idx][household_idx]
/// is 1 where the rule fires. kFailedPrecondition if the data is of another
/// year or reference date than the rules were bound for.
Result<std::vector<std::vector<std::uint8_t>>> EvaluateAll(const RuleSet& rules, const ColumnarData& data);

/// EvaluateAll for the rules with selected[rule_idx] true only; the vectors
/// of the other rules are left empty.
Result<std::vector<std::vector<std::uint8_t>>> EvaluateSelected(const RuleSet& rules,
                                                                const ColumnarData& data,
                                                                const std::vector<bool>& selected);

/// Values of one program for every household (result register as int64).
std::vector<std::int64_t> EvaluateProgram(const Program& program, const ColumnarData& data);

/// Value of one program for one household.
std::int64_t EvaluateProgramAt(const Program& program, const ColumnarData& data, std::size_t household_idx);

/// A value as shown to people: money "5,820" / "5,820.50" (yuan, grouped,
/// ".00" dropped for whole yuan), dates ISO, booleans 是/否, enums by label.
std::string FormatValue(Type type, std::int64_t value);

/// The rule's explanation for one household, placeholders filled in.
std::string Explain(const CompiledRule& rule, const ColumnarData& data, std::size_t household_idx);

}  // namespace zx::rules
