// The household exchange template: one row per PERSON, the household's
// columns repeated on every member row, Chinese headers as in the national
// monitoring system, then six money columns per income year
// ("2022年工资性收入（元）" ...). Import and export both speak this file
// layout; docs/formats/households.md documents it column by column.
//
// Invariants: every TemplateField has exactly one column; headers are
// compared after NormalizeField (full-width brackets and spaces do not
// matter). Column order in a file is free.
// Thread-safety: immutable tables and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zx {

/// The fixed (non-year) columns of the template, in template order.
enum class TemplateField : std::uint8_t {
  kHouseholdNumber,         // 户编号
  kVillageCode,             // 所在村代码
  kHouseholdType,           // 户类型
  kPovertyExitYear,         // 脱贫年度
  kSafetyNet,               // 兜底保障户
  kRelocated,               // 易地搬迁户
  kHousing,                 // 住房安全等级
  kFoodClothing,            // 不愁吃穿
  kWaterQuantity,           // 饮水水量达标
  kWaterQuality,            // 饮水水质达标
  kWaterConvenience,        // 取水便利
  kWaterReliability,        // 供水保证率达标
  kPhone,                   // 联系电话
  kName,                    // 姓名
  kIdNumber,                // 证件号码
  kSex,                     // 性别
  kBirthDate,               // 出生日期
  kRelation,                // 与户主关系
  kEthnicity,               // 民族
  kEducation,               // 文化程度
  kSchooling,               // 在校生状况
  kHealth,                  // 健康状况
  kDisabilityGrade,         // 残疾等级
  kLabourSkill,             // 劳动技能
  kMigrantMonths,           // 务工月数
  kMedicalInsurance,        // 参加基本医疗保险
  kMinimumLivingAllowance,  // 享受低保
  kExtremeHardship,         // 特困供养
  kDeceased,                // 是否死亡
};
inline constexpr int kTemplateFieldCount = 29;

/// The six money columns of one income year.
enum class IncomeField : std::uint8_t {
  kWage,                  // 工资性收入
  kBusiness,              // 生产经营性收入
  kProperty,              // 财产性收入
  kTransfer,              // 转移性收入
  kProductionCost,        // 生产经营性支出
  kCompliantOutOfPocket,  // 合规自付支出
};
inline constexpr int kIncomeFieldCount = 6;

/// Year columns are recognised for these years.
inline constexpr int kMinIncomeYear = 2000;
inline constexpr int kMaxIncomeYear = 2099;

/// Description of one fixed column (also the source of the template's
/// 填写说明 sheet and of docs/formats/households.md).
struct TemplateColumn {
  TemplateField field;
  std::string_view header;   // exact Chinese header
  bool household_level;      // must agree on every row of a household
  bool required;             // the column must be present in a file
  bool empty_allowed;        // a cell may be blank (default documented in meaning)
  std::string_view meaning;  // what it holds
  std::string_view allowed;  // allowed values
  std::string_view example;  // example value
  double width;              // xlsx column width
};

/// All fixed columns in template order (index == static_cast<int>(field)).
const std::array<TemplateColumn, kTemplateFieldCount>& TemplateColumns();
const TemplateColumn& ColumnOf(TemplateField field);

/// "工资性收入" etc.
std::string_view IncomeFieldLabel(IncomeField field);
/// "2022年工资性收入（元）".
std::string IncomeColumnHeader(int year, IncomeField field);

/// Finds the fixed column whose header equals `header` after NormalizeField.
std::optional<TemplateField> FindTemplateField(std::string_view header);

/// Recognises a year column: "<YYYY>年<label>（元）" (brackets full- or
/// half-width, the "（元）" suffix optional, spaces ignored), YYYY in
/// [kMinIncomeYear, kMaxIncomeYear].
bool ParseIncomeColumnHeader(std::string_view header, int* year, IncomeField* field);

/// Columns that may appear in national-system exports and carry nothing we
/// store (序号, 备注): ignored with a warning instead of an error.
bool IsIgnorableColumn(std::string_view header);

/// The template header for the given income years (ascending).
std::vector<std::string> TemplateHeader(const std::vector<int>& years);

/// The income years the export and the blank template always carry.
std::vector<int> DefaultIncomeYears();

}  // namespace zx
