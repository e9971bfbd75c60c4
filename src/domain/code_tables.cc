#include "domain/code_tables.h"

#include <array>
#include <string>
#include <unordered_map>

namespace zx {

namespace {

// One value of a code table: its canonical label and the other wordings
// accepted on import.
template <typename Enum>
struct Entry {
  Enum value;
  std::string_view label;
  std::array<std::string_view, 12> synonyms{};
};

// Decodes one UTF-8 code point; malformed bytes come back as U+FFFD.
char32_t NextCodePoint(std::string_view text, size_t& pos) {
  const unsigned char lead = static_cast<unsigned char>(text[pos]);
  int length = lead < 0x80             ? 1
               : (lead & 0xE0) == 0xC0 ? 2
               : (lead & 0xF0) == 0xE0 ? 3
               : (lead & 0xF8) == 0xF0 ? 4
                                       : 0;
  if (length == 0 || pos + static_cast<size_t>(length) > text.size()) {
    ++pos;
    return 0xFFFD;
  }
  char32_t value = length == 1 ? lead : lead & (0x7F >> length);
  for (int byte_idx = 1; byte_idx < length; ++byte_idx) {
    const unsigned char next = static_cast<unsigned char>(text[pos + byte_idx]);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    value = (value << 6) | (next & 0x3F);
  }
  pos += length;
  return value;
}

void AppendCodePoint(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The comparison key of a label: full-width ASCII folded to ASCII, ASCII
// lowercased, every kind of space removed. "（Ａ级 ）" and "(a级)" compare equal.
std::string LabelKey(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = NextCodePoint(text, pos);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;
    if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0x00A0 || cp == 0xFEFF ||
        cp == 0x200B) {
      continue;
    }
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    AppendCodePoint(cp, key);
  }
  return key;
}

template <typename Enum, size_t N>
std::string_view LabelOf(const Entry<Enum> (&table)[N], Enum value) {
  for (const Entry<Enum>& entry : table) {
    if (entry.value == value) return entry.label;
  }
  return "";
}

template <typename Enum, size_t N>
std::unordered_map<std::string, Enum> BuildIndex(const Entry<Enum> (&table)[N]) {
  std::unordered_map<std::string, Enum> index;
  for (const Entry<Enum>& entry : table) {
    index.emplace(LabelKey(entry.label), entry.value);
    for (std::string_view synonym : entry.synonyms) {
      if (!synonym.empty()) index.emplace(LabelKey(synonym), entry.value);
    }
  }
  return index;
}

template <typename Enum>
bool Lookup(const std::unordered_map<std::string, Enum>& index, std::string_view label, Enum* out) {
  auto found = index.find(LabelKey(label));
  if (found == index.end()) return false;
  *out = found->second;
  return true;
}

template <typename Enum, size_t N>
std::array<Enum, N> ValuesOf(const Entry<Enum> (&table)[N]) {
  std::array<Enum, N> values{};
  for (size_t value_idx = 0; value_idx < N; ++value_idx) values[value_idx] = table[value_idx].value;
  return values;
}

// ---------------------------------------------------------------------------
// The tables. Canonical labels first; synonyms after.

const Entry<Sex> kSexes[] = {
    {Sex::kMale, "男", {"男性", "男子", "M", "male", "1"}},
    {Sex::kFemale, "女", {"女性", "女子", "F", "female", "2"}},
};

const Entry<HousingRating> kHousingRatings[] = {
    {HousingRating::kA, "A级", {"A", "A级安全", "A级（安全）", "安全"}},
    {HousingRating::kB, "B级", {"B", "B级安全", "B级（基本安全）", "基本安全"}},
    {HousingRating::kC, "C级", {"C", "C级危房", "C级（局部危险）", "局部危险"}},
    {HousingRating::kD, "D级", {"D", "D级危房", "D级（整体危险）", "整体危险"}},
};

const Entry<Relation> kRelations[] = {
    {Relation::kHead, "户主", {"本人", "户主本人", "本人（户主）", "本人或户主"}},
    {Relation::kSpouse, "配偶", {"妻", "妻子", "夫", "丈夫", "爱人", "之妻", "之夫"}},
    {Relation::kSon, "之子", {"儿子", "子", "长子", "次子", "三子", "养子", "继子"}},
    {Relation::kDaughter, "之女", {"女儿", "长女", "次女", "三女", "养女", "继女"}},
    {Relation::kDaughterInLaw, "之儿媳", {"儿媳", "儿媳妇", "媳妇"}},
    {Relation::kSonInLaw, "之女婿", {"女婿"}},
    {Relation::kGrandson, "之孙子", {"孙子", "孙", "外孙", "外孙子", "之外孙子"}},
    {Relation::kGranddaughter, "之孙女", {"孙女", "外孙女", "之外孙女"}},
    {Relation::kFather, "之父", {"父亲", "父", "之父亲"}},
    {Relation::kMother, "之母", {"母亲", "母", "之母亲"}},
    {Relation::kSibling,
     "兄弟姐妹",
     {"之兄弟姐妹", "兄弟", "姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"}},
    {Relation::kOther, "其他", {"其它", "其他关系", "其他亲属", "其他成员"}},
};

const Entry<Ethnicity> kEthnicities[] = {
    {Ethnicity::kHan, "汉族", {"汉"}},
    {Ethnicity::kTibetan, "藏族", {"藏"}},
    {Ethnicity::kHui, "回族", {"回"}},
    {Ethnicity::kTu, "土族", {"土"}},
    {Ethnicity::kSalar, "撒拉族", {"撒拉"}},
    {Ethnicity::kMongol, "蒙古族", {"蒙古", "蒙族", "蒙"}},
    {Ethnicity::kOther, "其他", {"其它", "其他民族", "其它民族"}},
};

const Entry<Education> kEducations[] = {
    {Education::kPreschool, "学龄前儿童", {"学龄前", "学前儿童"}},
    {Education::kIlliterate, "文盲或半文盲", {"文盲", "半文盲", "文盲半文盲", "文盲/半文盲", "不识字"}},
    {Education::kPrimary, "小学", {"小学文化", "小学文化程度", "小学毕业"}},
    {Education::kJuniorHigh, "初中", {"初中文化", "初中文化程度", "初中毕业"}},
    {Education::kSeniorHigh, "高中", {"高中文化", "高中文化程度", "高中毕业", "普通高中"}},
    {Education::kVocational,
     "中专（中职）",
     {"中专", "中职", "中专/中职", "中专或中职", "技校", "职高", "中等职业教育"}},
    {Education::kCollege,
     "大专及以上",
     {"大专", "大专以上", "本科", "本科及以上", "研究生", "大学", "大学本科", "专科"}},
};

const Entry<SchoolingStatus> kSchoolingStatuses[] = {
    {SchoolingStatus::kNotInSchool, "非在校生", {"不在校", "未在校", "非在校"}},
    {SchoolingStatus::kPreschool, "学前教育", {"学前", "幼儿园", "学前教育在校"}},
    {SchoolingStatus::kCompulsory,
     "义务教育在校",
     {"义务教育", "义务教育（小学、初中）", "小学在读", "初中在读", "小学", "初中", "在校小学生",
      "在校初中生"}},
    {SchoolingStatus::kHighSchool,
     "高中或中职在校",
     {"高中", "中职", "普通高中", "中等职业教育", "高中在读", "中职在读", "高中或中职"}},
    {SchoolingStatus::kHigher, "高等教育在校", {"高等教育", "大学", "大专", "本科", "大学在读", "研究生"}},
    {SchoolingStatus::kDropout, "辍学", {"失学", "辍学失学", "失学辍学"}},
    {SchoolingStatus::kHealthExempt,
     "因身体原因不能上学",
     {"送教上门", "因病不能上学", "因残不能上学", "身体原因不能上学"}},
};

const Entry<Health> kHealths[] = {
    {Health::kHealthy, "健康", {"健康良好", "良好"}},
    {Health::kChronic, "长期慢性病", {"慢性病", "患有慢性病", "长期慢性病患者"}},
    {Health::kSeriousIllness, "患有大病", {"大病", "重病", "重大疾病", "患大病"}},
    {Health::kDisabled, "残疾", {"残疾人", "有残疾"}},
};

const Entry<LabourSkill> kLabourSkills[] = {
    {LabourSkill::kSkilled, "技能劳动力", {"技能"}},
    {LabourSkill::kOrdinary, "普通劳动力", {"普通"}},
    {LabourSkill::kWeak, "弱劳动力或半劳动力", {"弱劳动力", "半劳动力", "弱劳动力/半劳动力"}},
    {LabourSkill::kLostAbility, "丧失劳动力", {"丧失劳动能力", "丧失"}},
    {LabourSkill::kNone, "无劳动力", {"无劳动能力", "无"}},
};

const Entry<DivisionLevel> kDivisionLevels[] = {
    {DivisionLevel::kProvince, "省", {"省级", "省份", "自治区"}},
    {DivisionLevel::kPrefecture, "市州", {"市", "州", "市级", "州级", "地级", "市（州）", "地区", "市州级"}},
    {DivisionLevel::kCounty, "县", {"县级", "区县", "县区", "县（市、区）", "县（区）", "区", "县级市"}},
    {DivisionLevel::kTownship,
     "乡镇",
     {"乡", "镇", "乡级", "镇级", "乡镇级", "街道", "乡（镇）", "乡镇（街道）"}},
    {DivisionLevel::kVillage, "村", {"村级", "行政村", "社区", "村（社区）", "村委会", "居委会"}},
};

const Entry<KeyAssistance> kKeyAssistances[] = {
    {KeyAssistance::kNone, "否", {"无", "非重点帮扶县", "none", "不是"}},
    {KeyAssistance::kNational, "国家乡村振兴重点帮扶县", {"国家级", "国家", "国家重点帮扶县", "national"}},
    {KeyAssistance::kProvincial, "省级乡村振兴重点帮扶县", {"省级", "省", "省级重点帮扶县", "provincial"}},
};

const Entry<bool> kYesNo[] = {
    {true, "是", {"Y", "yes", "1", "有", "对", "true", "√", "✓", "✔", "是的"}},
    {false, "否", {"N", "no", "0", "无", "错", "false", "×", "✗", "✘", "不是", "没有"}},
};

#define ZX_CODE_TABLE(Enum, table, parse_name)                                    \
  std::string_view Label(Enum value) { return LabelOf(table, value); }            \
  bool parse_name(std::string_view label, Enum* out) {                            \
    static const std::unordered_map<std::string, Enum> index = BuildIndex(table); \
    return Lookup(index, label, out);                                             \
  }                                                                               \
  template <>                                                                     \
  std::span<const Enum> AllValues<Enum>() {                                       \
    static const auto values = ValuesOf(table);                                   \
    return values;                                                                \
  }

}  // namespace

