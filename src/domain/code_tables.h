// Chinese labels of the registry code tables (registry.h) and division
// levels, in both directions: Label() for export and display, ParseX() for
// import. Labels follow the wording of the national monitoring system's
// exports (e.g. 与户主关系 "之子", 文化程度 "文盲或半文盲"); the parsers also
// accept the usual synonyms (男性, 本人, A, 汉, 慢性病 …), full-width forms,
// surrounding and inner spaces and either kind of parentheses.
//
// Invariant: for every value v of every enum here, ParseX(Label(v)) == v.
// Thread-safety: pure functions over static tables.
#pragma once

#include <span>
#include <string_view>

#include "domain/division.h"
#include "domain/registry.h"

namespace zx {

/// Canonical Chinese label (as exported).
std::string_view Label(Sex value);            // 男 / 女
std::string_view Label(HousingRating value);  // A级 … D级
std::string_view Label(Relation value);       // 户主, 配偶, 之子 …
std::string_view Label(Ethnicity value);      // 汉族, 藏族 … 其他
std::string_view Label(Education value);      // 学龄前儿童 … 大专及以上
std::string_view Label(SchoolingStatus value);
std::string_view Label(Health value);  // 健康, 长期慢性病, 患有大病, 残疾
std::string_view Label(LabourSkill value);
std::string_view Label(DivisionLevel value);  // 省, 市州, 县, 乡镇, 村
std::string_view Label(KeyAssistance value);  // 国家乡村振兴重点帮扶县 / 省级… / 否

/// Label → value. Returns false (and leaves *out alone) for an unknown label.
bool ParseSex(std::string_view label, Sex* out);
bool ParseHousingRating(std::string_view label, HousingRating* out);
bool ParseRelation(std::string_view label, Relation* out);
/// Besides the six listed groups, any other ethnic group name ending in 族
/// (满族, 东乡族 …) parses as Ethnicity::kOther.
bool ParseEthnicity(std::string_view label, Ethnicity* out);
bool ParseEducation(std::string_view label, Education* out);
bool ParseSchoolingStatus(std::string_view label, SchoolingStatus* out);
bool ParseHealth(std::string_view label, Health* out);
bool ParseLabourSkill(std::string_view label, LabourSkill* out);
bool ParseDivisionLevel(std::string_view label, DivisionLevel* out);
bool ParseKeyAssistance(std::string_view label, KeyAssistance* out);

/// 是/否, Y/N, yes/no, 1/0, 有/无, 对/错, true/false, √/×. Case-insensitive.
bool ParseYesNo(std::string_view label, bool* out);
/// The canonical yes/no labels are "是" and "否".

/// Every value of an enum, in code order (for templates, drop-down lists, tests).
template <typename Enum>
std::span<const Enum> AllValues();
template <>
std::span<const Sex> AllValues<Sex>();
template <>
std::span<const HousingRating> AllValues<HousingRating>();
template <>
std::span<const Relation> AllValues<Relation>();
template <>
std::span<const Ethnicity> AllValues<Ethnicity>();
template <>
std::span<const Education> AllValues<Education>();
template <>
std::span<const SchoolingStatus> AllValues<SchoolingStatus>();
template <>
std::span<const Health> AllValues<Health>();
template <>
std::span<const LabourSkill> AllValues<LabourSkill>();
template <>
std::span<const DivisionLevel> AllValues<DivisionLevel>();
template <>
std::span<const KeyAssistance> AllValues<KeyAssistance>();

}  // namespace zx
