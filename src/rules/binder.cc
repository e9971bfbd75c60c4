// Binder and code generator: checks an AST against the field catalog and
// policy constants, types it and emits a Program (program.h).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rules/parser.h"
#include "rules/rule_set.h"

namespace zx::rules {
namespace {

// A bound sub-expression: a register, a constant not yet materialised, a
// string literal (only meaningful next to an enum or household_number) or
// the household_number field (only usable in ==, != and in).
struct Operand {
  Type type;
  enum class Form { kRegister, kConstant, kStringLiteral, kStringField } form = Form::kRegister;
  int reg = -1;
  std::int64_t value = 0;
  std::string text;
  int line = 0;
  int column = 0;
};

using Form = Operand::Form;

bool IsNumeric(Type type) { return type.value == ValueType::kInt || type.value == ValueType::kMoney; }

class Binder {
 public:
  Binder(const BindContext& context, std::vector<Diagnostic>* diagnostics)
      : context_(context), diagnostics_(diagnostics) {}

  // Binds `expr` into a fresh program; false if any error was reported.
  bool BindProgram(const Expr& expr, Program* program, bool allow_string) {
    program_ = Program{};
    scope_ = Scope::kHousehold;
    variable_.clear();
    const std::size_t before = diagnostics_->size();
    std::optional<Operand> result = Bind(expr);
    if (!result || diagnostics_->size() != before) return false;
    if (result->form == Form::kStringLiteral || (result->form == Form::kStringField && !allow_string)) {
      Error(expr, DiagnosticKind::kTypeMismatch, "此处不能只写字符串");
      return false;
    }
    program_.result_type = result->type;
    if (result->form != Form::kStringField) program_.result = Materialize(*result);
    *program = std::move(program_);
    return true;
  }

 private:
  void Error(int line, int column, DiagnosticKind kind, std::string message) {
    diagnostics_->push_back({line, column, kind, std::move(message)});
  }
  void Error(const Expr& at, DiagnosticKind kind, std::string message) {
    Error(at.line, at.column, kind, std::move(message));
  }

  int NewRegister(Scope scope) {
    return scope == Scope::kHousehold ? program_.household_registers++ : program_.person_registers++;
  }

  int Emit(OpCode op, int a = 0, int b = 0, std::int64_t imm = 0, int field = 0, int set = 0) {
    Instruction instruction;
    instruction.op = op;
    instruction.scope = scope_;
    instruction.a = a;
    instruction.b = b;
    instruction.imm = imm;
    instruction.field = field;
    instruction.set = set;
    instruction.dst = NewRegister(scope_);
    program_.code.push_back(instruction);
    return instruction.dst;
  }

  int Materialize(const Operand& operand) {
    if (operand.form == Form::kRegister) return operand.reg;
    return Emit(OpCode::kConst, 0, 0, operand.value);
  }

  static Operand Register(Type type, int reg, const Expr& at) {
    Operand operand;
    operand.type = type;
    operand.reg = reg;
    operand.line = at.line;
    operand.column = at.column;
    return operand;
  }
  static Operand Constant(Type type, std::int64_t value, const Expr& at) {
    Operand operand = Register(type, -1, at);
    operand.form = Form::kConstant;
    operand.value = value;
    return operand;
  }

  std::optional<Operand> Bind(const Expr& expr) {
    switch (expr.kind) {
      case ExprKind::kInteger:
        return Constant({ValueType::kInt}, expr.value, expr);
      case ExprKind::kMoney:
        return Constant({ValueType::kMoney}, expr.value, expr);
      case ExprKind::kBool:
        return Constant({ValueType::kBool}, expr.value, expr);
      case ExprKind::kString: {
        Operand operand = Register({ValueType::kString}, -1, expr);
        operand.form = Form::kStringLiteral;
        operand.text = expr.text;
        return operand;
      }
      case ExprKind::kPath:
        return BindPath(expr);
      case ExprKind::kNegate:
        return BindNegate(expr);
      case ExprKind::kNot:
        return BindNot(expr);
      case ExprKind::kBinary:
        return BindBinary(expr);
      case ExprKind::kIn:
        return BindIn(expr);
      case ExprKind::kCall:
        return BindCall(expr);
      case ExprKind::kAggregate:
        return BindAggregate(expr);
    }
    return std::nullopt;
  }

