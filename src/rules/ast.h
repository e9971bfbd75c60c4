// Syntax tree of the rule language, produced by the parser and consumed by
// the binder. Positions are those of the node's first token (operators: the
// operator token).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace zx::rules {

enum class ExprKind {
  kInteger,
  kMoney,
  kString,
  kBool,
  kPath,  // per_capita_net_income, m.health, policy.monitoring_line
  kNegate,
  kNot,
  kBinary,
  kIn,         // children[0] in (children[1..]); `negated` for `not in`
  kCall,       // name(args...)
  kAggregate,  // any/all/count/sum(var: children[0])
};

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr };

struct Expr {
  ExprKind kind = ExprKind::kInteger;
  int line = 0;
  int column = 0;
  int height = 1;          // tree height, bounded by kMaxExpressionDepth
  std::int64_t value = 0;  // integer / money (fen) / bool literal
  std::string text;        // string literal, function or aggregate name
  std::string variable;    // aggregate variable
  std::vector<std::string> path;
  BinaryOp op = BinaryOp::kAdd;
  bool negated = false;
  std::vector<std::unique_ptr<Expr>> children;
};

/// Text or `{expression}` placeholder of an explanation template.
struct TemplatePart {
  std::string text;  // literal text when expr is null
  std::unique_ptr<Expr> expr;
};

struct RuleAst {
  std::string id;
  std::string name;
  std::string risk;  // "" when absent
  std::string kind;  // "" when absent (e.g. "deprivation")
  int line = 0;
  int column = 0;
  std::unique_ptr<Expr> when;
  std::vector<TemplatePart> explain;
};

constexpr int kMaxExpressionDepth = 64;

}  // namespace zx::rules
