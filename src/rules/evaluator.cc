// Vectorised evaluation of compiled programs over columnar data, and the
// formatting of explanations.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "rules/rule_set.h"

namespace zx::rules {
namespace {

constexpr std::size_t kBatch = 1024;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

inline std::int64_t SatAdd(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return b > 0 ? kMax : kMin;
  return out;
}
inline std::int64_t SatSub(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_sub_overflow(a, b, &out)) return b < 0 ? kMax : kMin;
  return out;
}
inline std::int64_t SatMul(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return ((a < 0) != (b < 0)) ? kMin : kMax;
  return out;
}
// Division by zero yields 0; kMin / -1 saturates; otherwise truncates toward zero.
inline std::int64_t SafeDiv(std::int64_t a, std::int64_t b) {
  if (b == 0) return 0;
  if (a == kMin && b == -1) return kMax;
  return a / b;
}

// Completed years and months between two dates given as days.
inline std::int64_t AgeBetween(std::int64_t from_days, std::int64_t to_days) {
  const Date from = Date::FromDays(from_days);
  const Date to = Date::FromDays(to_days);
  return AgeOn(from, to);
}
inline std::int64_t MonthsBetween(std::int64_t from_days, std::int64_t to_days) {
  const bool negative = to_days < from_days;
  const Date a = Date::FromDays(negative ? to_days : from_days);
  const Date b = Date::FromDays(negative ? from_days : to_days);
  std::int64_t months = (static_cast<std::int64_t>(b.year) - a.year) * 12 + (b.month - a.month);
  if (b.day < a.day) --months;
  return negative ? -months : months;
}

// Scratch space for one program over one batch.
class Machine {
 public:
  explicit Machine(const ColumnarData& data) : data_(data) {}

  // Prepares the person index of households [begin, begin + count).
  void SetBatch(std::size_t begin, std::size_t count) {
    begin_ = begin;
    count_ = count;
    const auto& offsets = data_.households.person_begin;
    person_begin_ = offsets[begin];
    person_count_ = offsets[begin + count] - person_begin_;
    local_.resize(person_count_);
    const std::uint32_t* household = data_.persons.household.data() + person_begin_;
    for (std::size_t p = 0; p < person_count_; ++p) {
      local_[p] = household[p] - static_cast<std::uint32_t>(begin);
    }
  }

  // Runs `program`; returns the result register (count_ values).
  const std::int64_t* Run(const Program& program) {
    household_.resize(static_cast<std::size_t>(program.household_registers) * kBatch);
    const std::size_t person_stride = std::max<std::size_t>(person_count_, 1);
    person_.resize(static_cast<std::size_t>(program.person_registers) * person_stride);
    for (const Instruction& instruction : program.code) Step(program, instruction, person_stride);
    return &household_[static_cast<std::size_t>(program.result) * kBatch];
  }

