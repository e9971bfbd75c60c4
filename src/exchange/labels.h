// Chinese labels of the template's coded columns, as the exchange reads and
// writes them. The code tables themselves live in domain/code_tables.h;
// this file adds the template-only columns (户类型, 残疾等级) and one
// overload set so the importer and exporter can treat every column alike.
//
// Parsing accepts the label after NormalizeField; formatting gives the
// canonical label, which parses back to the same value.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "domain/registry.h"

namespace zx {

bool ParseLabel(std::string_view text, Sex* out);
bool ParseLabel(std::string_view text, HousingRating* out);
bool ParseLabel(std::string_view text, Relation* out);
bool ParseLabel(std::string_view text, Ethnicity* out);
bool ParseLabel(std::string_view text, Education* out);
bool ParseLabel(std::string_view text, SchoolingStatus* out);
bool ParseLabel(std::string_view text, Health* out);
bool ParseLabel(std::string_view text, LabourSkill* out);

std::string LabelOf(Sex value);
std::string LabelOf(HousingRating value);
std::string LabelOf(Relation value);
std::string LabelOf(Ethnicity value);
std::string LabelOf(Education value);
std::string LabelOf(SchoolingStatus value);
std::string LabelOf(Health value);
std::string LabelOf(LabourSkill value);

/// 是 / 否 (also accepts Y/N, 1/0, TRUE/FALSE as Excel writes booleans).
bool ParseYesNoLabel(std::string_view text, bool* out);
std::string YesNoLabel(bool value);

/// 户类型: 脱贫户 (true) / 一般农户 (false).
bool ParseHouseholdTypeLabel(std::string_view text, bool* ex_poor);
std::string HouseholdTypeLabel(bool ex_poor);

/// 残疾等级: blank/无/0 → 0; 一级..四级, 1..4, 1级..4级 → 1..4.
bool ParseDisabilityGradeLabel(std::string_view text, int* grade);
std::string DisabilityGradeLabel(int grade);

}  // namespace zx
