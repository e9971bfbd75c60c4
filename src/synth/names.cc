#include "synth/names.h"

#include <array>
#include <span>

namespace zx::synth {
namespace {

template <size_t N>
std::string_view Pick(const std::array<std::string_view, N>& list, Rng& rng) {
  return list[static_cast<size_t>(rng.UniformInt(0, static_cast<int>(N) - 1))];
}

// Common Han surnames, with Qinghai-local ones (祁, 星, 鲁, 李 are frequent
// among the Tu) weighted in by repetition.
constexpr std::array<std::string_view, 60> kHanSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "祁", "鲁", "星", "汪", "谈", "铁", "晁", "李"};
constexpr std::array<std::string_view, 24> kTuSurnames = {"李", "李", "祁", "祁", "鲁", "鲁", "星", "星",
                                                          "吕", "董", "胡", "汪", "秦", "索", "白", "王",
                                                          "张", "谢", "朱", "东", "乔", "辛", "安", "蒲"};
constexpr std::array<std::string_view, 20> kHuiSurnames = {"马", "马", "马", "马", "马", "马", "韩",
                                                           "冶", "撒", "穆", "何", "沙", "苏", "喇",
                                                           "杨", "米", "哈", "锁", "海", "妥"};
constexpr std::array<std::string_view, 12> kSalarSurnames = {"韩", "韩", "韩", "韩", "韩", "马",
                                                             "马", "冶", "撒", "陕", "沈", "何"};

// Han-style given names by cohort.
constexpr std::array<std::string_view, 24> kOldMale = {
    "建国", "国庆", "有福", "长寿", "福",   "德",   "占元", "生财", "发财", "永福", "国华", "志成",
    "玉林", "文德", "宝山", "全福", "成林", "进财", "正清", "德明", "万福", "占福", "得才", "世明"};
constexpr std::array<std::string_view, 24> kOldFemale = {
    "秀英", "桂英", "玉兰", "淑珍", "秀兰", "桂兰", "凤英", "玉梅", "兰英", "秀珍", "桂芳", "玉珍",
    "菊花", "梅英", "翠花", "春花", "凤兰", "秀梅", "金花", "存花", "麦花", "月英", "粉兰", "莲花"};
constexpr std::array<std::string_view, 24> kMidMale = {
    "海军", "建军", "军",   "伟",   "勇",   "强",   "海龙", "永红", "国林", "小平", "红军", "文斌",
    "生林", "海明", "成才", "永辉", "志刚", "振华", "海峰", "德全", "海青", "建林", "文海", "国栋"};
constexpr std::array<std::string_view, 24> kMidFemale = {
    "红梅", "丽", "燕",   "芳",   "海燕", "丽娟", "娟",   "霞",   "晓燕", "春梅", "玉霞", "海霞",
    "丽萍", "艳", "雪梅", "小琴", "秀琴", "建梅", "海花", "彩霞", "英",   "明霞", "梅",   "玲"};
constexpr std::array<std::string_view, 24> kYoungMale = {
    "浩",   "子轩", "梓轩", "浩然", "宇航", "博文", "俊杰", "鹏",   "嘉豪", "天佑", "睿",   "晨阳",
    "子豪", "一鸣", "家乐", "文博", "思源", "明轩", "宇",   "泽宇", "皓轩", "铭",   "志远", "锦程"};
constexpr std::array<std::string_view, 24> kYoungFemale = {
    "欣怡", "子涵", "一诺", "雨桐", "梓涵", "佳怡", "思雨", "诗涵", "雨欣", "可馨", "梦瑶", "静怡",
    "若曦", "语嫣", "欣悦", "紫萱", "雅琪", "婉婷", "晓雪", "佳琪", "心怡", "嘉欣", "悦",   "梦琪"};

// Hui and Salar given names of Arabic or Persian origin, as written in Qinghai.
constexpr std::array<std::string_view, 20> kMuslimMale = {
    "尔萨",   "穆萨", "伊布拉", "阿里", "哈三",   "尕布",   "优素福",   "尔德", "努哈",   "易卜拉",
    "苏来曼", "哈克", "尔里",   "撒拉", "热木赞", "阿卜杜", "穆罕默德", "萨利", "达吾德", "尕吉"};
constexpr std::array<std::string_view, 16> kMuslimFemale = {
    "法图麦", "阿依莎", "索菲亚", "麦燕", "尕麦",   "哈底哲", "古丽", "阿米乃",
    "赛麦",   "尔麦",   "麦丽",   "海丽", "玛丽燕", "则乃布", "苏菲", "尕索"};

// Tibetan names as they appear in Qinghai registers.
constexpr std::array<std::string_view, 40> kTibetanMale = {
    "才让", "扎西", "多杰", "索南", "尼玛", "更登", "旦增", "达哇", "仁青", "桑杰",
    "公保", "东智", "加措", "才旦", "洛桑", "闹吾", "完玛", "昂秀", "当周", "尕藏",
    "南加", "华旦", "久美", "更藏", "贡却", "万玛", "格桑", "旦正", "加羊", "三知",
    "拉加", "才仁", "俄日", "多吉", "更求", "夏吾", "周加", "吉合", "先巴", "羊本"};
constexpr std::array<std::string_view, 32> kTibetanFemale = {
    "卓玛",   "拉毛",   "措毛", "央金", "吉毛",   "德吉",   "拉姆", "才措",   "周措",   "卓玛吉", "看卓",
    "旦措",   "德央",   "尼毛", "吉措", "拉措",   "南措",   "才吉", "娘毛",   "完么",   "卓嘎",   "央措",
    "多杰措", "仁青措", "措吉", "拉吉", "索南措", "更藏吉", "卓尕", "才让吉", "华青措", "扎西措"};

// Mongol names (Qinghai Mongols also often use Tibetan names).
constexpr std::array<std::string_view, 20> kMongolMale = {
    "巴图",   "那仁", "朝鲁", "额尔敦", "苏和",   "巴特尔", "孟和",   "吉日嘎拉", "宝音",   "哈斯",
    "阿拉坦", "达来", "布和", "乌力吉", "特古斯", "图门",   "毕力格", "敖其尔",   "青格勒", "桑布"};
constexpr std::array<std::string_view, 16> kMongolFemale = {
    "其其格", "乌兰",   "斯琴", "萨仁", "图雅",   "娜仁", "塔娜",   "高娃",
    "乌云",   "格日勒", "琪琪", "吉雅", "萨日娜", "托娅", "阿茹娜", "苏布达"};

std::string HanGivenName(Sex sex, int birth_year, Rng& rng) {
  bool male = sex == Sex::kMale;
  if (birth_year < 1970) return std::string(male ? Pick(kOldMale, rng) : Pick(kOldFemale, rng));
  if (birth_year < 1995) return std::string(male ? Pick(kMidMale, rng) : Pick(kMidFemale, rng));
  return std::string(male ? Pick(kYoungMale, rng) : Pick(kYoungFemale, rng));
}

std::string TibetanName(Sex sex, Rng& rng) {
  bool male = sex == Sex::kMale;
  std::string name(male ? Pick(kTibetanMale, rng) : Pick(kTibetanFemale, rng));
  // About one in six has a two-part name: 才让东智, 扎西卓玛.
  if (rng.Bernoulli(0.17)) {
    std::string_view second = male ? Pick(kTibetanMale, rng) : Pick(kTibetanFemale, rng);
    if (name != second && name.size() <= 6) name += second;
  }
  return name;
}

}  // namespace