 private:
  void Step(const Program& program, const Instruction& in, std::size_t person_stride) {
    const bool person = in.scope == Scope::kPerson;
    const std::size_t n = person ? person_count_ : count_;
    auto reg = [&](int idx) {
      return person ? &person_[static_cast<std::size_t>(idx) * person_stride]
                    : &household_[static_cast<std::size_t>(idx) * kBatch];
    };
    std::int64_t* dst = reg(in.dst);
    const std::int64_t* a = nullptr;
    const std::int64_t* b = nullptr;
    switch (in.op) {
      case OpCode::kLoadField:
        if (person) {
          data_.persons.fields[in.field].LoadInto(person_begin_, n, dst);
        } else {
          data_.households.fields[in.field].LoadInto(begin_, n, dst);
        }
        return;
      case OpCode::kGatherHousehold:
        data_.households.fields[in.field].GatherInto(begin_, local_.data(), n, dst);
        return;
      case OpCode::kConst:
        std::fill(dst, dst + n, in.imm);
        return;
      case OpCode::kStringIn: {
        const auto& set = program.string_sets[in.set];
        const auto& numbers = data_.households.household_number;
        for (std::size_t k = 0; k < n; ++k) {
          const std::string& value = numbers[begin_ + (person ? local_[k] : k)];
          dst[k] = std::find(set.begin(), set.end(), value) != set.end();
        }
        return;
      }
      case OpCode::kAny:
      case OpCode::kAll:
      case OpCode::kCount:
      case OpCode::kSum: {
        // Household-scope destination over a person-scope source.
        dst = &household_[static_cast<std::size_t>(in.dst) * kBatch];
        const std::int64_t* src = &person_[static_cast<std::size_t>(in.a) * person_stride];
        const std::int64_t init = in.op == OpCode::kAll ? 1 : 0;
        std::fill(dst, dst + count_, init);
        const std::uint32_t* local = local_.data();
        switch (in.op) {
          case OpCode::kAny:
            for (std::size_t p = 0; p < person_count_; ++p) dst[local[p]] |= src[p] != 0;
            break;
          case OpCode::kAll:
            for (std::size_t p = 0; p < person_count_; ++p) dst[local[p]] &= src[p] != 0;
            break;
          case OpCode::kCount:
            for (std::size_t p = 0; p < person_count_; ++p) dst[local[p]] += src[p] != 0;
            break;
          default:
            for (std::size_t p = 0; p < person_count_; ++p) {
              dst[local[p]] = SatAdd(dst[local[p]], src[p]);
            }
            break;
        }
        return;
      }
      default:
        break;
    }
    a = reg(in.a);
    b = reg(in.b);
    switch (in.op) {
      case OpCode::kAdd:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatAdd(a[k], b[k]);
        break;
      case OpCode::kSub:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatSub(a[k], b[k]);
        break;
      case OpCode::kMul:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatMul(a[k], b[k]);
        break;
      case OpCode::kDiv:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SafeDiv(a[k], b[k]);
        break;
      case OpCode::kNeg:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatSub(0, a[k]);
        break;
      case OpCode::kEq:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] == b[k];
        break;
      case OpCode::kNe:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] != b[k];
        break;
      case OpCode::kLt:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] < b[k];
        break;
      case OpCode::kLe:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] <= b[k];
        break;
      case OpCode::kGt:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] > b[k];
        break;
      case OpCode::kGe:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] >= b[k];
        break;
      case OpCode::kAnd:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] & b[k];
        break;
      case OpCode::kOr:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] | b[k];
        break;
      case OpCode::kNot:
        for (std::size_t k = 0; k < n; ++k) dst[k] = a[k] == 0;
        break;
      case OpCode::kMin:
        for (std::size_t k = 0; k < n; ++k) dst[k] = std::min(a[k], b[k]);
        break;
      case OpCode::kMax:
        for (std::size_t k = 0; k < n; ++k) dst[k] = std::max(a[k], b[k]);
        break;
      case OpCode::kToFen:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatMul(a[k], 100);
        break;
      case OpCode::kIn: {
        const auto& set = program.sets[in.set];
        if (set.size() <= 8) {
          for (std::size_t k = 0; k < n; ++k) {
            std::int64_t hit = 0;
            for (std::int64_t value : set) hit |= a[k] == value;
            dst[k] = hit;
          }
        } else {
          for (std::size_t k = 0; k < n; ++k) {
            dst[k] = std::binary_search(set.begin(), set.end(), a[k]);
          }
        }
        break;
      }
      case OpCode::kAgeAt:
        for (std::size_t k = 0; k < n; ++k) dst[k] = AgeBetween(a[k], b[k]);
        break;
      case OpCode::kMonthsBetween:
        for (std::size_t k = 0; k < n; ++k) dst[k] = MonthsBetween(a[k], b[k]);
        break;
      case OpCode::kDaysBetween:
        for (std::size_t k = 0; k < n; ++k) dst[k] = SatSub(b[k], a[k]);
        break;
      default:
        break;
    }
  }

  const ColumnarData& data_;
  std::size_t begin_ = 0;
  std::size_t count_ = 0;
  std::size_t person_begin_ = 0;
  std::size_t person_count_ = 0;
  std::vector<std::uint32_t> local_;
  std::vector<std::int64_t> household_;
  std::vector<std::int64_t> person_;
};