  std::optional<Operand> BindPath(const Expr& expr) {
    const std::vector<std::string>& path = expr.path;
    if (path.size() == 2 && path[0] == "policy") {
      const std::string& name = path[1];
      if (name == "year") return Constant({ValueType::kInt}, context_.year, expr);
      if (name == "monitoring_line") {
        return Constant({ValueType::kMoney}, context_.monitoring_line, expr);
      }
      if (name == "reference_date") {
        return Constant({ValueType::kDate}, context_.reference_date.ToDays(), expr);
      }
      auto found = context_.constants.find(name);
      if (found == context_.constants.end()) {
        Error(expr, DiagnosticKind::kUnknownField, fmt::format("未知的政策参数 policy.{}", name));
        return std::nullopt;
      }
      return Constant(found->second.type, found->second.value, expr);
    }
    if (context_.scope == RuleScope::kFeedPerson) return BindFeedPersonPath(expr);
    if (path.size() == 2) {
      if (variable_.empty() || path[0] != variable_) {
        Error(expr, DiagnosticKind::kAggregateMisuse,
              variable_.empty() ? fmt::format("“{}.{}”：成员字段只能在 any/all/count/sum(成员变量: …) 中使用",
                                              path[0], path[1])
                                : fmt::format("未知的变量 {}（当前成员变量是 {}）", path[0], variable_));
        return std::nullopt;
      }
      const FieldInfo* field = FindPersonField(path[1]);
      if (field == nullptr) {
        Error(expr, DiagnosticKind::kUnknownField, fmt::format("未知的成员字段 {}", path[1]));
        return std::nullopt;
      }
      return Register(field->type, Emit(OpCode::kLoadField, 0, 0, 0, field->column), expr);
    }
    const std::string& name = path[0];
    const FieldInfo* field = FindHouseholdField(name);
    if (field == nullptr) {
      if (FindPersonField(name) != nullptr) {
        Error(expr, DiagnosticKind::kAggregateMisuse,
              fmt::format("{} 是成员字段，请在聚合中写成 m.{}，如 any(m: m.{} …)", name, name, name));
      } else if (name == variable_) {
        Error(expr, DiagnosticKind::kTypeMismatch,
              fmt::format("成员变量 {} 不能单独使用，请写成 {}.字段名", name, name));
      } else {
        Error(expr, DiagnosticKind::kUnknownField, fmt::format("未知字段 {}", name));
      }
      return std::nullopt;
    }
    if (field->type.value == ValueType::kString) {
      Operand operand = Register(field->type, -1, expr);
      operand.form = Form::kStringField;
      return operand;
    }
    const OpCode op = scope_ == Scope::kHousehold ? OpCode::kLoadField : OpCode::kGatherHousehold;
    return Register(field->type, Emit(op, 0, 0, 0, field->column), expr);
  }

  // Feed-person scope: one row per linked person; no members, no household.
  std::optional<Operand> BindFeedPersonPath(const Expr& expr) {
    const std::vector<std::string>& path = expr.path;
    if (path.size() == 2) {
      Error(expr, DiagnosticKind::kAggregateMisuse,
            fmt::format("预警规则按比对人员逐人计算，没有成员变量，不能使用 {}.{}", path[0], path[1]));
      return std::nullopt;
    }
    const std::string& name = path[0];
    const FieldInfo* field = FindFeedPersonField(name);
    if (field == nullptr) {
      std::string known;
      for (const FieldInfo& info : FeedPersonFieldCatalog()) {
        known += known.empty() ? "" : "、";
        known += info.name;
      }
      if (FindHouseholdField(name) != nullptr || FindPersonField(name) != nullptr) {
        Error(expr, DiagnosticKind::kUnknownField,
              fmt::format("{} 是{}字段，预警规则只能使用比对人员字段：{}", name,
                          FindHouseholdField(name) != nullptr ? "户" : "成员", known));
      } else {
        Error(expr, DiagnosticKind::kUnknownField,
              fmt::format("未知字段 {}（比对人员字段：{}）", name, known));
      }
      return std::nullopt;
    }
    return Register(field->type, Emit(OpCode::kLoadField, 0, 0, 0, field->column), expr);
  }

