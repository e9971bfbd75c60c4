// The field catalog of the rule language: every household field (for the
// selected year) and every person field a rule may name, with its type and
// Chinese display name, plus the enum code tables used to resolve labels such
// as "患有大病" at bind time. A second, separate catalog holds the fields of
// the feed-person scope (department signals: one row per linked person of a
// department file, docs/formats/rules.md).
//
// Values of every type travel as int64 inside the evaluator: money in fen,
// dates as days since 1970-01-01, booleans 0/1, enums as their code.
// Thread-safety: immutable static tables.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zx::rules {

enum class ValueType : std::uint8_t { kInt, kMoney, kBool, kDate, kEnum, kString };

/// Code tables an enum field draws from (registry.h).
enum class EnumKind : std::uint8_t {
  kNone,
  kSex,
  kHousingRating,
  kRelation,
  kEthnicity,
  kEducation,
  kSchoolingStatus,
  kHealth,
  kLabourSkill,
};

struct Type {
  ValueType value = ValueType::kInt;
  EnumKind enum_kind = EnumKind::kNone;
  bool operator==(const Type&) const = default;
};

/// Chinese name of a type, for messages: 整数, 金额, 布尔, 日期, 枚举（健康状况）, 字符串.
std::string TypeName(Type type);

/// Household fields; the value is the column index in HouseholdColumns.
enum class HouseholdField : std::uint8_t {
  kVillageCode,
  kCountyCode,
  kExPoor,
  kPovertyExitYear,
  kSafetyNet,
  kRelocated,
  kHousing,
  kFoodClothingSecure,
  kWaterQuantityOk,
  kWaterQualityOk,
  kWaterConvenienceOk,
  kWaterReliabilityOk,
  kHasIncomeYear,
  kWageIncome,
  kBusinessIncome,
  kPropertyIncome,
  kTransferIncome,
  kProductionCost,
  kCompliantOutOfPocket,
  kNetIncome,
  kPerCapitaNetIncome,
  kHasPrevIncomeYear,
  kPrevNetIncome,
  kPrevPerCapitaNetIncome,
  kLivingSize,
  kMemberCount,
  kDeceasedMembers,
  kHeadDeceased,
  kHouseholdNumber,  // the one string field; kept last (not a numeric column)
};
constexpr int kNumericHouseholdFields = static_cast<int>(HouseholdField::kHouseholdNumber);

/// Person fields (living members only); the value is the column index.
enum class PersonField : std::uint8_t {
  kAge,
  kBirthDate,
  kSex,
  kRelation,
  kEthnicity,
  kEducation,
  kSchooling,
  kHealth,
  kDisabilityGrade,
  kLabourSkill,
  kMigrantWorkMonths,
  kMedicalInsurance,
  kMinimumLivingAllowance,
  kExtremeHardship,
};
constexpr int kPersonFieldCount = static_cast<int>(PersonField::kExtremeHardship) + 1;

/// Feed-person fields (department signals, one row per person linked in a
/// department file); the value is the column index in the household slots of
/// a feed-person ColumnarData (columns.h, BuildFeedPersonColumns).
enum class FeedPersonField : std::uint8_t {
  kOutOfPocket12m,
  kMaxTotalCost,
  kMaxAmount,
  kRows,
  kExPoor,
  kDeceased,
  kAsOf,
  kWindowStart,
};
constexpr int kFeedPersonFieldCount = static_cast<int>(FeedPersonField::kWindowStart) + 1;

enum class FieldScope : std::uint8_t { kHousehold, kPerson, kFeedPerson };

struct FieldInfo {
  std::string_view name;          // as written in rules: per_capita_net_income
  std::string_view display_name;  // 家庭人均纯收入
  FieldScope scope;
  int column;  // HouseholdField, PersonField or FeedPersonField value
  Type type;
};

/// Every field of one scope, in column order.
std::span<const FieldInfo> HouseholdFieldCatalog();
std::span<const FieldInfo> PersonFieldCatalog();
std::span<const FieldInfo> FeedPersonFieldCatalog();

/// Looks a field up by rule name; nullptr if unknown.
const FieldInfo* FindHouseholdField(std::string_view name);
const FieldInfo* FindPersonField(std::string_view name);
const FieldInfo* FindFeedPersonField(std::string_view name);

/// Chinese name of an enum's code table: 性别, 住房安全等级, 与户主关系 …
std::string_view EnumKindName(EnumKind kind);
/// Canonical label of a code, or "" if the code is not in the table.
std::string_view EnumLabel(EnumKind kind, std::int64_t code);
/// Resolves a label (canonical or an accepted synonym) to its code.
std::optional<std::int64_t> EnumCodeOf(EnumKind kind, std::string_view label);
/// Whether `code` is a value of the table.
bool IsEnumCode(EnumKind kind, std::int64_t code);

}  // namespace zx::rules
