#include "rules/parser.h"

#include <gtest/gtest.h>

namespace zx::rules {
namespace {

// Renders an expression fully parenthesised, to check precedence.
std::string Show(const Expr& expr) {
  static constexpr const char* kOps[] = {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or"};
  switch (expr.kind) {
    case ExprKind::kInteger:
      return std::to_string(expr.value);
    case ExprKind::kMoney:
      return std::to_string(expr.value) + "fen";
    case ExprKind::kString:
      return "\"" + expr.text + "\"";
    case ExprKind::kBool:
      return expr.value ? "true" : "false";
    case ExprKind::kPath: {
      std::string out = expr.path[0];
      for (std::size_t idx = 1; idx < expr.path.size(); ++idx) out += "." + expr.path[idx];
      return out;
    }
    case ExprKind::kNegate:
      return "(-" + Show(*expr.children[0]) + ")";
    case ExprKind::kNot:
      return "(not " + Show(*expr.children[0]) + ")";
    case ExprKind::kBinary:
      return "(" + Show(*expr.children[0]) + " " + kOps[static_cast<int>(expr.op)] + " " +
             Show(*expr.children[1]) + ")";
    case ExprKind::kIn: {
      std::string out = "(" + Show(*expr.children[0]) + (expr.negated ? " not in [" : " in [");
      for (std::size_t idx = 1; idx < expr.children.size(); ++idx) {
        out += (idx > 1 ? "," : "") + Show(*expr.children[idx]);
      }
      return out + "])";
    }
    case ExprKind::kCall:
    case ExprKind::kAggregate: {
      std::string out = expr.text + "(";
      if (!expr.variable.empty()) out += expr.variable + ": ";
      for (std::size_t idx = 0; idx < expr.children.size(); ++idx) {
        out += (idx > 0 ? ", " : "") + Show(*expr.children[idx]);
      }
      return out + ")";
    }
  }
  return "?";
}

std::string ParseShow(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  auto expr = ParseExpression(text, &diagnostics);
  if (!expr) return "ERROR " + FormatDiagnostic(diagnostics.at(0));
  return Show(*expr);
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(ParseShow("1 + 2 * 3 - 4 / 2"), "((1 + (2 * 3)) - (4 / 2))");
  EXPECT_EQ(ParseShow("a or b and not c"), "(a or (b and (not c)))");
  EXPECT_EQ(ParseShow("x + 1 < y * 2 and z"), "(((x + 1) < (y * 2)) and z)");
  EXPECT_EQ(ParseShow("-(a - b)"), "(-(a - b))");
  EXPECT_EQ(ParseShow("-5元"), "-500fen");
  EXPECT_EQ(ParseShow("(a or b) and c"), "((a or b) and c)");
  EXPECT_EQ(ParseShow("not a == b"), "(not (a == b))");
  EXPECT_EQ(ParseShow("m in (1, -2, \"x\") or n not in (true)"),
            "((m in [1,-2,\"x\"]) or (n not in [true]))");
  EXPECT_EQ(ParseShow("any(m: m.age >= 60 and m.health == \"患有大病\")"),
            "any(m: ((m.age >= 60) and (m.health == \"患有大病\")))");
  EXPECT_EQ(ParseShow("age_at(date(2000, 2, 29), policy.reference_date)"),
            "age_at(date(2000, 2, 29), policy.reference_date)");
  EXPECT_EQ(ParseShow("count(x)"), "count(x)");  // a call: the binder rejects it
}

struct ErrorCase {
  std::string_view text;
  int line;
  int column;
};

TEST(ParserTest, SyntaxErrorsWithPositions) {
  const ErrorCase cases[] = {
      {"1 +", 1, 4},      {"a < b < c", 1, 7}, {"(a", 1, 3},          {"f(a,", 1, 5}, {"a in 1", 1, 6},
      {"a in (b)", 1, 7}, {"a.b.c", 1, 1},     {"any(and: 1)", 1, 5}, {"and", 1, 1},
  };
  for (const ErrorCase& bad : cases) {
    std::vector<Diagnostic> diagnostics;
    EXPECT_EQ(ParseExpression(bad.text, &diagnostics), nullptr) << bad.text;
    ASSERT_FALSE(diagnostics.empty()) << bad.text;
    EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kSyntax) << bad.text;
    EXPECT_EQ(diagnostics[0].line, bad.line) << bad.text;
    EXPECT_EQ(diagnostics[0].column, bad.column) << bad.text;
  }
}

TEST(ParserTest, RuleFileWithComments) {
  const char* text = R"(# 监测规则
rule R_INCOME "收入低于监测范围" risk "99" {
  when per_capita_net_income < policy.monitoring_line   # 人均纯收入
  explain "人均 {per_capita_net_income} 元，{{字面}}"
}
rule D_WATER "饮水不安全" kind deprivation {
  when not water_quality_ok
  explain "饮水水质不达标"
}
)";
  std::vector<Diagnostic> diagnostics;
  auto rules = ParseRules(text, &diagnostics);
  ASSERT_TRUE(diagnostics.empty()) << FormatDiagnostic(diagnostics[0]);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, "R_INCOME");
  EXPECT_EQ(rules[0].name, "收入低于监测范围");
  EXPECT_EQ(rules[0].risk, "99");
  EXPECT_EQ(rules[0].line, 2);
  ASSERT_EQ(rules[0].explain.size(), 3u);
  EXPECT_EQ(rules[0].explain[0].text, "人均 ");
  ASSERT_NE(rules[0].explain[1].expr, nullptr);
  EXPECT_EQ(rules[0].explain[1].expr->line, 4);
  EXPECT_EQ(rules[0].explain[1].expr->column, 16);
  EXPECT_EQ(rules[0].explain[2].text, " 元，{字面}");
  EXPECT_EQ(rules[1].risk, "");
  EXPECT_EQ(rules[1].kind, "deprivation");
}