std::string FormatYuanForPeople(Fen fen) {
  std::string text = FormatYuanGrouped(fen);
  if (text.size() > 3 && text.compare(text.size() - 3, 3, ".00") == 0) text.resize(text.size() - 3);
  return text;
}

}  // namespace

Result<std::vector<std::vector<std::uint8_t>>> EvaluateAll(const RuleSet& rules, const ColumnarData& data) {
  return EvaluateSelected(rules, data, std::vector<bool>(rules.rules().size(), true));
}

Result<std::vector<std::vector<std::uint8_t>>> EvaluateSelected(const RuleSet& rules,
                                                                const ColumnarData& data,
                                                                const std::vector<bool>& selected) {
  if (data.households.year != rules.year() || data.households.reference_date != rules.reference_date()) {
    return FailedPrecondition(fmt::format(
        "规则按 {} 年（参照日期 {}）编译，数据却是 {} 年（参照日期 {}）的，请重新编译规则", rules.year(),
        rules.reference_date().ToIso(), data.households.year, data.households.reference_date.ToIso()));
  }
  const std::size_t size = data.households.size;
  std::vector<std::vector<std::uint8_t>> fired(rules.rules().size());
  for (std::size_t rule_idx = 0; rule_idx < fired.size(); ++rule_idx) {
    if (rule_idx < selected.size() && selected[rule_idx]) fired[rule_idx].resize(size);
  }
  Machine machine(data);
  for (std::size_t begin = 0; begin < size; begin += kBatch) {
    const std::size_t count = std::min(kBatch, size - begin);
    machine.SetBatch(begin, count);
    for (std::size_t rule_idx = 0; rule_idx < rules.rules().size(); ++rule_idx) {
      if (fired[rule_idx].empty()) continue;
      const std::int64_t* result = machine.Run(rules.rules()[rule_idx].condition);
      std::uint8_t* out = fired[rule_idx].data() + begin;
      for (std::size_t k = 0; k < count; ++k) out[k] = result[k] != 0;
    }
  }
  return fired;
}

std::vector<std::int64_t> EvaluateProgram(const Program& program, const ColumnarData& data) {
  const std::size_t size = data.households.size;
  std::vector<std::int64_t> values(size);
  Machine machine(data);
  for (std::size_t begin = 0; begin < size; begin += kBatch) {
    const std::size_t count = std::min(kBatch, size - begin);
    machine.SetBatch(begin, count);
    const std::int64_t* result = machine.Run(program);
    std::copy(result, result + count, values.begin() + static_cast<std::ptrdiff_t>(begin));
  }
  return values;
}

std::int64_t EvaluateProgramAt(const Program& program, const ColumnarData& data, std::size_t household_idx) {
  Machine machine(data);
  machine.SetBatch(household_idx, 1);
  return machine.Run(program)[0];
}

std::string FormatValue(Type type, std::int64_t value) {
  switch (type.value) {
    case ValueType::kInt:
      return std::to_string(value);
    case ValueType::kMoney:
      return FormatYuanForPeople(value);
    case ValueType::kBool:
      return value ? "是" : "否";
    case ValueType::kDate:
      return Date::FromDays(value).ToIso();
    case ValueType::kEnum: {
      std::string_view label = EnumLabel(type.enum_kind, value);
      return label.empty() ? std::to_string(value) : std::string(label);
    }
    case ValueType::kString:
      return {};
  }
  return {};
}

std::string Explain(const CompiledRule& rule, const ColumnarData& data, std::size_t household_idx) {
  std::string text;
  for (const ExplainSegment& segment : rule.explain) {
    if (!segment.value) {
      text += segment.text;
    } else if (segment.value->result_type.value == ValueType::kString) {
      text += data.households.household_number[household_idx];
    } else {
      text += FormatValue(segment.value->result_type, EvaluateProgramAt(*segment.value, data, household_idx));
    }
  }
  return text;
}

}  // namespace zx::rules
