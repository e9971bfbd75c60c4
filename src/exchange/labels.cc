#include "exchange/labels.h"

#include "common/text.h"
#include "domain/code_tables.h"

namespace zx {
namespace {

// Removes every space so "脱贫 户" and " 一级 " parse.
std::string Compact(std::string_view text) {
  const std::string normalized = NormalizeField(text);
  std::string out;
  for (char c : normalized) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

}  // namespace

bool ParseLabel(std::string_view text, Sex* out) { return ParseSex(text, out); }
bool ParseLabel(std::string_view text, HousingRating* out) { return ParseHousingRating(text, out); }
bool ParseLabel(std::string_view text, Relation* out) { return ParseRelation(text, out); }
bool ParseLabel(std::string_view text, Ethnicity* out) { return ParseEthnicity(text, out); }
bool ParseLabel(std::string_view text, Education* out) { return ParseEducation(text, out); }
bool ParseLabel(std::string_view text, SchoolingStatus* out) { return ParseSchoolingStatus(text, out); }
bool ParseLabel(std::string_view text, Health* out) { return ParseHealth(text, out); }
bool ParseLabel(std::string_view text, LabourSkill* out) { return ParseLabourSkill(text, out); }

std::string LabelOf(Sex value) { return std::string(Label(value)); }
std::string LabelOf(HousingRating value) { return std::string(Label(value)); }
std::string LabelOf(Relation value) { return std::string(Label(value)); }
std::string LabelOf(Ethnicity value) { return std::string(Label(value)); }
std::string LabelOf(Education value) { return std::string(Label(value)); }
std::string LabelOf(SchoolingStatus value) { return std::string(Label(value)); }
std::string LabelOf(Health value) { return std::string(Label(value)); }
std::string LabelOf(LabourSkill value) { return std::string(Label(value)); }

bool ParseYesNoLabel(std::string_view text, bool* out) { return ParseYesNo(text, out); }
std::string YesNoLabel(bool value) { return value ? "是" : "否"; }

bool ParseHouseholdTypeLabel(std::string_view text, bool* ex_poor) {
  const std::string label = Compact(text);
  if (label == "脱贫户" || label == "脱贫人口户" || label == "已脱贫户") {
    *ex_poor = true;
    return true;
  }
  if (label == "一般农户" || label == "一般户" || label == "非贫困户") {
    *ex_poor = false;
    return true;
  }
  return false;
}

std::string HouseholdTypeLabel(bool ex_poor) { return ex_poor ? "脱贫户" : "一般农户"; }

bool ParseDisabilityGradeLabel(std::string_view text, int* grade) {
  std::string label = Compact(text);
  if (label.empty() || label == "无" || label == "0" || label == "否" || label == "非残疾") {
    *grade = 0;
    return true;
  }
  constexpr std::string_view kNumerals[] = {"一", "二", "三", "四"};
  for (int level = 1; level <= 4; ++level) {
    const std::string digit = std::to_string(level);
    const std::string numeral(kNumerals[level - 1]);
    if (label == digit || label == digit + "级" || label == numeral || label == numeral + "级" ||
        label == digit + ".0") {
      *grade = level;
      return true;
    }
  }
  return false;
}

std::string DisabilityGradeLabel(int grade) {
  constexpr std::string_view kLabels[] = {"无", "一级", "二级", "三级", "四级"};
  if (grade < 0 || grade > 4) return std::to_string(grade);
  return std::string(kLabels[grade]);
}

}  // namespace zx
