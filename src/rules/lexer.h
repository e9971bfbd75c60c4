// Lexer of the rule language (docs/formats/rules.md). Input is UTF-8; any
// character is allowed inside strings and comments, identifiers are ASCII.
// Positions are 1-based lines and columns counted in Unicode characters.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/diagnostics.h"

namespace zx::rules {

enum class TokenKind {
  kIdentifier,
  kInteger,
  kMoney,
  kString,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kComma,
  kColon,
  kDot,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;        // identifier name or decoded string contents
  std::int64_t value = 0;  // integer value, or money in fen
  int line = 1;
  int column = 1;
};

/// Maximum accepted rule text, in bytes (larger → kLimit).
constexpr std::size_t kMaxRuleTextBytes = 1 << 20;

/// Tokenises `text`; the last token is kEnd. Lexical errors are appended to
/// `diagnostics` and the offending characters skipped, so lexing always ends.
std::vector<Token> Lex(std::string_view text, std::vector<Diagnostic>* diagnostics);

/// Human-readable form of a token for messages: 标识符 foo, 字符串, “(”, 文件结尾…
std::string DescribeToken(const Token& token);

}  // namespace zx::rules
