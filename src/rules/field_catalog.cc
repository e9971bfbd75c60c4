#include "rules/field_catalog.h"

#include <array>

#include "domain/code_tables.h"
#include "domain/registry.h"

namespace zx::rules {
namespace {

constexpr Type kInt{ValueType::kInt, EnumKind::kNone};
constexpr Type kMoney{ValueType::kMoney, EnumKind::kNone};
constexpr Type kBool{ValueType::kBool, EnumKind::kNone};
constexpr Type kDate{ValueType::kDate, EnumKind::kNone};
constexpr Type kString{ValueType::kString, EnumKind::kNone};
constexpr Type Enum(EnumKind kind) { return {ValueType::kEnum, kind}; }

#define ZX_HH(id, name, display, type) \
  FieldInfo { name, display, FieldScope::kHousehold, static_cast<int>(HouseholdField::id), type }
#define ZX_PERSON(id, name, display, type) \
  FieldInfo { name, display, FieldScope::kPerson, static_cast<int>(PersonField::id), type }

const std::array kHouseholdFields = {
    ZX_HH(kVillageCode, "village_code", "村代码", kInt),
    ZX_HH(kCountyCode, "county_code", "县代码", kInt),
    ZX_HH(kExPoor, "ex_poor", "脱贫户", kBool),
    ZX_HH(kPovertyExitYear, "poverty_exit_year", "脱贫年度", kInt),
    ZX_HH(kSafetyNet, "safety_net", "兜底保障户", kBool),
    ZX_HH(kRelocated, "relocated", "易地扶贫搬迁户", kBool),
    ZX_HH(kHousing, "housing", "住房安全等级", Enum(EnumKind::kHousingRating)),
    ZX_HH(kFoodClothingSecure, "food_clothing_secure", "不愁吃不愁穿", kBool),
    ZX_HH(kWaterQuantityOk, "water_quantity_ok", "饮水水量达标", kBool),
    ZX_HH(kWaterQualityOk, "water_quality_ok", "饮水水质达标", kBool),
    ZX_HH(kWaterConvenienceOk, "water_convenience_ok", "取水便利", kBool),
    ZX_HH(kWaterReliabilityOk, "water_reliability_ok", "供水保证率达标", kBool),
    ZX_HH(kHasIncomeYear, "has_income_year", "有本年度收入记录", kBool),
    ZX_HH(kWageIncome, "wage_income", "工资性收入", kMoney),
    ZX_HH(kBusinessIncome, "business_income", "生产经营性收入", kMoney),
    ZX_HH(kPropertyIncome, "property_income", "财产性收入", kMoney),
    ZX_HH(kTransferIncome, "transfer_income", "转移性收入", kMoney),
    ZX_HH(kProductionCost, "production_cost", "生产经营性支出", kMoney),
    ZX_HH(kCompliantOutOfPocket, "compliant_out_of_pocket", "合规自付支出", kMoney),
    ZX_HH(kNetIncome, "net_income", "家庭纯收入", kMoney),
    ZX_HH(kPerCapitaNetIncome, "per_capita_net_income", "家庭人均纯收入", kMoney),
    ZX_HH(kHasPrevIncomeYear, "has_prev_income_year", "有上年度收入记录", kBool),
    ZX_HH(kPrevNetIncome, "prev_net_income", "上年度家庭纯收入", kMoney),
    ZX_HH(kPrevPerCapitaNetIncome, "prev_per_capita_net_income", "上年度家庭人均纯收入", kMoney),
    ZX_HH(kLivingSize, "living_size", "家庭人口数", kInt),
    ZX_HH(kMemberCount, "member_count", "登记成员数（含已故）", kInt),
    ZX_HH(kDeceasedMembers, "deceased_members", "已故成员数", kInt),
    ZX_HH(kHeadDeceased, "head_deceased", "户主已故", kBool),
    ZX_HH(kHouseholdNumber, "household_number", "户编号", kString),
};

const std::array kPersonFields = {
    ZX_PERSON(kAge, "age", "年龄", kInt),
    ZX_PERSON(kBirthDate, "birth_date", "出生日期", kDate),
    ZX_PERSON(kSex, "sex", "性别", Enum(EnumKind::kSex)),
    ZX_PERSON(kRelation, "relation", "与户主关系", Enum(EnumKind::kRelation)),
    ZX_PERSON(kEthnicity, "ethnicity", "民族", Enum(EnumKind::kEthnicity)),
    ZX_PERSON(kEducation, "education", "文化程度", Enum(EnumKind::kEducation)),
    ZX_PERSON(kSchooling, "schooling", "在校生状况", Enum(EnumKind::kSchoolingStatus)),
    ZX_PERSON(kHealth, "health", "健康状况", Enum(EnumKind::kHealth)),
    ZX_PERSON(kDisabilityGrade, "disability_grade", "残疾等级", kInt),
    ZX_PERSON(kLabourSkill, "labour_skill", "劳动技能", Enum(EnumKind::kLabourSkill)),
    ZX_PERSON(kMigrantWorkMonths, "migrant_work_months", "务工时间（月）", kInt),
    ZX_PERSON(kMedicalInsurance, "medical_insurance", "参加城乡居民基本医疗保险", kBool),
    ZX_PERSON(kMinimumLivingAllowance, "minimum_living_allowance", "享受低保", kBool),
    ZX_PERSON(kExtremeHardship, "extreme_hardship", "特困供养", kBool),
};

#define ZX_FEED(id, name, display, type) \
  FieldInfo { name, display, FieldScope::kFeedPerson, static_cast<int>(FeedPersonField::id), type }

const std::array kFeedPersonFields = {
    ZX_FEED(kOutOfPocket12m, "out_of_pocket_12m", "截止日期前 12 个月个人自付合计", kMoney),
    ZX_FEED(kMaxTotalCost, "max_total_cost", "单行最高总费用", kMoney),
    ZX_FEED(kMaxAmount, "max_amount", "单行最高金额", kMoney),
    ZX_FEED(kRows, "rows", "本文件中的行数", kInt),
    ZX_FEED(kExPoor, "ex_poor", "脱贫户（监测对象）", kBool),
    ZX_FEED(kDeceased, "deceased", "登记为已故", kBool),
    ZX_FEED(kAsOf, "as_of", "截止日期", kDate),
    ZX_FEED(kWindowStart, "window_start", "12 个月窗口的第一天", kDate),
};

#undef ZX_HH
#undef ZX_PERSON
#undef ZX_FEED

template <typename E, typename ParseFn>
std::optional<std::int64_t> CodeVia(std::string_view label, ParseFn parse) {
  E value{};
  if (!parse(label, &value)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

template <typename E>
std::string_view LabelVia(std::int64_t code) {
  for (E value : AllValues<E>()) {
    if (static_cast<std::int64_t>(value) == code) return Label(value);
  }
  return {};
}

}  // namespace

std::string TypeName(Type type) {
  switch (type.value) {
    case ValueType::kInt:
      return "整数";
    case ValueType::kMoney:
      return "金额";
    case ValueType::kBool:
      return "布尔";
    case ValueType::kDate:
      return "日期";
    case ValueType::kString:
      return "字符串";
    case ValueType::kEnum:
      return "枚举（" + std::string(EnumKindName(type.enum_kind)) + "）";
  }
  return "未知";
}

std::span<const FieldInfo> HouseholdFieldCatalog() { return kHouseholdFields; }
std::span<const FieldInfo> PersonFieldCatalog() { return kPersonFields; }
std::span<const FieldInfo> FeedPersonFieldCatalog() { return kFeedPersonFields; }

const FieldInfo* FindHouseholdField(std::string_view name) {
  for (const FieldInfo& field : kHouseholdFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

const FieldInfo* FindPersonField(std::string_view name) {
  for (const FieldInfo& field : kPersonFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

const FieldInfo* FindFeedPersonField(std::string_view name) {
  for (const FieldInfo& field : kFeedPersonFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::string_view EnumKindName(EnumKind kind) {
  switch (kind) {
    case EnumKind::kNone:
      return "无";
    case EnumKind::kSex:
      return "性别";
    case EnumKind::kHousingRating:
      return "住房安全等级";
    case EnumKind::kRelation:
      return "与户主关系";
    case EnumKind::kEthnicity:
      return "民族";
    case EnumKind::kEducation:
      return "文化程度";
    case EnumKind::kSchoolingStatus:
      return "在校生状况";
    case EnumKind::kHealth:
      return "健康状况";
    case EnumKind::kLabourSkill:
      return "劳动技能";
  }
  return "未知";
}

std::string_view EnumLabel(EnumKind kind, std::int64_t code) {
  switch (kind) {
    case EnumKind::kNone:
      return {};
    case EnumKind::kSex:
      return LabelVia<Sex>(code);
    case EnumKind::kHousingRating:
      return LabelVia<HousingRating>(code);
    case EnumKind::kRelation:
      return LabelVia<Relation>(code);
    case EnumKind::kEthnicity:
      return LabelVia<Ethnicity>(code);
    case EnumKind::kEducation:
      return LabelVia<Education>(code);
    case EnumKind::kSchoolingStatus:
      return LabelVia<SchoolingStatus>(code);
    case EnumKind::kHealth:
      return LabelVia<Health>(code);
    case EnumKind::kLabourSkill:
      return LabelVia<LabourSkill>(code);
  }
  return {};
}

std::optional<std::int64_t> EnumCodeOf(EnumKind kind, std::string_view label) {
  switch (kind) {
    case EnumKind::kNone:
      return std::nullopt;
    case EnumKind::kSex:
      return CodeVia<Sex>(label, ParseSex);
    case EnumKind::kHousingRating:
      return CodeVia<HousingRating>(label, ParseHousingRating);
    case EnumKind::kRelation:
      return CodeVia<Relation>(label, ParseRelation);
    case EnumKind::kEthnicity: {
      // ParseEthnicity maps any "…族" to 其他; a rule must name a listed group.
      auto code = CodeVia<Ethnicity>(label, ParseEthnicity);
      if (code && *code == static_cast<std::int64_t>(Ethnicity::kOther) &&
          label != Label(Ethnicity::kOther)) {
        return std::nullopt;
      }
      return code;
    }
    case EnumKind::kEducation:
      return CodeVia<Education>(label, ParseEducation);
    case EnumKind::kSchoolingStatus:
      return CodeVia<SchoolingStatus>(label, ParseSchoolingStatus);
    case EnumKind::kHealth:
      return CodeVia<Health>(label, ParseHealth);
    case EnumKind::kLabourSkill:
      return CodeVia<LabourSkill>(label, ParseLabourSkill);
  }
  return std::nullopt;
}

bool IsEnumCode(EnumKind kind, std::int64_t code) { return !EnumLabel(kind, code).empty(); }

}  // namespace zx::rules
