#include "synth/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "domain/resident_id.h"
#include "synth/income_model.h"
#include "synth/names.h"

namespace zx {

using synth::CountyProfile;
using synth::IncomeFacts;
using synth::kPanelYears;
using synth::Rng;

namespace {

// Random-stream tags: each kind of draw has its own stream so that adding a
// draw in one place does not shift the others.
enum StreamTag : std::uint64_t {
  kHouseholdStream = 1,
  kVillageStream = 2,
  kDisasterStream = 3,
  kIdOffsetStream = 4,
  kIncomeStream = 5,
};

constexpr int kMaxHouseholdsPerVillage = 9999;  // 4-digit sequence
// DOMAIN.md §1: ≈539,000 ex-poor of ≈2.5 M rural people.
constexpr double kExPoorPersonShare = 539000.0 / 2500000.0;
constexpr double kMeanSizeFarming = 4.04;
constexpr double kMeanSizePastoral = 4.56;

// Household size 1..8.
constexpr std::array<double, 8> kSizeFarming = {0.07, 0.15, 0.17, 0.22, 0.18, 0.12, 0.06, 0.03};
constexpr std::array<double, 8> kSizePastoral = {0.05, 0.11, 0.14, 0.19, 0.19, 0.15, 0.10, 0.07};
// Poverty exit years 2014..2020 (most exits 2016–2019).
constexpr std::array<double, 7> kExitYears = {0.04, 0.06, 0.14, 0.18, 0.26, 0.28, 0.04};

constexpr std::array<std::string_view, 20> kPhonePrefixes = {"139", "138", "137", "136", "135", "150", "151",
                                                             "152", "158", "159", "182", "187", "188", "133",
                                                             "153", "180", "189", "199", "177", "173"};

int Year(const Date& d) { return d.year; }

// A member before IDs and attributes are attached.
struct Draft {
  Relation relation;
  Sex sex;
  int age;
  Ethnicity ethnicity;
  bool own_surname;  // spouse, mother, in-law: not the family surname
};

Sex Opposite(Sex sex) { return sex == Sex::kMale ? Sex::kFemale : Sex::kMale; }

int ClampInt(int v, int lo, int hi) { return std::min(std::max(v, lo), hi); }

}  // namespace

struct ProvinceGenerator::County {
  int code6 = 0;
  int prefecture6 = 0;
  bool pastoral = false;
  KeyAssistance key = KeyAssistance::kNone;
  bool former_poor = true;
  std::array<double, 7> ethnic{};
  double weight = 0;
  double income_2022 = 14456;
  double ex_poor_prob = 0;
  int rural_villages = 0;
  std::int64_t households = 0;
  std::vector<HistoricalCountyCode> historical;
  std::array<double, kPanelYears> disaster_loss{};   // 0 when no event
  std::array<double, kPanelYears> disaster_reach{};  // share of households hit
};

// Resident-ID sequence numbers, unique per (address code, birth date, sex).
// A counter per key lives in a flat array per address code (≈180 KB each).
class ProvinceGenerator::IdAllocator {
 public:
  explicit IdAllocator(std::uint64_t seed) : seed_(seed) {}

  // Returns the 18-character ID; may move `birth` by a few days if that
  // date's sequence numbers are used up (never in practice).
  std::string Allocate(int address_code, Date* birth, Sex sex) {
    std::vector<std::uint16_t>& counters = CountersFor(address_code);
    std::int64_t day = birth->ToDays();
    for (int attempt = 0;; ++attempt) {
      std::int64_t candidate = day + ((attempt % 2 == 1) ? -(attempt + 1) / 2 : attempt / 2);
      std::int64_t slot = candidate - kFirstDay;
      if (slot < 0 || slot >= kDays) continue;
      std::uint16_t& used = counters[static_cast<size_t>(slot) * 2 + (sex == Sex::kMale ? 0 : 1)];
      if (used >= 499) continue;
      int offset =
          static_cast<int>(synth::MixKeys({seed_, kIdOffsetStream, static_cast<std::uint64_t>(address_code),
                                           static_cast<std::uint64_t>(slot)}) %
                           499);
      int k = (offset + used) % 499;
      ++used;
      int sequence = sex == Sex::kMale ? 1 + 2 * k : 2 + 2 * k;  // odd male, even female, 001..998
      *birth = Date::FromDays(candidate);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%06d%s%03d", address_code, birth->ToCompact().c_str(), sequence);
      std::string id(buf);
      id.push_back(ResidentIdCheckChar(id));
      return id;
    }
  }