  bool RequireValue(const Operand& operand) {
    if (operand.form == Form::kStringLiteral || operand.form == Form::kStringField) {
      Error(operand.line, operand.column, DiagnosticKind::kTypeMismatch,
            "字符串只能与枚举字段或户编号比较（==、!=、in）");
      return false;
    }
    return true;
  }

  std::optional<Operand> BindNegate(const Expr& expr) {
    auto operand = Bind(*expr.children[0]);
    if (!operand || !RequireValue(*operand)) return std::nullopt;
    if (!IsNumeric(operand->type)) {
      Error(expr, DiagnosticKind::kTypeMismatch,
            fmt::format("负号只能用于整数或金额，不能用于{}", TypeName(operand->type)));
      return std::nullopt;
    }
    return Register(operand->type, Emit(OpCode::kNeg, Materialize(*operand)), expr);
  }

  std::optional<Operand> BindNot(const Expr& expr) {
    auto operand = Bind(*expr.children[0]);
    if (!operand || !RequireValue(*operand)) return std::nullopt;
    if (operand->type.value != ValueType::kBool) {
      Error(expr, DiagnosticKind::kTypeMismatch,
            fmt::format("not 只能用于布尔值，不能用于{}", TypeName(operand->type)));
      return std::nullopt;
    }
    return Register(operand->type, Emit(OpCode::kNot, Materialize(*operand)), expr);
  }

  // Resolves a string literal or integer code against an enum type.
  std::optional<std::int64_t> EnumValue(EnumKind kind, const Operand& operand) {
    if (operand.form == Form::kStringLiteral) {
      auto code = EnumCodeOf(kind, operand.text);
      if (!code) {
        Error(operand.line, operand.column, DiagnosticKind::kUnknownLabel,
              fmt::format("“{}” 不是{}代码表中的取值", operand.text, EnumKindName(kind)));
      }
      return code;
    }
    if (operand.form == Form::kConstant && operand.type.value == ValueType::kInt) {
      if (!IsEnumCode(kind, operand.value)) {
        Error(operand.line, operand.column, DiagnosticKind::kUnknownLabel,
              fmt::format("{} 不是{}代码表中的代码", operand.value, EnumKindName(kind)));
        return std::nullopt;
      }
      return operand.value;
    }
    Error(operand.line, operand.column, DiagnosticKind::kTypeMismatch,
          fmt::format("{}字段只能与其代码表中的中文标签或代码常量比较，不能与{}比较", EnumKindName(kind),
                      TypeName(operand.type)));
    return std::nullopt;
  }