bool UsesFamilySurname(Ethnicity ethnicity) {
  return ethnicity != Ethnicity::kTibetan && ethnicity != Ethnicity::kMongol;
}

std::string_view PickSurname(Ethnicity ethnicity, Rng& rng) {
  switch (ethnicity) {
    case Ethnicity::kHui:
      return Pick(kHuiSurnames, rng);
    case Ethnicity::kSalar:
      return Pick(kSalarSurnames, rng);
    case Ethnicity::kTu:
      return Pick(kTuSurnames, rng);
    case Ethnicity::kTibetan:
    case Ethnicity::kMongol:
      return {};
    case Ethnicity::kHan:
    case Ethnicity::kOther:
      return Pick(kHanSurnames, rng);
  }
  return Pick(kHanSurnames, rng);
}

std::string MakeName(Ethnicity ethnicity, Sex sex, int birth_year, std::string_view surname, Rng& rng) {
  bool male = sex == Sex::kMale;
  switch (ethnicity) {
    case Ethnicity::kTibetan:
      // A minority of Tibetans in farming areas use a Han-style surname.
      if (!surname.empty()) return std::string(surname) + TibetanName(sex, rng);
      return TibetanName(sex, rng);
    case Ethnicity::kMongol: {
      if (rng.Bernoulli(0.5)) return TibetanName(sex, rng);
      std::string name(male ? Pick(kMongolMale, rng) : Pick(kMongolFemale, rng));
      // Some Mongol names are written in two parts joined by U+00B7.
      if (rng.Bernoulli(0.35)) {
        name += "\u00B7";
        name += male ? Pick(kMongolMale, rng) : Pick(kMongolFemale, rng);
      }
      return name;
    }
    case Ethnicity::kHui:
    case Ethnicity::kSalar: {
      std::string family(surname.empty() ? PickSurname(ethnicity, rng) : surname);
      double muslim_share = ethnicity == Ethnicity::kSalar ? 0.45 : 0.25;
      if (rng.Bernoulli(muslim_share))
        return family + std::string(male ? Pick(kMuslimMale, rng) : Pick(kMuslimFemale, rng));
      return family + HanGivenName(sex, birth_year, rng);
    }
    case Ethnicity::kTu:
    case Ethnicity::kHan:
    case Ethnicity::kOther: {
      std::string family(surname.empty() ? PickSurname(ethnicity, rng) : surname);
      return family + HanGivenName(sex, birth_year, rng);
    }
  }
  return std::string(PickSurname(Ethnicity::kHan, rng)) + HanGivenName(sex, birth_year, rng);
}

}  // namespace zx::synth
