#include "rules/parser.h"

#include <fmt/format.h>

#include <algorithm>

#include "rules/lexer.h"

namespace zx::rules {
namespace {

constexpr std::size_t kMaxListItems = 1000;
constexpr std::size_t kMaxRules = 10000;
constexpr std::size_t kMaxPlaceholders = 64;

bool IsKeyword(std::string_view name) {
  static constexpr std::string_view kKeywords[] = {"rule", "risk", "kind", "when", "explain", "and",
                                                   "or",   "not",  "in",   "true", "false"};
  return std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords);
}

bool IsAggregateName(std::string_view name) {
  return name == "any" || name == "all" || name == "count" || name == "sum";
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::vector<Diagnostic>* diagnostics)
      : tokens_(std::move(tokens)), diagnostics_(diagnostics) {}

  bool aborted() const { return aborted_; }

  std::vector<RuleAst> ParseFile() {
    std::vector<RuleAst> rules;
    while (!aborted_ && Peek().kind != TokenKind::kEnd) {
      if (rules.size() >= kMaxRules) {
        Limit(Peek(), fmt::format("规则过多（上限 {} 条）", kMaxRules));
        break;
      }
      failed_ = false;
      RuleAst rule;
      if (ParseRule(&rule)) {
        rules.push_back(std::move(rule));
      } else if (!aborted_) {
        Recover();
      }
    }
    return rules;
  }

  std::unique_ptr<Expr> ParseStandaloneExpression() {
    auto expr = ParseExpr(0);
    if (expr && Peek().kind != TokenKind::kEnd) {
      Expected("表达式结束");
      return nullptr;
    }
    return expr;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  bool PeekKeyword(std::string_view word) const {
    return Peek().kind == TokenKind::kIdentifier && Peek().text == word;
  }

  void Error(const Token& at, std::string message) {
    if (failed_) return;  // one error per rule: later ones are usually echoes
    failed_ = true;
    diagnostics_->push_back({at.line, at.column, DiagnosticKind::kSyntax, std::move(message)});
  }
  void Limit(const Token& at, std::string message) {
    failed_ = true;
    aborted_ = true;
    diagnostics_->push_back({at.line, at.column, DiagnosticKind::kLimit, std::move(message)});
  }
  void Expected(std::string_view what) {
    Error(Peek(), fmt::format("此处应为{}，实际是{}", what, DescribeToken(Peek())));
  }
  bool Expect(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) {
      Expected(what);
      return false;
    }
    Next();
    return true;
  }
  bool ExpectKeyword(std::string_view word) {
    if (!PeekKeyword(word)) {
      Expected(fmt::format("关键字 {}", word));
      return false;
    }
    Next();
    return true;
  }

  // Skips to the next `rule` keyword (at least one token forward).
  void Recover() {
    if (Peek().kind != TokenKind::kEnd) Next();
    while (Peek().kind != TokenKind::kEnd && !PeekKeyword("rule")) Next();
  }

  bool ParseRule(RuleAst* rule) {
    const Token& start = Peek();
    rule->line = start.line;
    rule->column = start.column;
    if (!ExpectKeyword("rule")) return false;
    if (Peek().kind != TokenKind::kIdentifier || IsKeyword(Peek().text)) {
      Expected("规则编号（字母、数字、下划线）");
      return false;
    }
    rule->id = Next().text;
    if (Peek().kind != TokenKind::kString) {
      Expected("规则名称（字符串）");
      return false;
    }
    rule->name = Next().text;
    while (PeekKeyword("risk") || PeekKeyword("kind")) {
      const bool risk = Next().text == "risk";
      if (risk) {
        if (Peek().kind != TokenKind::kString) {
          Expected("风险类型代码（字符串，如 \"01\"）");
          return false;
        }
        rule->risk = Next().text;
      } else {
        if (Peek().kind != TokenKind::kIdentifier || IsKeyword(Peek().text)) {
          Expected("规则类别（如 deprivation）");
          return false;
        }
        rule->kind = Next().text;
      }
    }
    if (!Expect(TokenKind::kLeftBrace, "“{”")) return false;
    if (!ExpectKeyword("when")) return false;
    rule->when = ParseExpr(0);
    if (!rule->when) return false;
    if (!ExpectKeyword("explain")) return false;
    if (Peek().kind != TokenKind::kString) {
      Expected("说明模板（字符串）");
      return false;
    }
    const Token& explain = Next();
    if (!ParseTemplate(explain, &rule->explain)) return false;
    return Expect(TokenKind::kRightBrace, "“}”");
  }