  std::optional<Operand> BindBinary(const Expr& expr) {
    auto lhs = Bind(*expr.children[0]);
    auto rhs = Bind(*expr.children[1]);
    if (!lhs || !rhs) return std::nullopt;
    const BinaryOp op = expr.op;
    const bool equality = op == BinaryOp::kEq || op == BinaryOp::kNe;
    if (equality) {
      // household_number == "…"
      if (lhs->form == Form::kStringField || rhs->form == Form::kStringField) {
        const Operand& other = lhs->form == Form::kStringField ? *rhs : *lhs;
        if (other.form != Form::kStringLiteral) {
          Error(expr, DiagnosticKind::kTypeMismatch, "户编号只能与字符串常量比较");
          return std::nullopt;
        }
        program_.string_sets.push_back({other.text});
        const int reg =
            Emit(OpCode::kStringIn, 0, 0, 0, 0, static_cast<int>(program_.string_sets.size() - 1));
        Operand result = Register({ValueType::kBool}, reg, expr);
        if (op == BinaryOp::kNe) result.reg = Emit(OpCode::kNot, reg);
        return result;
      }
      // enum == "label" / code
      for (int side = 0; side < 2; ++side) {
        Operand& enum_side = side == 0 ? *lhs : *rhs;
        Operand& other = side == 0 ? *rhs : *lhs;
        if (enum_side.type.value == ValueType::kEnum && other.type != enum_side.type) {
          auto code = EnumValue(enum_side.type.enum_kind, other);
          if (!code) return std::nullopt;
          other = Constant(enum_side.type, *code, expr);
        }
      }
    }
    const bool ordering =
        op == BinaryOp::kLt || op == BinaryOp::kLe || op == BinaryOp::kGt || op == BinaryOp::kGe;
    if (ordering && (lhs->type.value == ValueType::kEnum || rhs->type.value == ValueType::kEnum ||
                     lhs->form == Form::kStringField || rhs->form == Form::kStringField)) {
      const Type shown = lhs->type.value == ValueType::kEnum ? lhs->type : rhs->type;
      Error(expr, DiagnosticKind::kTypeMismatch,
            fmt::format("大小比较只能用于整数、金额或日期，不能用于{}", TypeName(shown)));
      return std::nullopt;
    }
    if (!RequireValue(*lhs) || !RequireValue(*rhs)) return std::nullopt;
    const Type l = lhs->type;
    const Type r = rhs->type;
    auto mismatch = [&](std::string_view what) {
      Error(expr, DiagnosticKind::kTypeMismatch,
            fmt::format("{}的两边类型不符：左边是{}，右边是{}", what, TypeName(l), TypeName(r)));
      return std::nullopt;
    };
    Type result;
    OpCode code = OpCode::kAdd;
    switch (op) {
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
        if (!IsNumeric(l) || l != r) return mismatch(op == BinaryOp::kAdd ? "加法" : "减法");
        result = l;
        code = op == BinaryOp::kAdd ? OpCode::kAdd : OpCode::kSub;
        break;
      case BinaryOp::kMul:
        if (!IsNumeric(l) || !IsNumeric(r) ||
            (l.value == ValueType::kMoney && r.value == ValueType::kMoney)) {
          return mismatch("乘法");
        }
        result = l.value == ValueType::kMoney ? l : r;
        code = OpCode::kMul;
        break;
      case BinaryOp::kDiv:
        if (!IsNumeric(l) || !IsNumeric(r) || (l.value == ValueType::kInt && r.value == ValueType::kMoney)) {
          return mismatch("除法");
        }
        result = (l.value == ValueType::kMoney && r.value == ValueType::kInt) ? l : Type{ValueType::kInt};
        code = OpCode::kDiv;
        break;
      case BinaryOp::kEq:
      case BinaryOp::kNe:
        if (l != r) return mismatch("比较");
        result = {ValueType::kBool};
        code = op == BinaryOp::kEq ? OpCode::kEq : OpCode::kNe;
        break;
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe:
        if (l != r) return mismatch("比较");
        if (!IsNumeric(l) && l.value != ValueType::kDate) {
          Error(expr, DiagnosticKind::kTypeMismatch,
                fmt::format("大小比较只能用于整数、金额或日期，不能用于{}", TypeName(l)));
          return std::nullopt;
        }
        result = {ValueType::kBool};
        code = op == BinaryOp::kLt   ? OpCode::kLt
               : op == BinaryOp::kLe ? OpCode::kLe
               : op == BinaryOp::kGt ? OpCode::kGt
                                     : OpCode::kGe;
        break;
      case BinaryOp::kAnd:
      case BinaryOp::kOr:
        if (l.value != ValueType::kBool || r.value != ValueType::kBool) {
          return mismatch(op == BinaryOp::kAnd ? "and" : "or");
        }
        result = l;
        code = op == BinaryOp::kAnd ? OpCode::kAnd : OpCode::kOr;
        break;
    }
    const int a = Materialize(*lhs);
    const int b = Materialize(*rhs);
    return Register(result, Emit(code, a, b), expr);
  }

