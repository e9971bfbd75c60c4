#include "exchange/household_template.h"

#include <cassert>
#include <charconv>

#include "common/text.h"
#include "domain/registry.h"

namespace zx {
namespace {

using F = TemplateField;

// clang-format off
constexpr std::array<TemplateColumn, kTemplateFieldCount> kColumns = {{
  {F::kHouseholdNumber, "户编号", true, true, false,
   "户的唯一编号（全库唯一）；同一户的每个成员行填写相同的户编号，成员行可以不相邻",
   "非空文本，最长 64 个字符", "632123100201000123", 22},
  {F::kVillageCode, "所在村代码", true, true, false,
   "户所在行政村（村委会、牧委会或社区）的 12 位统计用区划代码",
   "12 位数字，必须是区划表中的村级单位", "630121100201", 15},
  {F::kHouseholdType, "户类型", true, true, false,
   "脱贫户或一般农户", "脱贫户 / 一般农户", "脱贫户", 10},
  {F::kPovertyExitYear, "脱贫年度", true, true, true,
   "脱贫户的脱贫年份；一般农户留空", "脱贫户：2000–2099 的四位年份；一般农户：空", "2019", 10},
  {F::kSafetyNet, "兜底保障户", true, true, false,
   "是否纳入兜底保障", "是 / 否", "否", 11},
  {F::kRelocated, "易地搬迁户", true, true, false,
   "是否易地扶贫搬迁户", "是 / 否", "否", 11},
  {F::kHousing, "住房安全等级", true, true, false,
   "住房安全鉴定等级，C、D 级为危房", "A级 / B级 / C级 / D级（也接受 A、B、C、D）", "A级", 13},
  {F::kFoodClothing, "不愁吃穿", true, true, false,
   "是否实现不愁吃、不愁穿", "是 / 否", "是", 10},
  {F::kWaterQuantity, "饮水水量达标", true, true, false,
   "饮水水量是否达标（每人每天不低于 35 升，缺水地区不低于 20 升）", "是 / 否", "是", 13},
  {F::kWaterQuality, "饮水水质达标", true, true, false,
   "饮水水质是否达标", "是 / 否", "是", 13},
  {F::kWaterConvenience, "取水便利", true, true, false,
   "取水是否便利（单次取水往返不超过 20 分钟）", "是 / 否", "是", 10},
  {F::kWaterReliability, "供水保证率达标", true, true, false,
   "供水保证率是否达标（全年断水不超过 36 天）", "是 / 否", "是", 15},
  {F::kPhone, "联系电话", true, false, true,
   "户的联系电话（敏感信息）；可留空", "文本，最长 32 个字符", "13800000000", 14},
  {F::kName, "姓名", false, true, false,
   "成员姓名；名字中的各种间隔点统一为“·”", "非空文本", "扎西", 12},
  {F::kIdNumber, "证件号码", false, true, false,
   "居民身份证号码；15 位旧号自动升级为 18 位；文件内不得重复",
   "18 位（或 15 位）身份证号码，校验位正确", "632123199001011234", 22},
  {F::kSex, "性别", false, false, true,
   "性别；留空则按身份证号码推出，填写时必须与身份证号码一致", "男 / 女", "男", 6},
  {F::kBirthDate, "出生日期", false, false, true,
   "出生日期；留空则按身份证号码推出，填写时必须与身份证号码一致",
   "2021-03-05、2021/3/5、20210305、2021年3月5日 等", "1990-01-01", 12},
  {F::kRelation, "与户主关系", false, true, false,
   "与户主的关系；每户恰好一名在世成员为“户主”",
   "户主 / 配偶 / 之子 / 之女 / 之儿媳 / 之女婿 / 之孙子 / 之孙女 / 之父 / 之母 / 兄弟姐妹 / 其他", "户主", 11},
  {F::kEthnicity, "民族", false, true, false,
   "民族", "汉族 / 藏族 / 回族 / 土族 / 撒拉族 / 蒙古族 / 其他（其他民族名称如“满族”也按“其他”记录）", "藏族", 8},
  {F::kEducation, "文化程度", false, true, false,
   "文化程度", "学龄前儿童 / 文盲或半文盲 / 小学 / 初中 / 高中 / 中专（中职） / 大专及以上", "初中", 12},
  {F::kSchooling, "在校生状况", false, true, false,
   "在校生状况",
   "非在校生 / 学前教育 / 义务教育在校 / 高中或中职在校 / 高等教育在校 / 辍学 / 因身体原因不能上学", "非在校生", 14},
  {F::kHealth, "健康状况", false, true, false,
   "健康状况", "健康 / 长期慢性病 / 患有大病 / 残疾", "健康", 12},
  {F::kDisabilityGrade, "残疾等级", false, true, true,
   "残疾等级；留空或“无”表示无残疾", "无 / 一级 / 二级 / 三级 / 四级（也接受 0–4）", "无", 10},
  {F::kLabourSkill, "劳动技能", false, true, false,
   "劳动技能", "技能劳动力 / 普通劳动力 / 弱劳动力或半劳动力 / 丧失劳动力 / 无劳动力", "普通劳动力", 16},
  {F::kMigrantMonths, "务工月数", false, true, true,
   "上一年外出务工月数；留空按 0", "0–12 的整数", "6", 10},
  {F::kMedicalInsurance, "参加基本医疗保险", false, true, false,
   "是否参加城乡居民基本医疗保险", "是 / 否", "是", 16},
  {F::kMinimumLivingAllowance, "享受低保", false, true, false,
   "是否享受最低生活保障", "是 / 否", "否", 10},
  {F::kExtremeHardship, "特困供养", false, true, false,
   "是否特困供养人员", "是 / 否", "否", 10},
  {F::kDeceased, "是否死亡", false, true, false,
   "成员是否已死亡（死亡成员保留在户中，不计入家庭人口）", "是 / 否", "否", 10},
}};
// clang-format on

constexpr std::array<std::string_view, kIncomeFieldCount> kIncomeLabels = {
    "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "合规自付支出",
};

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Removes ASCII spaces (after NormalizeField, U+3000 has become ' ').
std::string WithoutSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

}  // namespace

const std::array<TemplateColumn, kTemplateFieldCount>& TemplateColumns() {
  static_assert(static_cast<int>(TemplateField::kDeceased) + 1 == kTemplateFieldCount);
  return kColumns;
}

const TemplateColumn& ColumnOf(TemplateField field) {
  const TemplateColumn& column = kColumns[static_cast<size_t>(field)];
  assert(column.field == field);
  return column;
}

std::string_view IncomeFieldLabel(IncomeField field) { return kIncomeLabels[static_cast<size_t>(field)]; }

std::string IncomeColumnHeader(int year, IncomeField field) {
  std::string header = std::to_string(year);
  header += "年";
  header += IncomeFieldLabel(field);
  header += "（元）";
  return header;
}

std::optional<TemplateField> FindTemplateField(std::string_view header) {
  const std::string normalized = WithoutSpaces(NormalizeField(header));
  for (const TemplateColumn& column : kColumns) {
    if (normalized == column.header) return column.field;
  }
  return std::nullopt;
}

bool ParseIncomeColumnHeader(std::string_view header, int* year, IncomeField* field) {
  const std::string normalized = WithoutSpaces(NormalizeField(header));
  std::string_view s = normalized;
  if (s.size() < 4) return false;
  int parsed_year = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + 4, parsed_year);
  if (ec != std::errc() || end != s.data() + 4) return false;
  if (parsed_year < kMinIncomeYear || parsed_year > kMaxIncomeYear) return false;
  s.remove_prefix(4);
  if (!StartsWith(s, "年")) return false;
  s.remove_prefix(std::string_view("年").size());
  // Optional unit suffix: "(元)" (NormalizeField turned "（元）" into "(元)") or "元".
  for (std::string_view suffix : {std::string_view("(元)"), std::string_view("元")}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
      s.remove_suffix(suffix.size());
      break;
    }
  }
  for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
    if (s == kIncomeLabels[field_idx]) {
      *year = parsed_year;
      *field = static_cast<IncomeField>(field_idx);
      return true;
    }
  }
  return false;
}

bool IsIgnorableColumn(std::string_view header) {
  const std::string normalized = WithoutSpaces(NormalizeField(header));
  return normalized == "序号" || normalized == "备注";
}

std::vector<std::string> TemplateHeader(const std::vector<int>& years) {
  std::vector<std::string> header;
  header.reserve(kColumns.size() + years.size() * kIncomeFieldCount);
  for (const TemplateColumn& column : kColumns) header.emplace_back(column.header);
  for (int year : years) {
    for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
      header.push_back(IncomeColumnHeader(year, static_cast<IncomeField>(field_idx)));
    }
  }
  return header;
}

std::vector<int> DefaultIncomeYears() {
  std::vector<int> years;
  for (int year = kFirstPanelYear; year <= kLastPanelYear; ++year) years.push_back(year);
  return years;
}

}  // namespace zx