 private:
  static constexpr std::int64_t kFirstDay = -25567;  // 1900-01-01
  static constexpr std::int64_t kDays = 46000;       // to 2025-12-xx
  std::vector<std::uint16_t>& CountersFor(int address_code) {
    auto it = index_.find(address_code);
    if (it == index_.end()) {
      it = index_.emplace(address_code, counters_.size()).first;
      counters_.emplace_back(static_cast<size_t>(kDays) * 2, 0);
    }
    return counters_[it->second];
  }
  std::uint64_t seed_;
  std::unordered_map<int, size_t> index_;
  std::vector<std::vector<std::uint16_t>> counters_;
};

ProvinceGenerator::ProvinceGenerator(const DivisionTable& divisions, GeneratorOptions options)
    : divisions_(divisions), options_(options) {
  Result<synth::SynthProfiles> profiles = synth::SynthProfiles::LoadDefault();
  if (!profiles.ok()) {
    status_ = profiles.status();
    return;
  }
  profiles_ = std::move(profiles).value();
  status_ = Setup();
}

ProvinceGenerator::ProvinceGenerator(const DivisionTable& divisions, GeneratorOptions options,
                                     synth::SynthProfiles profiles)
    : divisions_(divisions), options_(options), profiles_(std::move(profiles)) {
  status_ = Setup();
}

ProvinceGenerator::~ProvinceGenerator() = default;

Status ProvinceGenerator::Setup() {
  if (options_.households < 0) return InvalidArgument("农户数不能为负数");
  if (profiles_.years.size() != static_cast<size_t>(kPanelYears)) {
    return InvalidArgument("合成数据参数缺少 2020–2025 年的收入指数");
  }
  ids_ = std::make_unique<IdAllocator>(options_.seed);

  // Rural villages, ordered by code, grouped into their counties.
  std::vector<const Division*> rural;
  for (const Division* division : divisions_.AtLevel(DivisionLevel::kVillage)) {
    if (division->rural) rural.push_back(division);
  }
  std::sort(rural.begin(), rural.end(),
            [](const Division* a, const Division* b) { return a->code < b->code; });
  if (rural.empty()) return FailedPrecondition("行政区划表中没有农村村（村委会、牧委会），无法生成演示农户");

  std::unordered_map<int, int> county_index;
  for (const Division* village : rural) {
    const Division* county = divisions_.CountyOf(village->code);
    if (county == nullptr) {
      return FailedPrecondition("村 " + std::to_string(village->code) + "（" + village->name +
                                "）找不到所属县级行政区");
    }
    int code6 = static_cast<int>(county->code / 1000000);
    auto [it, inserted] = county_index.emplace(code6, static_cast<int>(counties_.size()));
    if (inserted) {
      County c;
      c.code6 = code6;
      c.prefecture6 = static_cast<int>(county->parent_code / 1000000);
      c.pastoral = county->pastoral;
      c.key = county->key_assistance;
      if (const CountyProfile* profile = profiles_.FindCounty(code6)) {
        c.ethnic = profile->ethnic_percent;
        c.weight = profile->rural_households;
        c.former_poor = profile->former_poor_county;
      } else {
        // A county without a profile: a Han-majority mix and an average
        // village size. docs/synthetic-data.md lists the profiled counties.
        c.ethnic = {80, 10, 8, 2, 0, 0, 0};
        c.weight = -1;
        c.former_poor = true;
      }
      if (const synth::PrefectureIncome* prefecture = profiles_.FindPrefecture(c.prefecture6)) {
        c.income_2022 = prefecture->income_2022_yuan;
      }
      for (const HistoricalCountyCode& old : divisions_.historical_codes()) {
        if (old.current_code == code6) c.historical.push_back(old);
      }
      counties_.push_back(std::move(c));
    }
    ++counties_[static_cast<size_t>(it->second)].rural_villages;
    villages_.push_back(Village{village->code, it->second, 0, 0});
  }
  for (County& county : counties_) {
    if (county.weight < 0) county.weight = 110.0 * county.rural_villages;
  }

  // Spread households over villages: county weight shared among its
  // villages with a log-normal village-size factor, then the largest
  // remainder method so the total is exact.
  std::vector<double> village_weight(villages_.size());
  double total_weight = 0;
  for (size_t village_idx = 0; village_idx < villages_.size(); ++village_idx) {
    const Village& village = villages_[village_idx];
    const County& county = counties_[static_cast<size_t>(village.county)];
    Rng rng = Rng::For({options_.seed, kVillageStream, static_cast<std::uint64_t>(village.code)});
    village_weight[village_idx] = county.weight / county.rural_villages * std::exp(rng.Normal(-0.1, 0.45));
    total_weight += village_weight[village_idx];
  }
  std::int64_t assigned = 0;
  std::vector<std::pair<double, size_t>> remainders;
  remainders.reserve(villages_.size());
  for (size_t village_idx = 0; village_idx < villages_.size(); ++village_idx) {
    double exact = static_cast<double>(options_.households) * village_weight[village_idx] / total_weight;
    double whole = std::floor(exact);
    villages_[village_idx].households = static_cast<std::int32_t>(std::min(whole, 1e9));
    assigned += villages_[village_idx].households;
    remainders.emplace_back(exact - whole, village_idx);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t r = 0; assigned < options_.households; ++r, ++assigned) {
    ++villages_[remainders[r % remainders.size()].second].households;
  }
  std::int64_t first = 0;
  for (Village& village : villages_) {
    if (village.households > kMaxHouseholdsPerVillage) {
      return ResourceExhausted("农户数 " + std::to_string(options_.households) + " 过多：村 " +
                               std::to_string(village.code) + " 将超过 9999 户（户编号只有 4 位序号）");
    }
    village.first_household = first;
    first += village.households;
    counties_[static_cast<size_t>(village.county)].households += village.households;
  }

  // Ex-poor probability per county: former poor counties, key-assistance
  // counties and pastoral areas carry more, scaled so that ≈21.6% of persons
  // are ex-poor overall (DOMAIN.md §1).
  std::vector<double> relative(counties_.size());
  for (size_t county_idx = 0; county_idx < counties_.size(); ++county_idx) {
    const County& county = counties_[county_idx];
    double r = county.former_poor ? 1.0 : 0.2;
    if (county.key == KeyAssistance::kNational) r *= 1.5;
    if (county.key == KeyAssistance::kProvincial) r *= 1.25;
    if (county.pastoral) r *= 1.25;
    relative[county_idx] = r;
  }
  double scale = 0.2;
  for (int iteration = 0; iteration < 50; ++iteration) {
    double persons = 0;
    double ex_poor = 0;
    for (size_t county_idx = 0; county_idx < counties_.size(); ++county_idx) {
      const County& county = counties_[county_idx];
      double size = county.pastoral ? kMeanSizePastoral : kMeanSizeFarming;
      double p = std::min(0.75, scale * relative[county_idx]);
      persons += static_cast<double>(county.households) * size;
      ex_poor += static_cast<double>(county.households) * size * p;
    }
    if (persons <= 0 || ex_poor <= 0) break;
    scale *= kExPoorPersonShare / (ex_poor / persons);
  }
  for (size_t county_idx = 0; county_idx < counties_.size(); ++county_idx) {
    counties_[county_idx].ex_poor_prob = std::min(0.75, scale * relative[county_idx]);
  }

  // Snow and drought: a pastoral county is hit about one year in seven
  // (DOMAIN.md §10: 1 in 5–10), losing 10–50% of the herd; farming counties
  // see drought or hail about one year in ten, with smaller crop losses.
  for (County& county : counties_) {
    for (int year_idx = 0; year_idx < kPanelYears; ++year_idx) {
      Rng rng = Rng::For({options_.seed, kDisasterStream, static_cast<std::uint64_t>(county.code6),
                          static_cast<std::uint64_t>(year_idx)});
      size_t yi = static_cast<size_t>(year_idx);
      if (county.pastoral ? rng.Bernoulli(1.0 / 7.0) : rng.Bernoulli(0.10)) {
        county.disaster_loss[yi] = county.pastoral ? rng.Uniform(0.10, 0.50) : rng.Uniform(0.10, 0.30);
        county.disaster_reach[yi] = rng.Uniform(0.4, 0.9);
      }
    }
  }
  return Status::Ok();
}

Result<bool> ProvinceGenerator::Next(HouseholdRecord* out) {
  if (!status_.ok()) return status_;
  if (next_index_ >= options_.households) return false;
  while (village_cursor_ < villages_.size() &&
         next_index_ >= villages_[village_cursor_].first_household + villages_[village_cursor_].households) {
    ++village_cursor_;
  }
  if (village_cursor_ >= villages_.size()) return Internal("合成数据：村分配与农户序号不一致");
  Generate(next_index_, villages_[village_cursor_], out);
  ++next_index_;
  return true;
}

void ProvinceGenerator::Generate(std::int64_t household_idx, const Village& village, HouseholdRecord* out) {
  const County& county = counties_[static_cast<size_t>(village.county)];
  Rng rng = Rng::For({options_.seed, kHouseholdStream, static_cast<std::uint64_t>(household_idx)});
  const Date ref = kSynthReferenceDate;
  const bool pastoral = county.pastoral;

  *out = HouseholdRecord{};
  Household& household = out->household;
  char number[48];
  std::snprintf(number, sizeof number, "%012lld%04lld", static_cast<long long>(village.code),
                static_cast<long long>(household_idx - village.first_household + 1));
  household.household_number = number;
  household.village_code = village.code;
  household.ex_poor = rng.Bernoulli(county.ex_poor_prob);
  if (household.ex_poor) household.poverty_exit_year = 2014 + static_cast<int>(rng.Weighted(kExitYears));
  // Herders: most households of a pastoral county, a few elsewhere.
  const bool herder = rng.Bernoulli(pastoral ? 0.85 : 0.08);

  // --- Composition -------------------------------------------------------
  const int size = 1 + static_cast<int>(rng.Weighted(pastoral ? kSizePastoral : kSizeFarming));
  const Ethnicity head_ethnicity = synth::kProfileEthnicities[rng.Weighted(county.ethnic)];
  auto county_ethnicity = [&]() { return synth::kProfileEthnicities[rng.Weighted(county.ethnic)]; };
  int head_age;
  if (size == 1)
    head_age = rng.Bernoulli(0.65) ? rng.UniformInt(60, 88) : rng.UniformInt(25, 59);
  else if (size == 2)
    head_age = rng.Bernoulli(0.55) ? rng.UniformInt(55, 82) : rng.UniformInt(22, 54);
  else if (size <= 5)
    head_age = rng.UniformInt(26, 64);
  else
    head_age = rng.Bernoulli(0.6) ? rng.UniformInt(48, 72) : rng.UniformInt(30, 50);

  std::vector<Draft> drafts;
  drafts.reserve(static_cast<size_t>(size));
  int remaining = size - 1;
  const bool married = remaining > 0 && rng.Bernoulli(size == 2 ? 0.8 : 0.93);
  const Sex head_sex = married ? (rng.Bernoulli(0.92) ? Sex::kMale : Sex::kFemale)
                               : (rng.Bernoulli(0.55) ? Sex::kMale : Sex::kFemale);
  drafts.push_back({Relation::kHead, head_sex, head_age, head_ethnicity, false});
  int youngest_parent_age = head_age;
  if (married) {
    int spouse_age =
        head_age + (head_sex == Sex::kMale ? -2 : 2) + static_cast<int>(std::lround(rng.Normal(0, 3)));
    spouse_age = ClampInt(spouse_age, 18, 95);
    Ethnicity spouse_ethnicity = rng.Bernoulli(0.95) ? head_ethnicity : county_ethnicity();
    drafts.push_back({Relation::kSpouse, Opposite(head_sex), spouse_age, spouse_ethnicity, true});
    youngest_parent_age = std::min(head_age, spouse_age);
    --remaining;
  }
  // The head's parents live with younger heads.
  if (remaining > 0 && head_age <= 52 && rng.Bernoulli(size >= 6 ? 0.6 : 0.15)) {
    int parents = (remaining >= 2 && size >= 5 && rng.Bernoulli(0.5)) ? 2 : 1;
    for (int parent = 0; parent < parents; ++parent) {
      bool mother = parents == 2 ? parent == 1 : rng.Bernoulli(0.65);
      int age = std::min(92, head_age + rng.UniformInt(22, 32));
      drafts.push_back({mother ? Relation::kMother : Relation::kFather, mother ? Sex::kFemale : Sex::kMale,
                        age, head_ethnicity, mother});
      --remaining;
    }
  }
  // Children; older heads keep room for a married child and grandchildren.
  int max_child_age = std::min(youngest_parent_age - 20, 45);
  if (remaining > 0 && max_child_age >= 0) {
    bool three_generations = head_age >= 48 && remaining >= 3 && max_child_age >= 22;
    int children = three_generations ? rng.UniformInt(1, std::min(3, remaining - 2)) : std::min(remaining, 5);
    int age = std::max(0, max_child_age - rng.UniformInt(0, 8));
    if (three_generations) age = std::max(age, 22);
    int married_child = -1;
    for (int child = 0; child < children && age >= 0; ++child) {
      Sex sex = rng.Bernoulli(0.52) ? Sex::kMale : Sex::kFemale;
      if (three_generations && child == 0) {
        sex = rng.Bernoulli(0.85) ? Sex::kMale : Sex::kFemale;  // a son, or a daughter with 上门女婿
        married_child = static_cast<int>(drafts.size());
      }
      drafts.push_back(
          {sex == Sex::kMale ? Relation::kSon : Relation::kDaughter, sex, age, head_ethnicity, false});
      --remaining;
      age -= rng.UniformInt(1, 4);
    }
    if (married_child >= 0 && remaining > 0) {
      const Draft& child = drafts[static_cast<size_t>(married_child)];
      bool son = child.sex == Sex::kMale;
      int in_law_age = ClampInt(child.age + (son ? -1 : 2) + rng.UniformInt(-2, 2), 20, 60);
      Ethnicity in_law_ethnicity = rng.Bernoulli(0.9) ? head_ethnicity : county_ethnicity();
      drafts.push_back({son ? Relation::kDaughterInLaw : Relation::kSonInLaw, Opposite(child.sex), in_law_age,
                        in_law_ethnicity, true});
      --remaining;
      int grandchild_age = std::min(child.age, in_law_age) - 20 - rng.UniformInt(0, 4);
      while (remaining > 0 && grandchild_age >= 0) {
        Sex sex = rng.Bernoulli(0.52) ? Sex::kMale : Sex::kFemale;
        drafts.push_back({sex == Sex::kMale ? Relation::kGrandson : Relation::kGranddaughter, sex,
                          grandchild_age, head_ethnicity, false});
        --remaining;
        grandchild_age -= rng.UniformInt(1, 4);
      }
    }
  }
  // Anyone still missing: the head's unmarried siblings.
  while (remaining > 0) {
    Sex sex = rng.Bernoulli(0.5) ? Sex::kMale : Sex::kFemale;
    int age = ClampInt(head_age + rng.UniformInt(-10, 10), 16, 90);
    drafts.push_back({Relation::kSibling, sex, age, head_ethnicity, false});
    --remaining;
  }

  // --- Persons -----------------------------------------------------------
  std::string family_surname;
  if (synth::UsesFamilySurname(head_ethnicity)) {
    family_surname = synth::PickSurname(head_ethnicity, rng);
  } else if (head_ethnicity == Ethnicity::kTibetan && !pastoral && rng.Bernoulli(0.08)) {
    family_surname = synth::PickSurname(Ethnicity::kHan, rng);  // Tibetans in farming areas sometimes
  }
  const double ex_poor_risk = household.ex_poor ? 1.5 : 1.0;
  out->members.reserve(drafts.size());
  std::vector<int> disability_onset(drafts.size(), 0);
  for (size_t member_idx = 0; member_idx < drafts.size(); ++member_idx) {
    const Draft& draft = drafts[member_idx];
    Person person;
    person.relation = draft.relation;
    person.sex = draft.sex;
    person.ethnicity = draft.ethnicity;
    Date birth =
        Date::FromDays(Date{ref.year - draft.age, ref.month, ref.day}.ToDays() - rng.UniformInt(0, 364));

    std::string_view surname;
    std::string own_surname;
    if (draft.own_surname) {
      if (synth::UsesFamilySurname(draft.ethnicity)) own_surname = synth::PickSurname(draft.ethnicity, rng);
      surname = own_surname;
    } else if (synth::UsesFamilySurname(draft.ethnicity) || !family_surname.empty()) {
      surname = family_surname;
    }
    person.name = synth::MakeName(draft.ethnicity, draft.sex, Year(birth), surname, rng);

    // Address code: the county's, or the code in force in the birth year
    // when the county was renumbered (e.g. 632121 平安县 for 630203 平安区).
    int address_code = county.code6;
    std::vector<int> in_force;
    for (const HistoricalCountyCode& old : county.historical) {
      if ((old.valid_from_year == 0 || birth.year >= old.valid_from_year) &&
          birth.year <= old.valid_until_year) {
        in_force.push_back(old.old_code);
      }
    }
    if (!in_force.empty())
      address_code = in_force[static_cast<size_t>(rng.UniformInt(0, static_cast<int>(in_force.size()) - 1))];
    person.id_number = ids_->Allocate(address_code, &birth, person.sex);
    person.birth_date = birth;
    const int age = AgeOn(birth, ref);

    // Disability (≈6–7% of persons), rising with age; grade 1 most severe.
    double p_disabled = age < 18 ? 0.016 : age < 45 ? 0.038 : age < 60 ? 0.08 : age < 75 ? 0.14 : 0.22;
    if (rng.Bernoulli(p_disabled * ex_poor_risk * (pastoral ? 1.1 : 1.0))) {
      static constexpr std::array<double, 4> kGrades = {0.12, 0.22, 0.30, 0.36};
      person.disability_grade = 1 + static_cast<int>(rng.Weighted(kGrades));
      person.health = Health::kDisabled;
      // Most disabilities predate the panel; ≈20% start in 2020–2025.
      disability_onset[member_idx] = rng.Bernoulli(0.2) ? rng.UniformInt(kFirstPanelYear, kLastPanelYear) : 0;
    } else {
      double p_chronic = age < 18 ? 0.01 : age < 45 ? 0.05 : age < 60 ? 0.14 : 0.25;
      if (rng.Bernoulli(p_chronic)) person.health = Health::kChronic;
    }

    // Education attained and schooling status by age.
    if (age < 6) {
      person.education = Education::kPreschool;
      person.schooling = (age >= 3 && rng.Bernoulli(pastoral ? 0.75 : 0.88)) ? SchoolingStatus::kPreschool
                                                                             : SchoolingStatus::kNotInSchool;
    } else if (age <= 15) {
      person.education = age <= 11 ? Education::kPrimary : Education::kJuniorHigh;
      if (person.disability_grade == 1 || person.disability_grade == 2) {
        person.schooling = SchoolingStatus::kHealthExempt;
      } else if (age >= 10 && rng.Bernoulli(pastoral ? 0.008 : 0.003)) {
        person.schooling = SchoolingStatus::kDropout;
      } else {
        person.schooling = SchoolingStatus::kCompulsory;
      }
    } else if (age <= 18 && rng.Bernoulli(pastoral ? 0.55 : 0.70)) {
      person.education = rng.Bernoulli(0.4) ? Education::kVocational : Education::kSeniorHigh;
      person.schooling = SchoolingStatus::kHighSchool;
    } else if (age <= 18) {
      person.education = Education::kJuniorHigh;
    } else if (age <= 22 && rng.Bernoulli(pastoral ? 0.22 : 0.35)) {
      person.education = Education::kCollege;
      person.schooling = SchoolingStatus::kHigher;
    } else {
      // Illiterate, primary, junior, senior, vocational, college by cohort.
      std::array<double, 6> mix = age >= 60   ? std::array<double, 6>{45, 40, 12, 3, 0, 0}
                                  : age >= 40 ? std::array<double, 6>{18, 40, 32, 7, 3, 0}
                                              : std::array<double, 6>{5, 20, 45, 12, 10, 8};
      if (pastoral) {
        mix[0] *= 2.2;
        mix[1] *= 1.3;
      }
      if (person.sex == Sex::kFemale && age >= 40) mix[0] *= 1.5;
      static constexpr std::array<Education, 6> kLevels = {Education::kIlliterate, Education::kPrimary,
                                                           Education::kJuniorHigh, Education::kSeniorHigh,
                                                           Education::kVocational, Education::kCollege};
      person.education = kLevels[rng.Weighted(mix)];
    }

    // Medical insurance ≈99%.
    person.medical_insurance =
        !rng.Bernoulli((pastoral ? 0.015 : 0.008) * (age >= 18 && age <= 40 ? 1.5 : 1.0));

    // Deceased members stay on the register until cancelled (≈0.5%).
    if (draft.relation != Relation::kHead) {
      double p_dead = age >= 75 ? 0.10 : age >= 60 ? 0.03 : 0.002;
      person.deceased = rng.Bernoulli(p_dead);
    }
    out->members.push_back(std::move(person));
  }

  // --- Shocks ------------------------------------------------------------
  IncomeFacts facts;
  facts.prefecture_income_2022_yuan = county.income_2022;
  facts.ex_poor = household.ex_poor;
  facts.herder = herder;
  std::array<int, kPanelYears> ill_member{};
  ill_member.fill(-1);
  int living = 0;
  for (const Person& person : out->members) living += person.deceased ? 0 : 1;
  for (int year_idx = 0; year_idx < kPanelYears; ++year_idx) {
    // Serious illness: 5–8% of households a year (DOMAIN.md §10).
    if (rng.Bernoulli(0.058 * (household.ex_poor ? 1.25 : 1.0))) {
      std::vector<double> weights;
      for (const Person& person : out->members) {
        weights.push_back(person.deceased ? 0.0 : 1.0 + AgeOn(person.birth_date, ref) / 20.0);
      }
      ill_member[static_cast<size_t>(year_idx)] = static_cast<int>(rng.Weighted(weights));
      facts.illness[static_cast<size_t>(year_idx)] = true;
    }
    size_t yi = static_cast<size_t>(year_idx);
    if (county.disaster_loss[yi] > 0 && rng.Bernoulli(county.disaster_reach[yi]) && (herder || !pastoral)) {
      facts.disaster_loss[yi] = county.disaster_loss[yi] * (herder == pastoral ? 1.0 : 0.5);
    }
  }
  // The latest serious illness shows in the person's health.
  for (int year_idx = kPanelYears - 2; year_idx < kPanelYears; ++year_idx) {
    int member = ill_member[static_cast<size_t>(year_idx)];
    if (member >= 0 && out->members[static_cast<size_t>(member)].health != Health::kDisabled) {
      out->members[static_cast<size_t>(member)].health = Health::kSeriousIllness;
    }
  }

  // --- Labour --------------------------------------------------------------
  bool any_labour = false;
  for (size_t member_idx = 0; member_idx < out->members.size(); ++member_idx) {
    Person& person = out->members[member_idx];
    const int age = AgeOn(person.birth_date, ref);
    const bool in_school =
        person.schooling == SchoolingStatus::kPreschool || person.schooling == SchoolingStatus::kCompulsory ||
        person.schooling == SchoolingStatus::kHighSchool || person.schooling == SchoolingStatus::kHigher ||
        person.schooling == SchoolingStatus::kHealthExempt;
    if (person.deceased || age < 16 || in_school) {
      person.labour_skill = LabourSkill::kNone;
    } else if (person.disability_grade == 1 || person.disability_grade == 2) {
      person.labour_skill = LabourSkill::kLostAbility;
    } else if (person.disability_grade >= 3) {
      person.labour_skill = LabourSkill::kWeak;
    } else if (person.health == Health::kSeriousIllness) {
      person.labour_skill = rng.Bernoulli(0.5) ? LabourSkill::kWeak : LabourSkill::kLostAbility;
    } else if (age >= 70) {
      person.labour_skill = rng.Bernoulli(0.8) ? LabourSkill::kNone : LabourSkill::kWeak;
    } else if (age >= 60) {
      double u = rng.Uniform();
      person.labour_skill = u < 0.25   ? LabourSkill::kNone
                            : u < 0.85 ? LabourSkill::kWeak
                                       : LabourSkill::kOrdinary;
    } else if (person.health == Health::kChronic && rng.Bernoulli(0.4)) {
      person.labour_skill = LabourSkill::kWeak;
    } else {
      bool trained = person.education == Education::kVocational || person.education == Education::kCollege;
      person.labour_skill =
          rng.Bernoulli(trained ? 0.45 : 0.10) ? LabourSkill::kSkilled : LabourSkill::kOrdinary;
    }
    if ((person.labour_skill == LabourSkill::kSkilled || person.labour_skill == LabourSkill::kOrdinary) &&
        age < 60 && rng.Bernoulli(pastoral ? 0.12 : 0.38)) {
      person.migrant_work_months = rng.UniformInt(3, 12);
    }
    if (person.labour_skill != LabourSkill::kNone && person.labour_skill != LabourSkill::kLostAbility)
      any_labour = true;

    if (person.deceased) continue;
    for (int year_idx = 0; year_idx < kPanelYears; ++year_idx) {
      const size_t yi = static_cast<size_t>(year_idx);
      const int age_then = age - (kLastPanelYear - (kFirstPanelYear + year_idx));
      if (age_then < 16) continue;
      double units = 0;
      switch (person.labour_skill) {
        case LabourSkill::kSkilled:
          units = 1.3;
          break;
        case LabourSkill::kOrdinary:
          units = 1.0;
          break;
        case LabourSkill::kWeak:
          units = 0.45;
          break;
        case LabourSkill::kLostAbility:
          units = 0;
          break;
        case LabourSkill::kNone:
          units = age >= 60 ? 0.15 : (in_school ? 0.1 : 0);
          break;
      }
      // Before a disability began the person worked normally.
      if (disability_onset[member_idx] > kFirstPanelYear + year_idx && age_then < 60) units = 1.0;
      facts.worker_units[yi] += units;
      if (person.migrant_work_months > 0) {
        double migrant = units * person.migrant_work_months / 12.0;
        facts.migrant_units[yi] += migrant;
        // Migrant job loss: 3–5% a year per migrant (DOMAIN.md §10).
        if (rng.Bernoulli(0.04)) {
          facts.job_loss_units[yi] += migrant;
          if (year_idx == kPanelYears - 1) person.migrant_work_months = rng.UniformInt(0, 4);
        }
      }
    }
  }

  // --- Safety net and income ---------------------------------------------
  int elderly = 0;
  int severely_disabled = 0;
  for (const Person& person : out->members) {
    if (person.deceased) continue;
    elderly += AgeOn(person.birth_date, ref) >= 60 ? 1 : 0;
    severely_disabled += (person.disability_grade == 1 || person.disability_grade == 2) ? 1 : 0;
  }
  facts.living_size = living;
  facts.elderly = elderly;
  facts.severely_disabled = severely_disabled;
  facts.transfer_dependent = !any_labour || rng.Bernoulli(0.03);
  facts.permanent_z = rng.Normal(-0.5 * synth::kPermanentSd * synth::kPermanentSd, synth::kPermanentSd);
  const synth::YearIndex& last_year = profiles_.Year(kLastPanelYear);
  const double standard = static_cast<double>(last_year.minimum_living_standard) / 100.0;
  const double expected = synth::ExpectedMarketPerCapitaYuan(facts, last_year);
  bool minimum_living = false;
  if (expected < standard)
    minimum_living = rng.Bernoulli(household.ex_poor ? 0.7 : 0.5);
  else if (severely_disabled > 0)
    minimum_living = rng.Bernoulli(0.25);
  bool extreme = false;
  if (!minimum_living && living == 1 && !any_labour) extreme = rng.Bernoulli(0.6);
  facts.minimum_living = minimum_living;
  facts.extreme_hardship = extreme ? 1 : 0;
  for (Person& person : out->members) {
    if (person.deceased) continue;
    person.minimum_living_allowance = minimum_living;
    person.extreme_hardship = extreme;
  }
  household.safety_net = (minimum_living || extreme) && (!any_labour || household.ex_poor);

  last_shocks_ = HouseholdShocks{};
  last_shocks_.transfer_dependent = facts.transfer_dependent;
  last_shocks_.herder = herder;
  for (size_t yi = 0; yi < static_cast<size_t>(kPanelYears); ++yi) {
    last_shocks_.illness[yi] = facts.illness[yi];
    last_shocks_.disaster[yi] = facts.disaster_loss[yi] > 0;
    last_shocks_.job_loss[yi] = facts.job_loss_units[yi] > 0;
  }
  Rng income_rng = Rng::For({options_.seed, kIncomeStream, static_cast<std::uint64_t>(household_idx)});
  synth::GenerateIncomePanel(facts, profiles_, income_rng, &out->years);

  // --- Housing, water, food (each rare, more in pastoral counties) -------
  household.relocated = rng.Bernoulli(household.ex_poor ? 0.18 : 0.015);
  const double deprivation = pastoral ? 2.5 : 1.0;
  if (!household.relocated && rng.Bernoulli(0.011 * deprivation * ex_poor_risk)) {
    household.housing = rng.Bernoulli(0.8) ? HousingRating::kC : HousingRating::kD;
  } else {
    household.housing =
        rng.Bernoulli(household.relocated ? 0.9 : 0.6) ? HousingRating::kA : HousingRating::kB;
  }
  household.water_quantity_ok = !rng.Bernoulli(0.009 * deprivation);
  household.water_quality_ok = !rng.Bernoulli(0.009 * deprivation);
  household.water_convenience_ok = !rng.Bernoulli(0.010 * deprivation);
  household.water_reliability_ok = !rng.Bernoulli(0.008 * deprivation);
  // Food insecurity goes with very low income (below half the level).
  Fen last_per_capita = 0;
  bool poor_now = out->PerCapitaNetIncome(kLastPanelYear, &last_per_capita) &&
                  static_cast<double>(last_per_capita) < 50.0 * synth::TargetPerCapitaYuan(facts, last_year);
  household.food_clothing_secure = !rng.Bernoulli(0.006 * deprivation * (poor_now ? 3.0 : 1.0));

  if (rng.Bernoulli(0.88)) {
    std::string phone(
        kPhonePrefixes[static_cast<size_t>(rng.UniformInt(0, static_cast<int>(kPhonePrefixes.size()) - 1))]);
    for (int digit = 0; digit < 8; ++digit) phone.push_back(static_cast<char>('0' + rng.UniformInt(0, 9)));
    household.phone = std::move(phone);
  }
}

}  // namespace zx