  std::optional<Operand> BindIn(const Expr& expr) {
    auto lhs = Bind(*expr.children[0]);
    if (!lhs) return std::nullopt;
    bool ok = true;
    if (lhs->form == Form::kStringField) {
      std::vector<std::string> set;
      for (std::size_t idx = 1; idx < expr.children.size(); ++idx) {
        const Expr& item = *expr.children[idx];
        if (item.kind != ExprKind::kString) {
          Error(item, DiagnosticKind::kTypeMismatch, "户编号只能与字符串常量比较");
          ok = false;
        }
        set.push_back(item.text);
      }
      if (!ok) return std::nullopt;
      program_.string_sets.push_back(std::move(set));
      int reg = Emit(OpCode::kStringIn, 0, 0, 0, 0, static_cast<int>(program_.string_sets.size() - 1));
      if (expr.negated) reg = Emit(OpCode::kNot, reg);
      return Register({ValueType::kBool}, reg, expr);
    }
    if (!RequireValue(*lhs)) return std::nullopt;
    std::vector<std::int64_t> set;
    for (std::size_t idx = 1; idx < expr.children.size(); ++idx) {
      auto item = Bind(*expr.children[idx]);
      if (!item) {
        ok = false;
        continue;
      }
      if (lhs->type.value == ValueType::kEnum) {
        auto code = EnumValue(lhs->type.enum_kind, *item);
        if (!code) {
          ok = false;
          continue;
        }
        set.push_back(*code);
      } else if (item->type != lhs->type || item->form != Form::kConstant) {
        Error(*expr.children[idx], DiagnosticKind::kTypeMismatch,
              fmt::format("in 列表中的取值类型是{}，与左边的{}不符", TypeName(item->type),
                          TypeName(lhs->type)));
        ok = false;
      } else {
        set.push_back(item->value);
      }
    }
    if (!ok) return std::nullopt;
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    program_.sets.push_back(std::move(set));
    int reg = Emit(OpCode::kIn, Materialize(*lhs), 0, 0, 0, static_cast<int>(program_.sets.size() - 1));
    if (expr.negated) reg = Emit(OpCode::kNot, reg);
    return Register({ValueType::kBool}, reg, expr);
  }