  // Splits "…{expr}…" into parts; "{{" and "}}" are literal braces.
  bool ParseTemplate(const Token& token, std::vector<TemplatePart>* parts) {
    const std::string& text = token.text;
    std::string literal;
    std::size_t placeholders = 0;
    // Column of text[idx]: the string token's column + 1 + characters before idx.
    auto column_of = [&](std::size_t idx) {
      int column = token.column + 1;
      for (std::size_t k = 0; k < idx; ++k) {
        if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++column;
      }
      return column;
    };
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
      const char c = text[idx];
      if (c == '{' && idx + 1 < text.size() && text[idx + 1] == '{') {
        literal += '{';
        ++idx;
      } else if (c == '}' && idx + 1 < text.size() && text[idx + 1] == '}') {
        literal += '}';
        ++idx;
      } else if (c == '}') {
        TemplateError(token.line, column_of(idx), "说明模板中的 “}” 没有对应的 “{”（字面大括号请写 “}}”）");
        return false;
      } else if (c == '{') {
        const std::size_t close = text.find('}', idx + 1);
        if (close == std::string::npos) {
          TemplateError(token.line, column_of(idx), "说明模板中的 “{” 没有对应的 “}”");
          return false;
        }
        if (++placeholders > kMaxPlaceholders) {
          Limit(token, fmt::format("说明模板中的占位符过多（上限 {} 个）", kMaxPlaceholders));
          return false;
        }
        if (!literal.empty()) parts->push_back({std::move(literal), nullptr});
        literal.clear();
        auto expr = ParsePlaceholder(std::string_view(text).substr(idx + 1, close - idx - 1), token.line,
                                     column_of(idx + 1));
        if (!expr) return false;
        parts->push_back({"", std::move(expr)});
        idx = close;
      } else {
        literal += c;
      }
    }
    if (!literal.empty()) parts->push_back({std::move(literal), nullptr});
    return true;
  }

  void TemplateError(int line, int column, std::string message) {
    if (failed_) return;
    failed_ = true;
    diagnostics_->push_back({line, column, DiagnosticKind::kBadTemplate, std::move(message)});
  }

  std::unique_ptr<Expr> ParsePlaceholder(std::string_view text, int line, int column) {
    std::vector<Diagnostic> inner;
    std::vector<Token> tokens = Lex(text, &inner);
    auto shift = [&](int* l, int* c) {
      if (*l == 1) *c += column - 1;
      *l += line - 1;
    };
    for (Token& token : tokens) shift(&token.line, &token.column);
    if (tokens.size() == 1) {
      TemplateError(line, column, "说明模板中有空的占位符 “{}”");
      return nullptr;
    }
    Parser sub(std::move(tokens), &inner);
    std::unique_ptr<Expr> expr;
    if (inner.empty()) expr = sub.ParseStandaloneExpression();
    for (Diagnostic& diagnostic : inner) {
      shift(&diagnostic.line, &diagnostic.column);
      if (diagnostic.kind == DiagnosticKind::kLimit) aborted_ = true;
      if (!failed_ || diagnostic.kind == DiagnosticKind::kLimit) {
        diagnostics_->push_back(std::move(diagnostic));
      }
      failed_ = true;
    }
    if (sub.aborted()) aborted_ = true;
    return failed_ ? nullptr : std::move(expr);
  }

  std::unique_ptr<Expr> Make(ExprKind kind, const Token& at) {
    auto expr = std::make_unique<Expr>();
    expr->kind = kind;
    expr->line = at.line;
    expr->column = at.column;
    return expr;
  }

  // Sets the node height from its children; false (with kLimit) if too deep.
  bool Seal(Expr* expr) {
    int height = 0;
    for (const auto& child : expr->children) height = std::max(height, child->height);
    expr->height = height + 1;
    if (expr->height > kMaxExpressionDepth) {
      Limit(Token{TokenKind::kEnd, "", 0, expr->line, expr->column},
            fmt::format("表达式嵌套过深（上限 {} 层）", kMaxExpressionDepth));
      return false;
    }
    return true;
  }

  std::unique_ptr<Expr> MakeBinary(BinaryOp op, const Token& at, std::unique_ptr<Expr> lhs,
                                   std::unique_ptr<Expr> rhs) {
    auto expr = Make(ExprKind::kBinary, at);
    expr->op = op;
    expr->children.push_back(std::move(lhs));
    expr->children.push_back(std::move(rhs));
    if (!Seal(expr.get())) return nullptr;
    return expr;
  }

  // Recursion depth guard: nesting (parentheses, not, unary minus) counts.
  bool Enter(int depth) {
    if (depth > kMaxExpressionDepth) {
      Limit(Peek(), fmt::format("表达式嵌套过深（上限 {} 层）", kMaxExpressionDepth));
      return false;
    }
    return true;
  }

  std::unique_ptr<Expr> ParseExpr(int depth) {
    if (!Enter(depth)) return nullptr;
    auto lhs = ParseAnd(depth);
    while (lhs && PeekKeyword("or")) {
      const Token op = Next();
      auto rhs = ParseAnd(depth);
      if (!rhs) return nullptr;
      lhs = MakeBinary(BinaryOp::kOr, op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  std::unique_ptr<Expr> ParseAnd(int depth) {
    auto lhs = ParseNot(depth);
    while (lhs && PeekKeyword("and")) {
      const Token op = Next();
      auto rhs = ParseNot(depth);
      if (!rhs) return nullptr;
      lhs = MakeBinary(BinaryOp::kAnd, op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  std::unique_ptr<Expr> ParseNot(int depth) {
    if (PeekKeyword("not")) {
      if (!Enter(depth + 1)) return nullptr;
      const Token op = Next();
      auto operand = ParseNot(depth + 1);
      if (!operand) return nullptr;
      auto expr = Make(ExprKind::kNot, op);
      expr->children.push_back(std::move(operand));
      if (!Seal(expr.get())) return nullptr;
      return expr;
    }
    return ParseComparison(depth);
  }

  std::unique_ptr<Expr> ParseComparison(int depth) {
    auto lhs = ParseAdditive(depth);
    if (!lhs) return nullptr;
    static constexpr std::pair<TokenKind, BinaryOp> kOps[] = {
        {TokenKind::kEqual, BinaryOp::kEq},   {TokenKind::kNotEqual, BinaryOp::kNe},
        {TokenKind::kLess, BinaryOp::kLt},    {TokenKind::kLessEqual, BinaryOp::kLe},
        {TokenKind::kGreater, BinaryOp::kGt}, {TokenKind::kGreaterEqual, BinaryOp::kGe},
    };
    for (const auto& [kind, op] : kOps) {
      if (Peek().kind == kind) {
        const Token op_token = Next();
        auto rhs = ParseAdditive(depth);
        if (!rhs) return nullptr;
        auto expr = MakeBinary(op, op_token, std::move(lhs), std::move(rhs));
        if (!expr) return nullptr;
        for (const auto& [next_kind, unused] : kOps) {
          if (Peek().kind == next_kind) {
            Error(Peek(), "比较运算不能连写（如 a < b < c），请用 and 连接两个比较");
            return nullptr;
          }
        }
        return expr;
      }
    }
    const bool negated = PeekKeyword("not") && Peek(1).kind == TokenKind::kIdentifier && Peek(1).text == "in";
    if (PeekKeyword("in") || negated) {
      const Token op_token = Next();
      if (negated) Next();
      auto expr = Make(ExprKind::kIn, op_token);
      expr->negated = negated;
      expr->children.push_back(std::move(lhs));
      if (!Expect(TokenKind::kLeftParen, "“(”（in 后面是用括号括起的取值列表）")) return nullptr;
      while (true) {
        auto item = ParseListItem();
        if (!item) return nullptr;
        expr->children.push_back(std::move(item));
        if (expr->children.size() > kMaxListItems + 1) {
          Limit(Peek(), fmt::format("in 列表过长（上限 {} 项）", kMaxListItems));
          return nullptr;
        }
        if (Peek().kind == TokenKind::kComma) {
          Next();
          continue;
        }
        if (!Expect(TokenKind::kRightParen, "“,” 或 “)”")) return nullptr;
        break;
      }
      if (!Seal(expr.get())) return nullptr;
      return expr;
    }
    return lhs;
  }

  std::unique_ptr<Expr> ParseListItem() {
    const Token& token = Peek();
    bool negative = false;
    if (token.kind == TokenKind::kMinus) {
      negative = true;
      Next();
    }
    const Token& literal = Peek();
    std::unique_ptr<Expr> item;
    if (literal.kind == TokenKind::kInteger || literal.kind == TokenKind::kMoney) {
      item = Make(literal.kind == TokenKind::kInteger ? ExprKind::kInteger : ExprKind::kMoney, token);
      item->value = negative ? -literal.value : literal.value;
    } else if (!negative && literal.kind == TokenKind::kString) {
      item = Make(ExprKind::kString, literal);
      item->text = literal.text;
    } else if (!negative && (PeekKeyword("true") || PeekKeyword("false"))) {
      item = Make(ExprKind::kBool, literal);
      item->value = literal.text == "true";
    } else {
      Expected("取值列表中的常量（数字、金额、字符串或 true/false）");
      return nullptr;
    }
    Next();
    return item;
  }

  std::unique_ptr<Expr> ParseAdditive(int depth) {
    auto lhs = ParseMultiplicative(depth);
    while (lhs && (Peek().kind == TokenKind::kPlus || Peek().kind == TokenKind::kMinus)) {
      const Token op = Next();
      auto rhs = ParseMultiplicative(depth);
      if (!rhs) return nullptr;
      lhs = MakeBinary(op.kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSub, op, std::move(lhs),
                       std::move(rhs));
    }
    return lhs;
  }

  std::unique_ptr<Expr> ParseMultiplicative(int depth) {
    auto lhs = ParseUnary(depth);
    while (lhs && (Peek().kind == TokenKind::kStar || Peek().kind == TokenKind::kSlash)) {
      const Token op = Next();
      auto rhs = ParseUnary(depth);
      if (!rhs) return nullptr;
      lhs = MakeBinary(op.kind == TokenKind::kStar ? BinaryOp::kMul : BinaryOp::kDiv, op, std::move(lhs),
                       std::move(rhs));
    }
    return lhs;
  }

  std::unique_ptr<Expr> ParseUnary(int depth) {
    if (Peek().kind == TokenKind::kMinus) {
      if (!Enter(depth + 1)) return nullptr;
      const Token op = Next();
      auto operand = ParseUnary(depth + 1);
      if (!operand) return nullptr;
      // Fold a literal so that -9223372036854775808-like edge cases stay literal.
      if (operand->kind == ExprKind::kInteger || operand->kind == ExprKind::kMoney) {
        operand->value = -operand->value;
        operand->line = op.line;
        operand->column = op.column;
        return operand;
      }
      auto expr = Make(ExprKind::kNegate, op);
      expr->children.push_back(std::move(operand));
      if (!Seal(expr.get())) return nullptr;
      return expr;
    }
    return ParsePrimary(depth);
  }

  std::unique_ptr<Expr> ParsePrimary(int depth) {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kInteger:
      case TokenKind::kMoney: {
        auto expr = Make(token.kind == TokenKind::kInteger ? ExprKind::kInteger : ExprKind::kMoney, token);
        expr->value = token.value;
        Next();
        return expr;
      }
      case TokenKind::kString: {
        auto expr = Make(ExprKind::kString, token);
        expr->text = token.text;
        Next();
        return expr;
      }
      case TokenKind::kLeftParen: {
        Next();
        auto inner = ParseExpr(depth + 1);
        if (!inner) return nullptr;
        if (!Expect(TokenKind::kRightParen, "“)”")) return nullptr;
        return inner;
      }
      case TokenKind::kIdentifier:
        return ParseName(depth);
      default:
        Expected("表达式");
        return nullptr;
    }
  }

  std::unique_ptr<Expr> ParseName(int depth) {
    const Token token = Next();
    if (token.text == "true" || token.text == "false") {
      auto expr = Make(ExprKind::kBool, token);
      expr->value = token.text == "true";
      return expr;
    }
    if (IsKeyword(token.text)) {
      pos_--;
      Expected("表达式");
      return nullptr;
    }
    if (Peek().kind == TokenKind::kLeftParen) {
      Next();
      if (!Enter(depth + 1)) return nullptr;
      if (IsAggregateName(token.text) && Peek().kind == TokenKind::kIdentifier &&
          Peek(1).kind == TokenKind::kColon) {
        auto expr = Make(ExprKind::kAggregate, token);
        expr->text = token.text;
        const Token& variable = Next();
        if (IsKeyword(variable.text) || variable.text == "policy") {
          pos_--;
          Expected("成员变量名（如 m）");
          return nullptr;
        }
        expr->variable = variable.text;
        Next();  // ':'
        auto body = ParseExpr(depth + 1);
        if (!body) return nullptr;
        if (!Expect(TokenKind::kRightParen, "“)”")) return nullptr;
        expr->children.push_back(std::move(body));
        if (!Seal(expr.get())) return nullptr;
        return expr;
      }
      auto expr = Make(ExprKind::kCall, token);
      expr->text = token.text;
      if (Peek().kind != TokenKind::kRightParen) {
        while (true) {
          auto arg = ParseExpr(depth + 1);
          if (!arg) return nullptr;
          expr->children.push_back(std::move(arg));
          if (expr->children.size() > 16) {
            Error(Peek(), "函数参数过多");
            return nullptr;
          }
          if (Peek().kind == TokenKind::kComma) {
            Next();
            continue;
          }
          break;
        }
      }
      if (!Expect(TokenKind::kRightParen, "“,” 或 “)”")) return nullptr;
      if (!Seal(expr.get())) return nullptr;
      return expr;
    }
    auto expr = Make(ExprKind::kPath, token);
    expr->path.push_back(token.text);
    while (Peek().kind == TokenKind::kDot) {
      Next();
      if (Peek().kind != TokenKind::kIdentifier) {
        Expected("“.” 后的字段名");
        return nullptr;
      }
      expr->path.push_back(Next().text);
      if (expr->path.size() > 2) {
        Error(token, "字段引用最多两段（如 m.health、policy.year）");
        return nullptr;
      }
    }
    return expr;
  }

  std::vector<Token> tokens_;
  std::vector<Diagnostic>* diagnostics_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  bool aborted_ = false;
};

}  // namespace

std::vector<RuleAst> ParseRules(std::string_view text, std::vector<Diagnostic>* diagnostics) {
  const std::size_t before = diagnostics->size();
  std::vector<Token> tokens = Lex(text, diagnostics);
  for (std::size_t idx = before; idx < diagnostics->size(); ++idx) {
    if ((*diagnostics)[idx].kind == DiagnosticKind::kLimit) return {};
  }
  Parser parser(std::move(tokens), diagnostics);
  return parser.ParseFile();
}

std::unique_ptr<Expr> ParseExpression(std::string_view text, std::vector<Diagnostic>* diagnostics) {
  const std::size_t before = diagnostics->size();
  std::vector<Token> tokens = Lex(text, diagnostics);
  if (diagnostics->size() != before) return nullptr;
  Parser parser(std::move(tokens), diagnostics);
  return parser.ParseStandaloneExpression();
}

}  // namespace zx::rules