TEST(ParserTest, ReportsErrorsOfEveryRule) {
  const char* text =
      "rule A \"甲\" { when 1 + explain \"x\" }\n"
      "rule B \"乙\" { when x explain \"y\" }\n"
      "rule C \"丙\" { when x explain \"{\" }\n"
      "rule D { when x explain \"z\" }\n";
  std::vector<Diagnostic> diagnostics;
  auto rules = ParseRules(text, &diagnostics);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].id, "B");
  ASSERT_EQ(diagnostics.size(), 3u);
  EXPECT_EQ(diagnostics[0].line, 1);
  EXPECT_EQ(diagnostics[0].column, 23);
  EXPECT_EQ(diagnostics[1].kind, DiagnosticKind::kBadTemplate);
  EXPECT_EQ(diagnostics[1].line, 3);
  EXPECT_EQ(diagnostics[1].column, 30);
  EXPECT_EQ(diagnostics[2].line, 4);
  EXPECT_EQ(diagnostics[2].column, 8);
}

TEST(ParserTest, DepthLimit) {
  std::string nested(100, '(');
  nested += "1";
  nested += std::string(100, ')');
  std::vector<Diagnostic> diagnostics;
  EXPECT_EQ(ParseExpression(nested, &diagnostics), nullptr);
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics.back().kind, DiagnosticKind::kLimit);
  EXPECT_EQ(ToStatus(diagnostics).code(), StatusCode::kResourceExhausted);

  // A long flat chain is as deep as it is long.
  std::string chain = "1";
  for (int idx = 0; idx < 200; ++idx) chain += " + 1";
  diagnostics.clear();
  EXPECT_EQ(ParseExpression(chain, &diagnostics), nullptr);
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics.back().kind, DiagnosticKind::kLimit);

  std::string nots;
  for (int idx = 0; idx < 100; ++idx) nots += "not ";
  nots += "a";
  diagnostics.clear();
  EXPECT_EQ(ParseExpression(nots, &diagnostics), nullptr);
  EXPECT_EQ(diagnostics.back().kind, DiagnosticKind::kLimit);

  // Within the limit is fine.
  std::string ok(30, '(');
  ok += "1";
  ok += std::string(30, ')');
  diagnostics.clear();
  EXPECT_NE(ParseExpression(ok, &diagnostics), nullptr);
}

}  // namespace
}  // namespace zx::rules