  std::optional<Operand> BindCall(const Expr& expr) {
    const std::string& name = expr.text;
    struct Signature {
      std::string_view name;
      std::size_t arity;
    };
    static constexpr Signature kFunctions[] = {
        {"date", 3},         {"yuan", 1}, {"age_at", 2}, {"months_between", 2},
        {"days_between", 2}, {"min", 2},  {"max", 2},
    };
    const Signature* signature = nullptr;
    for (const Signature& candidate : kFunctions) {
      if (candidate.name == name) signature = &candidate;
    }
    if (signature == nullptr) {
      if ((name == "any" || name == "all" || name == "count" || name == "sum") &&
          context_.scope == RuleScope::kFeedPerson) {
        Error(expr, DiagnosticKind::kAggregateMisuse,
              fmt::format("预警规则按比对人员逐人计算，不能使用成员聚合 {}(…)", name));
      } else if (name == "any" || name == "all" || name == "count" || name == "sum") {
        Error(expr, DiagnosticKind::kAggregateMisuse,
              fmt::format("{} 需要写成 {}(成员变量: 条件)，如 {}(m: m.age >= 60)", name, name, name));
      } else {
        Error(expr, DiagnosticKind::kUnknownFunction, fmt::format("未知函数 {}", name));
      }
      return std::nullopt;
    }
    if (expr.children.size() != signature->arity) {
      Error(
          expr, DiagnosticKind::kWrongArity,
          fmt::format("函数 {} 需要 {} 个参数，实际有 {} 个", name, signature->arity, expr.children.size()));
      return std::nullopt;
    }
    std::vector<Operand> args;
    bool ok = true;
    for (const auto& child : expr.children) {
      auto arg = Bind(*child);
      if (!arg || !RequireValue(*arg)) {
        ok = false;
        continue;
      }
      args.push_back(*arg);
    }
    if (!ok) return std::nullopt;
    auto want = [&](std::size_t idx, ValueType type) {
      if (args[idx].type.value == type) return true;
      Error(args[idx].line, args[idx].column, DiagnosticKind::kTypeMismatch,
            fmt::format("函数 {} 的第 {} 个参数应为{}，实际是{}", name, idx + 1, TypeName({type}),
                        TypeName(args[idx].type)));
      return false;
    };
    if (name == "date") {
      for (std::size_t idx = 0; idx < 3; ++idx) {
        if (!want(idx, ValueType::kInt)) return std::nullopt;
        if (args[idx].form != Form::kConstant) {
          Error(args[idx].line, args[idx].column, DiagnosticKind::kBadArgument,
                "date() 的参数必须是整数常量");
          return std::nullopt;
        }
      }
      const std::int64_t y = args[0].value, m = args[1].value, d = args[2].value;
      if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 ||
          !IsValidDate(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d))) {
        Error(expr, DiagnosticKind::kBadArgument, fmt::format("date({}, {}, {}) 不是有效日期", y, m, d));
        return std::nullopt;
      }
      return Constant({ValueType::kDate},
                      Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)}.ToDays(), expr);
    }
    if (name == "yuan") {
      if (!want(0, ValueType::kInt)) return std::nullopt;
      return Register({ValueType::kMoney}, Emit(OpCode::kToFen, Materialize(args[0])), expr);
    }
    if (name == "min" || name == "max") {
      if (!IsNumeric(args[0].type) && args[0].type.value != ValueType::kDate) {
        Error(expr, DiagnosticKind::kTypeMismatch, fmt::format("{} 只能用于整数、金额或日期", name));
        return std::nullopt;
      }
      if (args[0].type != args[1].type) {
        Error(expr, DiagnosticKind::kTypeMismatch,
              fmt::format("{} 的两个参数类型不符：{}，{}", name, TypeName(args[0].type),
                          TypeName(args[1].type)));
        return std::nullopt;
      }
      const int a = Materialize(args[0]);
      const int b = Materialize(args[1]);
      return Register(args[0].type, Emit(name == "min" ? OpCode::kMin : OpCode::kMax, a, b), expr);
    }
    // Date functions.
    if (!want(0, ValueType::kDate) || !want(1, ValueType::kDate)) return std::nullopt;
    const OpCode code = name == "age_at"           ? OpCode::kAgeAt
                        : name == "months_between" ? OpCode::kMonthsBetween
                                                   : OpCode::kDaysBetween;
    const int a = Materialize(args[0]);
    const int b = Materialize(args[1]);
    return Register({ValueType::kInt}, Emit(code, a, b), expr);
  }

  std::optional<Operand> BindAggregate(const Expr& expr) {
    if (context_.scope == RuleScope::kFeedPerson) {
      Error(expr, DiagnosticKind::kAggregateMisuse,
            fmt::format("预警规则按比对人员逐人计算，不能使用成员聚合 {}(…)", expr.text));
      return std::nullopt;
    }
    if (scope_ == Scope::kPerson) {
      Error(expr, DiagnosticKind::kAggregateMisuse, fmt::format("聚合 {} 不能嵌套在另一个聚合中", expr.text));
      return std::nullopt;
    }
    if (FindHouseholdField(expr.variable) != nullptr) {
      Error(expr, DiagnosticKind::kAggregateMisuse,
            fmt::format("成员变量名 {} 与户字段重名，请换一个名字（如 m）", expr.variable));
      return std::nullopt;
    }
    scope_ = Scope::kPerson;
    variable_ = expr.variable;
    auto body = Bind(*expr.children[0]);
    std::optional<int> body_reg;
    if (body && RequireValue(*body)) body_reg = Materialize(*body);
    scope_ = Scope::kHousehold;
    variable_.clear();
    if (!body_reg) return std::nullopt;
    const std::string& name = expr.text;
    if (name == "sum") {
      if (!IsNumeric(body->type)) {
        Error(expr, DiagnosticKind::kTypeMismatch,
              fmt::format("sum 的内容应为整数或金额，实际是{}", TypeName(body->type)));
        return std::nullopt;
      }
      return Register(body->type, Emit(OpCode::kSum, *body_reg), expr);
    }
    if (body->type.value != ValueType::kBool) {
      Error(expr, DiagnosticKind::kTypeMismatch,
            fmt::format("{} 的内容应为条件（布尔），实际是{}", name, TypeName(body->type)));
      return std::nullopt;
    }
    const OpCode code = name == "any" ? OpCode::kAny : name == "all" ? OpCode::kAll : OpCode::kCount;
    return Register(code == OpCode::kCount ? Type{ValueType::kInt} : Type{ValueType::kBool},
                    Emit(code, *body_reg), expr);
  }

  const BindContext& context_;
  std::vector<Diagnostic>* diagnostics_;
  Program program_;
  Scope scope_ = Scope::kHousehold;
  std::string variable_;
};

