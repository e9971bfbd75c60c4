#include "rules/lexer.h"

#include <gtest/gtest.h>

namespace zx::rules {
namespace {

std::vector<Token> LexOk(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  std::vector<Token> tokens = Lex(text, &diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << (diagnostics.empty() ? "" : FormatDiagnostic(diagnostics[0]));
  return tokens;
}

TEST(LexerTest, TokensAndPositionsWithChineseStrings) {
  auto tokens = LexOk("rule R1 \"收入低\" risk \"99\" {\n  when x < 6700元 # 注释\n}");
  ASSERT_EQ(tokens.size(), 12u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].text, "rule");
  EXPECT_EQ(tokens[2].kind, TokenKind::kString);
  EXPECT_EQ(tokens[2].text, "收入低");
  EXPECT_EQ(tokens[2].column, 9);
  // Columns count characters: "收入低" is 3 characters + 2 quotes.
  EXPECT_EQ(tokens[3].text, "risk");
  EXPECT_EQ(tokens[3].column, 15);
  EXPECT_EQ(tokens[6].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[6].text, "when");
  EXPECT_EQ(tokens[6].line, 2);
  EXPECT_EQ(tokens[6].column, 3);
  EXPECT_EQ(tokens[8].kind, TokenKind::kLess);
  EXPECT_EQ(tokens[9].kind, TokenKind::kMoney);
  EXPECT_EQ(tokens[9].value, 670000);
  EXPECT_EQ(tokens[10].kind, TokenKind::kRightBrace);
  EXPECT_EQ(tokens[10].line, 3);
  EXPECT_EQ(tokens[11].kind, TokenKind::kEnd);
}

TEST(LexerTest, NumbersAndMoney) {
  auto tokens = LexOk("42 6700.5元 0.05元 12元");
  EXPECT_EQ(tokens[0].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[0].value, 42);
  EXPECT_EQ(tokens[1].value, 670050);
  EXPECT_EQ(tokens[2].value, 5);
  EXPECT_EQ(tokens[3].kind, TokenKind::kMoney);
  EXPECT_EQ(tokens[3].value, 1200);
}

TEST(LexerTest, OperatorsAndEscapes) {
  auto tokens = LexOk(R"(a==b!=c<=d>=e "x\"y\\z")");
  EXPECT_EQ(tokens[1].kind, TokenKind::kEqual);
  EXPECT_EQ(tokens[3].kind, TokenKind::kNotEqual);
  EXPECT_EQ(tokens[5].kind, TokenKind::kLessEqual);
  EXPECT_EQ(tokens[7].kind, TokenKind::kGreaterEqual);
  EXPECT_EQ(tokens[9].text, "x\"y\\z");
}

struct BadCase {
  std::string_view text;
  int line;
  int column;
};

TEST(LexerTest, ErrorsCarryPositions) {
  const BadCase cases[] = {
      {"a = b", 1, 3},          // single '='
      {"x\n  \"未结束", 2, 3},  // unterminated string
      {"收入 < 1", 1, 1},       // non-ASCII identifier
      {"1.5", 1, 1},            // decimal without 元
      {"1.234元", 1, 1},        // three decimals
      {"99999999999999999999", 1, 1},
      {"a “b”", 1, 3},    // Chinese quotes
      {"x \xff", 1, 3},   // invalid UTF-8
      {"\"\\q\"", 1, 2},  // bad escape
      {"12abc", 1, 1},
  };
  for (const BadCase& bad : cases) {
    std::vector<Diagnostic> diagnostics;
    Lex(bad.text, &diagnostics);
    ASSERT_FALSE(diagnostics.empty()) << bad.text;
    EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kLexical) << bad.text;
    EXPECT_EQ(diagnostics[0].line, bad.line) << bad.text;
    EXPECT_EQ(diagnostics[0].column, bad.column) << bad.text;
  }
}

TEST(LexerTest, TextSizeLimit) {
  std::string big(kMaxRuleTextBytes + 1, ' ');
  std::vector<Diagnostic> diagnostics;
  Lex(big, &diagnostics);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kLimit);
  EXPECT_EQ(ToStatus(diagnostics).code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace zx::rules
