// Recursive-descent parser of rule files (grammar in docs/formats/rules.md).
// A syntax error abandons the current rule and resumes at the next `rule`
// keyword, so one pass reports the errors of every rule. Nesting deeper than
// kMaxExpressionDepth or text larger than kMaxRuleTextBytes stops parsing
// with a kLimit diagnostic.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/diagnostics.h"

namespace zx::rules {

/// Parses a rule file. Rules with errors are left out of the result; the
/// errors are appended to `diagnostics`.
std::vector<RuleAst> ParseRules(std::string_view text, std::vector<Diagnostic>* diagnostics);

/// Parses a single expression (tests, placeholders). Null on error.
std::unique_ptr<Expr> ParseExpression(std::string_view text, std::vector<Diagnostic>* diagnostics);

}  // namespace zx::rules
