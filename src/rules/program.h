// A compiled expression: a flat, typed instruction list over int64 registers
// of one batch of households (household scope) or of the persons of that
// batch (person scope, inside aggregates). Each register is written by
// exactly one instruction, and instructions appear after the ones they read,
// so running them in order once per batch evaluates the expression for every
// household of the batch. There are no jumps: evaluation is bounded by the
// instruction count times the batch size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules/field_catalog.h"

namespace zx::rules {

enum class Scope : std::uint8_t { kHousehold, kPerson };

enum class OpCode : std::uint8_t {
  kLoadField,        // dst = column `field` (of the instruction's scope)
  kGatherHousehold,  // person scope: dst = household column `field` of each person's household
  kConst,            // dst = imm
  kStringIn,         // dst = household_number ∈ strings[set]  (either scope)
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kNot,
  kIn,  // dst = a ∈ sets[set]
  kMin,
  kMax,
  kToFen,          // dst = a * 100 (saturating): yuan(int)
  kAgeAt,          // dst = completed years from date a to date b
  kMonthsBetween,  // dst = completed months from date a to date b (negative if b < a)
  kDaysBetween,    // dst = b - a in days
  kAny,
  kAll,
  kCount,
  kSum,  // household dst over person register a (living members)
};

struct Instruction {
  OpCode op = OpCode::kConst;
  Scope scope = Scope::kHousehold;
  int dst = 0;
  int a = 0;
  int b = 0;
  int field = 0;
  int set = 0;
  std::int64_t imm = 0;
};

struct Program {
  std::vector<Instruction> code;
  int household_registers = 0;
  int person_registers = 0;
  int result = 0;  // household register holding the value
  Type result_type;
  std::vector<std::vector<std::int64_t>> sets;  // sorted
  std::vector<std::vector<std::string>> string_sets;
};

}  // namespace zx::rules
