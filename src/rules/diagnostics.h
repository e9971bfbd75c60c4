// Compile errors of the rule language. Every error carries its line and
// column (1-based; columns count Unicode characters, not bytes) and a kind,
// so tests and tools can check what went wrong without parsing the Chinese
// message. ToStatus joins all errors into one kInvalidArgument Status whose
// message lists each as "第 L 行第 C 列：…".
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace zx::rules {

enum class DiagnosticKind {
  kLexical,  // a character or literal the lexer cannot read
  kSyntax,   // the parser expected something else
  kLimit,    // text size or nesting depth exceeded (kResourceExhausted)
  kUnknownField,
  kUnknownFunction,
  kUnknownLabel,  // an enum label not in the code table
  kTypeMismatch,
  kAggregateMisuse,  // person field outside an aggregate, nested aggregates…
  kWrongArity,
  kBadArgument,  // e.g. date(2022,2,30), non-constant date() argument
  kDuplicateRule,
  kBadTemplate,  // explanation template: unclosed brace, bad placeholder
};

struct Diagnostic {
  int line = 0;
  int column = 0;
  DiagnosticKind kind = DiagnosticKind::kSyntax;
  std::string message;  // Chinese, without the position prefix
};

/// "第 3 行第 12 列：未知字段 foo".
std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// OK if empty; kResourceExhausted if any is kLimit; else kInvalidArgument.
Status ToStatus(const std::vector<Diagnostic>& diagnostics);

}  // namespace zx::rules
