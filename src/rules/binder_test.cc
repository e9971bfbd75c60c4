#include <gtest/gtest.h>

#include <cstdio>

#include "rules/lexer.h"
#include "rules/rule_set.h"
#include "rules/test_support.h"

namespace zx::rules {
namespace {

using testing::Context2022;

struct BindErrorCase {
  std::string_view expression;
  DiagnosticKind kind;
  int column;
};

TEST(BinderTest, ErrorsByKindAndPosition) {
  const BindErrorCase cases[] = {
      {"per_capita_income < 1元", DiagnosticKind::kUnknownField, 1},
      {"policy.poverty_line > 1元", DiagnosticKind::kUnknownField, 1},
      {"any(m: m.helth == \"健康\")", DiagnosticKind::kUnknownField, 8},
      {"any(m: m.health == \"很健康\")", DiagnosticKind::kUnknownLabel, 20},
      {"any(m: m.health == 9)", DiagnosticKind::kUnknownLabel, 20},
      {"housing in (\"A级\", \"E级\")", DiagnosticKind::kUnknownLabel, 19},
      {"per_capita_net_income < ex_poor", DiagnosticKind::kTypeMismatch, 23},
      {"per_capita_net_income < 6700", DiagnosticKind::kTypeMismatch, 23},
      {"ex_poor and living_size", DiagnosticKind::kTypeMismatch, 9},
      {"net_income * net_income > 1元", DiagnosticKind::kTypeMismatch, 12},
      {"living_size / net_income > 1", DiagnosticKind::kTypeMismatch, 13},
      {"not living_size", DiagnosticKind::kTypeMismatch, 1},
      {"housing < \"C级\"", DiagnosticKind::kTypeMismatch, 9},
      {"household_number < 3", DiagnosticKind::kTypeMismatch, 18},
      {"living_size == \"三\"", DiagnosticKind::kTypeMismatch, 16},
      {"living_size in (1, 2元)", DiagnosticKind::kTypeMismatch, 20},
      {"sum(m: m.age > 3) > 0", DiagnosticKind::kTypeMismatch, 1},
      {"any(m: m.age) ", DiagnosticKind::kTypeMismatch, 1},
      {"age > 60", DiagnosticKind::kAggregateMisuse, 1},
      {"m.age > 60", DiagnosticKind::kAggregateMisuse, 1},
      {"any(m: any(n: n.age > 1))", DiagnosticKind::kAggregateMisuse, 8},
      {"any(p: m.age > 1)", DiagnosticKind::kAggregateMisuse, 8},
      {"count(living_size) > 1", DiagnosticKind::kAggregateMisuse, 1},
      {"avg(m: m.age) > 1", DiagnosticKind::kSyntax, 6},
      {"median(living_size) > 1", DiagnosticKind::kUnknownFunction, 1},
      {"age_at(policy.reference_date) > 1", DiagnosticKind::kWrongArity, 1},
      {"date(2022, 1) < policy.reference_date", DiagnosticKind::kWrongArity, 1},
      {"date(2022, 2, 29) < policy.reference_date", DiagnosticKind::kBadArgument, 1},
      {"date(living_size, 1, 1) < policy.reference_date", DiagnosticKind::kBadArgument, 6},
      {"age_at(living_size, policy.reference_date) > 1", DiagnosticKind::kTypeMismatch, 8},
  };
  for (const BindErrorCase& bad : cases) {
    std::vector<Diagnostic> diagnostics;
    auto program = CompileExpression(bad.expression, Context2022(), &diagnostics);
    ASSERT_FALSE(program.ok()) << bad.expression;
    EXPECT_EQ(program.status().code(), StatusCode::kInvalidArgument) << bad.expression;
    ASSERT_FALSE(diagnostics.empty()) << bad.expression;
    EXPECT_EQ(diagnostics[0].kind, bad.kind) << bad.expression << " → " << diagnostics[0].message;
    EXPECT_EQ(diagnostics[0].line, 1) << bad.expression;
    EXPECT_EQ(diagnostics[0].column, bad.column) << bad.expression << " → " << diagnostics[0].message;
  }
}

TEST(BinderTest, ValidExpressionsTypeCheck) {
  const std::pair<std::string_view, ValueType> cases[] = {
      {"per_capita_net_income < policy.monitoring_line", ValueType::kBool},
      {"net_income - production_cost", ValueType::kMoney},
      {"net_income / living_size", ValueType::kMoney},
      {"net_income / compliant_out_of_pocket", ValueType::kInt},
      {"living_size * 2元", ValueType::kMoney},
      {"yuan(living_size) + 6700元", ValueType::kMoney},
      {"count(m: m.health in (\"患有大病\", \"长期慢性病\"))", ValueType::kInt},
      {"sum(m: m.migrant_work_months)", ValueType::kInt},
      {"any(m: m.health == 3 and m.age >= policy.year - 2000)", ValueType::kBool},
      {"all(x: x.labour_skill in (\"丧失劳动力\", \"无劳动力\") or x.age > 60)", ValueType::kBool},
      {"housing in (\"C级\", \"D级\")", ValueType::kBool},
      {"household_number == \"H1\" or household_number not in (\"H2\")", ValueType::kBool},
      {"any(m: m.relation == \"户主\" and ex_poor)", ValueType::kBool},
      {"months_between(date(2022, 1, 31), policy.reference_date)", ValueType::kInt},
      {"min(net_income, 0元)", ValueType::kMoney},
      {"max(date(2020, 1, 1), policy.reference_date)", ValueType::kDate},
      {"housing", ValueType::kEnum},
      {"ex_poor == true", ValueType::kBool},
  };
  for (const auto& [text, type] : cases) {
    auto program = CompileExpression(text, Context2022());
    ASSERT_TRUE(program.ok()) << text << " → " << program.status().message();
    EXPECT_EQ(program->result_type.value, type) << text;
  }
}

TEST(BinderTest, RuleFileGetsAllErrorsSortedByPosition) {
  const char* text =
      "rule A \"甲\" risk \"01\" {\n"
      "  when foo > 1 and bar\n"
      "  explain \"{baz}\"\n"
      "}\n"
      "rule A \"重复\" { when living_size explain \"x\" }\n"
      "rule C \"丙\" { when ex_poor explain \"{m.age}\" }\n";
  std::vector<Diagnostic> diagnostics;
  auto rules = CompileRules(text, Context2022(), &diagnostics);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(diagnostics.size(), 6u) << rules.status().message();
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kUnknownField);  // foo
  EXPECT_EQ(diagnostics[0].line, 2);
  EXPECT_EQ(diagnostics[0].column, 8);
  EXPECT_EQ(diagnostics[1].kind, DiagnosticKind::kUnknownField);  // bar
  EXPECT_EQ(diagnostics[1].column, 20);
  EXPECT_EQ(diagnostics[2].kind, DiagnosticKind::kUnknownField);  // {baz}
  EXPECT_EQ(diagnostics[2].line, 3);
  EXPECT_EQ(diagnostics[2].column, 13);
  EXPECT_EQ(diagnostics[3].kind, DiagnosticKind::kDuplicateRule);
  EXPECT_EQ(diagnostics[3].line, 5);
  EXPECT_EQ(diagnostics[4].kind, DiagnosticKind::kTypeMismatch);  // when living_size
  EXPECT_EQ(diagnostics[4].line, 5);
  EXPECT_EQ(diagnostics[5].kind, DiagnosticKind::kAggregateMisuse);  // {m.age}
  EXPECT_EQ(diagnostics[5].line, 6);
  // The status message names every position.
  EXPECT_NE(rules.status().message().find("第 2 行第 8 列："), std::string::npos);
  EXPECT_NE(rules.status().message().find("第 6 行"), std::string::npos);
}

TEST(BinderTest, PolicyConstantsAndRiskCodes) {
  BindContext context = Context2022();
  context.constants["illness_spending"] = PolicyConstant::Money(Yuan(20000));
  context.risk_codes = {"01", "99"};
  auto ok = CompileRules(
      "rule R \"大额医疗支出\" risk \"01\" { when compliant_out_of_pocket > "
      "policy.illness_spending explain \"{policy.illness_spending}\" }",
      context);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  std::vector<Diagnostic> diagnostics;
  auto bad = CompileRules("rule R \"x\" risk \"77\" { when true explain \"x\" }", context, &diagnostics);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(diagnostics.at(0).kind, DiagnosticKind::kUnknownLabel);
  context.constants["year"] = PolicyConstant::Int(1);
  EXPECT_FALSE(CompileRules("", context).ok());
}

TEST(BinderTest, LimitsAreResourceExhausted) {
  std::string deep = "rule R \"x\" { when ";
  for (int idx = 0; idx < 80; ++idx) deep += "not ";
  deep += "ex_poor explain \"x\" }";
  auto rules = CompileRules(deep, Context2022());
  EXPECT_EQ(rules.status().code(), StatusCode::kResourceExhausted);
  std::string big(kMaxRuleTextBytes + 10, '#');
  EXPECT_EQ(CompileRules(big, Context2022()).status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace zx::rules

namespace zx::rules {
namespace {

std::string ReadFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {};
  std::string text;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
  std::fclose(file);
  return text;
}

// The fuzz seed corpus doubles as a set of example rule files.
TEST(BinderTest, SeedCorpusFilesCompile) {
  BindContext context = testing::Context2022();
  context.constants["illness_spending"] = PolicyConstant::Money(Yuan(20000));
  const std::string dir = std::string(ZX_TEST_DIR) + "/fuzz/corpus/fuzz_rules/";
  for (const char* name : {"income.rules", "risks.rules", "deprivation.rules", "dates.rules"}) {
    const std::string text = ReadFile(dir + name);
    ASSERT_FALSE(text.empty()) << name;
    auto rules = CompileRules(text, context);
    EXPECT_TRUE(rules.ok()) << name << ": " << rules.status().message();
  }
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(CompileRules(ReadFile(dir + "errors.rules"), context, &diagnostics).ok());
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kSyntax);
  EXPECT_EQ(diagnostics[1].kind, DiagnosticKind::kBadTemplate);
  EXPECT_EQ(diagnostics[1].line, 2);
}

}  // namespace
}  // namespace zx::rules
