// The household registry model (DOMAIN.md §3–§6, §12): households, their
// members and a per-year income panel. Plain value types; storage, import and
// the generator all speak these structs.
//
// Invariants (checked by ValidateHouseholdRecord in registry_validation.h):
//   * money is integer fen and never negative;
//   * exactly one living member has relation kHead;
//   * id_number is a valid normalised 18-character resident ID whose birth
//     date and sex agree with the person's fields;
//   * village_code is a 12-digit village-level division code.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/money.h"

namespace zx {

/// 12-digit GB/T 2260 + township/village code, e.g. 630121100201.
using DivisionCode = std::int64_t;

// Code tables. Numeric values are stored; labels live in code_tables.cc.
enum class Sex : std::uint8_t { kMale = 1, kFemale = 2 };

enum class HousingRating : std::uint8_t { kA = 1, kB = 2, kC = 3, kD = 4 };  // C, D: dangerous

enum class Relation : std::uint8_t {
  kHead = 1,
  kSpouse = 2,
  kSon = 3,
  kDaughter = 4,
  kDaughterInLaw = 5,
  kSonInLaw = 6,
  kGrandson = 7,
  kGranddaughter = 8,
  kFather = 9,
  kMother = 10,
  kSibling = 11,
  kOther = 99,
};

enum class Ethnicity : std::uint8_t {
  kHan = 1,
  kTibetan = 2,
  kHui = 3,
  kTu = 4,
  kSalar = 5,
  kMongol = 6,
  kOther = 99,
};

enum class Education : std::uint8_t {
  kPreschool = 1,   // 学龄前儿童
  kIlliterate = 2,  // 文盲或半文盲
  kPrimary = 3,     // 小学
  kJuniorHigh = 4,  // 初中
  kSeniorHigh = 5,  // 高中
  kVocational = 6,  // 中专（中职）
  kCollege = 7,     // 大专及以上
};

enum class SchoolingStatus : std::uint8_t {
  kNotInSchool = 1,   // 非在校生
  kPreschool = 2,     // 学前教育
  kCompulsory = 3,    // 义务教育在校（小学、初中）
  kHighSchool = 4,    // 高中或中职在校
  kHigher = 5,        // 高等教育在校
  kDropout = 6,       // 辍学
  kHealthExempt = 7,  // 因身体原因不能上学（送教上门等）
};

enum class Health : std::uint8_t {
  kHealthy = 1,         // 健康
  kChronic = 2,         // 长期慢性病
  kSeriousIllness = 3,  // 患有大病
  kDisabled = 4,        // 残疾
};

enum class LabourSkill : std::uint8_t {
  kSkilled = 1,      // 技能劳动力
  kOrdinary = 2,     // 普通劳动力
  kWeak = 3,         // 弱劳动力或半劳动力
  kLostAbility = 4,  // 丧失劳动力
  kNone = 5,         // 无劳动力（未成年、在校生、老人）
};

/// One year of household income (DOMAIN.md §3), all in fen.
struct HouseholdYear {
  int year = 0;
  Fen wage_income = 0;              // 工资性收入
  Fen business_income = 0;          // 生产经营性收入
  Fen property_income = 0;          // 财产性收入
  Fen transfer_income = 0;          // 转移性收入
  Fen production_cost = 0;          // 生产经营性支出
  Fen compliant_out_of_pocket = 0;  // 合规自付支出（医疗等）

  /// Net income by the national formula.
  Fen NetIncome() const {
    return wage_income + business_income + property_income + transfer_income - production_cost;
  }
  bool operator==(const HouseholdYear&) const = default;
};

struct Person {
  std::string name;
  std::string id_number;  // normalised 18-character resident ID
  Sex sex = Sex::kMale;
  Date birth_date;
  Relation relation = Relation::kOther;
  Ethnicity ethnicity = Ethnicity::kHan;
  Education education = Education::kPrimary;
  SchoolingStatus schooling = SchoolingStatus::kNotInSchool;
  Health health = Health::kHealthy;
  int disability_grade = 0;  // 0 none, 1 (most severe) .. 4
  LabourSkill labour_skill = LabourSkill::kOrdinary;
  int migrant_work_months = 0;            // 0..12, in the last year
  bool medical_insurance = true;          // 参加城乡居民基本医疗保险
  bool minimum_living_allowance = false;  // 低保
  bool extreme_hardship = false;          // 特困供养
  bool deceased = false;

  bool operator==(const Person&) const = default;
};

struct Household {
  std::string household_number;  // 户编号, unique in the registry
  DivisionCode village_code = 0;
  bool ex_poor = false;       // 脱贫户 (else 一般农户)
  int poverty_exit_year = 0;  // 脱贫年度 for ex-poor households, else 0
  bool safety_net = false;    // 兜底保障户
  bool relocated = false;     // 易地扶贫搬迁户
  HousingRating housing = HousingRating::kA;
  bool food_clothing_secure = true;  // 不愁吃不愁穿
  bool water_quantity_ok = true;     // 水量
  bool water_quality_ok = true;      // 水质
  bool water_convenience_ok = true;  // 取水便利
  bool water_reliability_ok = true;  // 供水保证率
  std::string phone;                 // 联系电话 (sensitive)

  bool operator==(const Household&) const = default;
};

/// A household with its members and its income panel: the unit of import,
/// export, generation and storage writes.
struct HouseholdRecord {
  Household household;
  std::vector<Person> members;       // head first by convention
  std::vector<HouseholdYear> years;  // sorted by year, at most one per year

  bool operator==(const HouseholdRecord&) const = default;

  /// Living members.
  int LivingSize() const;
  /// Per-capita net income for `year` in fen, or false if the year is absent
  /// or the household has no living member.
  bool PerCapitaNetIncome(int year, Fen* out) const;
};

/// Earliest and latest year of the income panel.
constexpr int kFirstPanelYear = 2020;
constexpr int kLastPanelYear = 2025;

}  // namespace zx
