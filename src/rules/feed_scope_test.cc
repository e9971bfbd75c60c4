// The feed-person scope: department-signal rules over one row per linked
// person (FeedPersonFieldCatalog), evaluated with the household machinery.
#include <gtest/gtest.h>

#include "rules/columns.h"
#include "rules/rule_set.h"
#include "rules/test_support.h"

namespace zx::rules {
namespace {

BindContext FeedContext() {
  BindContext context = testing::Context2022();
  context.scope = RuleScope::kFeedPerson;
  context.constants["stay"] = PolicyConstant::Money(Yuan(20000));
  return context;
}

FeedPersonRow Person(Fen out_of_pocket, Fen max_total_cost, bool ex_poor) {
  FeedPersonRow row;
  row.out_of_pocket_12m = out_of_pocket;
  row.max_total_cost = max_total_cost;
  row.max_amount = Yuan(10);
  row.rows = 3;
  row.ex_poor = ex_poor;
  row.as_of = {2022, 12, 31};
  row.window_start = {2022, 1, 1};
  return row;
}

TEST(FeedScopeTest, EveryCatalogFieldBindsWithItsType) {
  for (const FieldInfo& field : FeedPersonFieldCatalog()) {
    EXPECT_EQ(field.scope, FieldScope::kFeedPerson) << field.name;
    EXPECT_EQ(FindFeedPersonField(field.name), &field);
    auto program = CompileExpression(std::string(field.name), FeedContext());
    ASSERT_TRUE(program.ok()) << field.name << ": " << program.status().ToString();
    EXPECT_EQ(program->result_type, field.type) << field.name;
  }
  EXPECT_EQ(FeedPersonFieldCatalog().size(), static_cast<std::size_t>(kFeedPersonFieldCount));
  // ex_poor is a feed-person field of its own (column 4), not the household's.
  auto ex_poor = CompileExpression("ex_poor", FeedContext());
  ASSERT_TRUE(ex_poor.ok());
  EXPECT_EQ(ex_poor->code.back().field, static_cast<int>(FeedPersonField::kExPoor));
  // Policy constants and functions work as in household scope.
  EXPECT_TRUE(CompileExpression("max_total_cost > policy.stay and rows >= 2 and "
                                "days_between(window_start, as_of) > 300 and max(max_amount, 1元) > 0元",
                                FeedContext())
                  .ok());
}

struct RefusedCase {
  std::string_view expression;
  DiagnosticKind kind;
  int column;
  std::string_view message_part;
};

TEST(FeedScopeTest, HouseholdFieldsAndMemberAggregatesAreRefusedWithPosition) {
  const RefusedCase cases[] = {
      {"per_capita_net_income > 1元", DiagnosticKind::kUnknownField, 1, "户字段"},
      {"rows > 1 and living_size > 2", DiagnosticKind::kUnknownField, 14, "户字段"},
      {"age > 60", DiagnosticKind::kUnknownField, 1, "成员字段"},
      {"rows > 1 and\n  any(m: m.age >= 60)", DiagnosticKind::kAggregateMisuse, 3, "成员聚合 any"},
      {"count(m: m.age > 1) > 0", DiagnosticKind::kAggregateMisuse, 1, "成员聚合 count"},
      {"sum(rows) > 0", DiagnosticKind::kAggregateMisuse, 1, "成员聚合 sum"},
      {"m.age > 60", DiagnosticKind::kAggregateMisuse, 1, "没有成员变量"},
      {"household_number == \"1\"", DiagnosticKind::kUnknownField, 1, "户字段"},
      {"out_of_pocket > 1元", DiagnosticKind::kUnknownField, 1, "out_of_pocket_12m"},
      {"rows > 1元", DiagnosticKind::kTypeMismatch, 6, "类型不符"},
  };
  for (const RefusedCase& bad : cases) {
    std::vector<Diagnostic> diagnostics;
    auto program = CompileExpression(bad.expression, FeedContext(), &diagnostics);
    ASSERT_FALSE(program.ok()) << bad.expression;
    ASSERT_FALSE(diagnostics.empty()) << bad.expression;
    EXPECT_EQ(diagnostics[0].kind, bad.kind) << bad.expression << " → " << diagnostics[0].message;
    const int line = bad.expression.find('\n') == std::string_view::npos ? 1 : 2;
    EXPECT_EQ(diagnostics[0].line, line) << bad.expression;
    EXPECT_EQ(diagnostics[0].column, bad.column) << bad.expression << " → " << diagnostics[0].message;
    EXPECT_NE(diagnostics[0].message.find(bad.message_part), std::string::npos)
        << bad.expression << " → " << diagnostics[0].message;
  }
  // A whole file: the status names line and column of each error.
  auto rules = CompileRules(
      "rule A \"甲\" kind hospital_stay {\n"
      "  when any(m: m.age > 1) explain \"x\"\n"
      "}\n"
      "rule B \"乙\" kind hospital_stay {\n"
      "  when rows > 0 explain \"{living_size}\"\n"
      "}\n",
      FeedContext());
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("第 2 行第 8 列"), std::string::npos) << rules.status().message();
  EXPECT_NE(rules.status().message().find("第 5 行"), std::string::npos) << rules.status().message();
}

TEST(FeedScopeTest, HouseholdScopeIsUnchanged) {
  // Feed-person names are unknown to household rules, and the household
  // meaning of ex_poor stays.
  EXPECT_FALSE(CompileExpression("out_of_pocket_12m > 1元", testing::Context2022()).ok());
  auto ex_poor = CompileExpression("ex_poor", testing::Context2022());
  ASSERT_TRUE(ex_poor.ok());
  EXPECT_EQ(ex_poor->code.back().field, static_cast<int>(HouseholdField::kExPoor));
  EXPECT_TRUE(CompileExpression("any(m: m.age >= 60)", testing::Context2022()).ok());
}

TEST(FeedScopeTest, RulesEvaluateAndExplainPerPerson) {
  auto rules = CompileRules(
      "rule STAY \"一次就医费用高\" kind hospital_stay {\n"
      "  when (ex_poor and max_total_cost > 5000元) or (not ex_poor and max_total_cost > policy.stay)\n"
      "  explain \"{window_start} 至 {as_of}：一次就医 {max_total_cost} 元，{rows} 行，脱贫户 {ex_poor}\"\n"
      "}\n",
      FeedContext());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const std::vector<FeedPersonRow> people = {
      Person(0, Yuan(5000), true),        // exactly at the threshold: no
      Person(0, Yuan(5000) + 1, true),    // one fen above: yes
      Person(0, Yuan(20000), false),      // at: no
      Person(0, Yuan(20000) + 1, false),  // above: yes
      Person(0, Yuan(19000), false),      // above the ex-poor one only: no
      Person(Yuan(999999), 0, true),      // other fields do not matter
  };
  const ColumnarData data = BuildFeedPersonColumns(people, 2022, {2022, 12, 31});
  EXPECT_EQ(data.households.size, people.size());
  auto fired = EvaluateAll(*rules, data);
  ASSERT_TRUE(fired.ok()) << fired.status().ToString();
  EXPECT_EQ((*fired)[0], (std::vector<std::uint8_t>{0, 1, 0, 1, 0, 0}));
  EXPECT_EQ(Explain(rules->rules()[0], data, 3),
            "2022-01-01 至 2022-12-31：一次就医 20,000.01 元，3 行，脱贫户 否");
  // Data of another year is refused as for households.
  EXPECT_FALSE(EvaluateAll(*rules, BuildFeedPersonColumns(people, 2023, {2023, 12, 31})).ok());
}

}  // namespace
}  // namespace zx::rules