ZX_CODE_TABLE(Sex, kSexes, ParseSex)
ZX_CODE_TABLE(HousingRating, kHousingRatings, ParseHousingRating)
ZX_CODE_TABLE(Relation, kRelations, ParseRelation)
ZX_CODE_TABLE(Education, kEducations, ParseEducation)
ZX_CODE_TABLE(SchoolingStatus, kSchoolingStatuses, ParseSchoolingStatus)
ZX_CODE_TABLE(Health, kHealths, ParseHealth)
ZX_CODE_TABLE(LabourSkill, kLabourSkills, ParseLabourSkill)
ZX_CODE_TABLE(DivisionLevel, kDivisionLevels, ParseDivisionLevel)
ZX_CODE_TABLE(KeyAssistance, kKeyAssistances, ParseKeyAssistance)

#undef ZX_CODE_TABLE

std::string_view Label(Ethnicity value) { return LabelOf(kEthnicities, value); }

bool ParseEthnicity(std::string_view label, Ethnicity* out) {
  static const std::unordered_map<std::string, Ethnicity> index = BuildIndex(kEthnicities);
  if (Lookup(index, label, out)) return true;
  // Any other of the 56 groups (满族, 东乡族, 保安族 …): "X族" with X non-empty.
  const std::string key = LabelKey(label);
  constexpr std::string_view kZu = "族";
  if (key.size() > kZu.size() && key.compare(key.size() - kZu.size(), kZu.size(), kZu) == 0) {
    *out = Ethnicity::kOther;
    return true;
  }
  return false;
}

template <>
std::span<const Ethnicity> AllValues<Ethnicity>() {
  static const auto values = ValuesOf(kEthnicities);
  return values;
}

bool ParseYesNo(std::string_view label, bool* out) {
  static const std::unordered_map<std::string, bool> index = BuildIndex(kYesNo);
  return Lookup(index, label, out);
}

}  // namespace zx