bool ValidateContext(const BindContext& context, std::vector<Diagnostic>* diagnostics) {
  for (const auto& [name, constant] : context.constants) {
    if (name == "year" || name == "monitoring_line" || name == "reference_date") {
      diagnostics->push_back(
          {1, 1, DiagnosticKind::kDuplicateRule, fmt::format("政策参数 {} 与内置参数重名", name)});
      return false;
    }
  }
  return true;
}

}  // namespace

int RuleSet::Find(std::string_view id) const {
  for (std::size_t idx = 0; idx < rules_.size(); ++idx) {
    if (rules_[idx].id == id) return static_cast<int>(idx);
  }
  return -1;
}

Result<RuleSet> CompileRules(std::string_view text, const BindContext& context,
                             std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> local;
  std::vector<Diagnostic>& errors = diagnostics ? *diagnostics : local;
  const std::size_t before = errors.size();
  std::vector<Diagnostic> found;
  ValidateContext(context, &found);
  std::vector<RuleAst> asts = ParseRules(text, &found);
  RuleSet rule_set;
  rule_set.year_ = context.year;
  rule_set.reference_date_ = context.reference_date;
  Binder binder(context, &found);
  std::set<std::string, std::less<>> ids;
  for (RuleAst& ast : asts) {
    CompiledRule rule;
    rule.id = ast.id;
    rule.name = ast.name;
    rule.risk = ast.risk;
    rule.kind = ast.kind;
    rule.line = ast.line;
    rule.column = ast.column;
    if (!ids.insert(ast.id).second) {
      found.push_back(
          {ast.line, ast.column, DiagnosticKind::kDuplicateRule, fmt::format("规则编号 {} 重复", ast.id)});
    }
    if (!context.risk_codes.empty() && !ast.risk.empty() &&
        std::find(context.risk_codes.begin(), context.risk_codes.end(), ast.risk) ==
            context.risk_codes.end()) {
      found.push_back({ast.line, ast.column, DiagnosticKind::kUnknownLabel,
                       fmt::format("规则 {} 的风险类型代码 “{}” 不在风险类型代码表中", ast.id, ast.risk)});
    }
    if (binder.BindProgram(*ast.when, &rule.condition, false) &&
        rule.condition.result_type.value != ValueType::kBool) {
      found.push_back(
          {ast.when->line, ast.when->column, DiagnosticKind::kTypeMismatch,
           fmt::format("when 后面应为条件（布尔），实际是{}", TypeName(rule.condition.result_type))});
    }
    for (TemplatePart& part : ast.explain) {
      ExplainSegment segment;
      if (part.expr) {
        Program program;
        if (binder.BindProgram(*part.expr, &program, true)) segment.value = std::move(program);
      } else {
        segment.text = std::move(part.text);
      }
      rule.explain.push_back(std::move(segment));
    }
    rule_set.rules_.push_back(std::move(rule));
  }
  std::stable_sort(found.begin(), found.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  errors.insert(errors.end(), found.begin(), found.end());
  if (errors.size() != before) {
    return ToStatus(std::vector<Diagnostic>(errors.begin() + before, errors.end()));
  }
  return rule_set;
}

Result<Program> CompileExpression(std::string_view text, const BindContext& context,
                                  std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> local;
  std::vector<Diagnostic>& errors = diagnostics ? *diagnostics : local;
  const std::size_t before = errors.size();
  std::unique_ptr<Expr> expr = ParseExpression(text, &errors);
  Program program;
  if (expr) {
    Binder binder(context, &errors);
    binder.BindProgram(*expr, &program, false);
  }
  if (errors.size() != before || !expr) {
    return ToStatus(std::vector<Diagnostic>(errors.begin() + before, errors.end()));
  }
  return program;
}

}  // namespace zx::rules
