// Test-only helpers for the storage tests: a small division table (two
// prefectures, three counties) and deterministic household records whose
// members carry valid, unique resident IDs. Header-only; never linked into
// the product.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <vector>

#include "domain/division.h"
#include "domain/registry.h"
#include "domain/resident_id.h"

namespace zx::storage_testing {

constexpr DivisionCode kProvince = 630000000000;
constexpr DivisionCode kXining = 630100000000;      // prefecture
constexpr DivisionCode kDatong = 630121000000;      // county in Xining
constexpr DivisionCode kDatongTown = 630121100000;  // township
constexpr DivisionCode kVillageA1 = 630121100201;
constexpr DivisionCode kVillageA2 = 630121100202;
constexpr DivisionCode kCommunityA = 630121100001;  // urban community (village level, not rural)
constexpr DivisionCode kHuangzhong = 630122000000;  // second county in Xining
constexpr DivisionCode kHuangzhongTown = 630122100000;
constexpr DivisionCode kVillageB1 = 630122100201;
constexpr DivisionCode kHaidong = 630200000000;  // second prefecture
constexpr DivisionCode kLedu = 630202000000;
constexpr DivisionCode kLeduTown = 630202100000;
constexpr DivisionCode kVillageC1 = 630202100201;

inline std::vector<Division> TestDivisionRows() {
  auto make = [](DivisionCode code, const char* name, DivisionLevel level, DivisionCode parent) {
    Division division;
    division.code = code;
    division.name = name;
    division.level = level;
    division.parent_code = parent;
    return division;
  };
  std::vector<Division> rows = {
      make(kProvince, "青海省", DivisionLevel::kProvince, 0),
      make(kXining, "西宁市", DivisionLevel::kPrefecture, kProvince),
      make(kDatong, "大通回族土族自治县", DivisionLevel::kCounty, kXining),
      make(kDatongTown, "桥头镇", DivisionLevel::kTownship, kDatong),
      make(kVillageA1, "元树尔村委会", DivisionLevel::kVillage, kDatongTown),
      make(kVillageA2, "石山村委会", DivisionLevel::kVillage, kDatongTown),
      make(kCommunityA, "桥头社区居委会", DivisionLevel::kVillage, kDatongTown),
      make(kHuangzhong, "湟中区", DivisionLevel::kCounty, kXining),
      make(kHuangzhongTown, "鲁沙尔镇", DivisionLevel::kTownship, kHuangzhong),
      make(kVillageB1, "和平村委会", DivisionLevel::kVillage, kHuangzhongTown),
      make(kHaidong, "海东市", DivisionLevel::kPrefecture, kProvince),
      make(kLedu, "乐都区", DivisionLevel::kCounty, kHaidong),
      make(kLeduTown, "碾伯镇", DivisionLevel::kTownship, kLedu),
      make(kVillageC1, "雨润村委会", DivisionLevel::kVillage, kLeduTown),
  };
  rows[6].rural = false;
  rows[2].key_assistance = KeyAssistance::kNational;
  rows[11].pastoral = true;
  rows[11].key_assistance = KeyAssistance::kProvincial;
  return rows;
}

inline DivisionTable TestDivisions() {
  auto table = DivisionTable::FromDivisions(TestDivisionRows());
  if (!table.ok()) return DivisionTable();  // the test's first assertion will fail loudly
  return std::move(table).value();
}

/// A valid 18-character resident ID.
inline std::string MakeResidentId(int address_code, const Date& birth, int sequence) {
  std::string first17 = fmt::format("{:06d}{}{:03d}", address_code, birth.ToCompact(), sequence);
  return first17 + ResidentIdCheckChar(first17);
}

inline std::string HouseholdNumber(DivisionCode village, int serial) {
  return fmt::format("{}{:07d}", village, serial);
}

/// A deterministic household; `serial` (0..19,999,999) makes its number and
/// its members' IDs unique. Members: a head, then alternating daughters and
/// sons; incomes for `year_count` years from kFirstPanelYear.
inline HouseholdRecord MakeHousehold(int serial, DivisionCode village, int member_count = 4,
                                     int year_count = 6) {
  HouseholdRecord record;
  Household& household = record.household;
  household.household_number = HouseholdNumber(village, serial);
  household.village_code = village;
  household.ex_poor = serial % 3 == 0;
  household.poverty_exit_year = household.ex_poor ? 2016 + serial % 5 : 0;
  household.housing = static_cast<HousingRating>(1 + serial % 4);
  household.phone = fmt::format("139{:08d}", serial);
  // Birth days are spread (7919 is coprime with 20000) so that IDs do not
  // arrive in index order; the sequence number separates rounds of 20,000.
  const int day_offset = static_cast<int>((static_cast<std::int64_t>(serial % 20000) * 7919) % 20000);
  const Date birth = Date::FromDays(-18000 + day_offset);
  const int address = static_cast<int>(village / 1000000);
  for (int member_idx = 0; member_idx < member_count; ++member_idx) {
    Person& person = record.members.emplace_back();
    const int sequence = ((serial / 20000) * 8 + member_idx) % 1000;
    person.id_number = MakeResidentId(address, birth, sequence);
    person.sex = sequence % 2 == 1 ? Sex::kMale : Sex::kFemale;
    person.birth_date = birth;
    person.name = fmt::format("成员{}-{}", serial, member_idx);
    person.relation =
        member_idx == 0 ? Relation::kHead : (person.sex == Sex::kMale ? Relation::kSon : Relation::kDaughter);
    person.ethnicity = static_cast<Ethnicity>(1 + (serial + member_idx) % 6);
    person.education = static_cast<Education>(1 + (serial + member_idx) % 7);
    person.labour_skill = static_cast<LabourSkill>(1 + member_idx % 5);
    person.migrant_work_months = (serial + member_idx) % 13;
  }
  for (int year_idx = 0; year_idx < year_count; ++year_idx) {
    HouseholdYear& year = record.years.emplace_back();
    year.year = kFirstPanelYear + year_idx;
    year.wage_income = Yuan(8000 + (serial * 37 + year_idx * 101) % 20000);
    year.business_income = Yuan((serial * 13 + year_idx) % 9000);
    year.property_income = Yuan(serial % 500);
    year.transfer_income = Yuan(1500 + year_idx * 100);
    year.production_cost = Yuan((serial * 7) % 6000);
    year.compliant_out_of_pocket = Yuan(serial % 800);
  }
  return record;
}

/// A household in which every field differs from its default, to prove that
/// each column round-trips.
inline HouseholdRecord FullyPopulatedHousehold(DivisionCode village = kVillageA1) {
  HouseholdRecord record;
  Household& household = record.household;
  household.household_number = HouseholdNumber(village, 9999999);
  household.village_code = village;
  household.ex_poor = true;
  household.poverty_exit_year = 2019;
  household.safety_net = true;
  household.relocated = true;
  household.housing = HousingRating::kD;
  household.food_clothing_secure = false;
  household.water_quantity_ok = false;
  household.water_quality_ok = false;
  household.water_convenience_ok = false;
  household.water_reliability_ok = false;
  household.phone = "0971-1234567 转 8";

  Person head;
  head.name = "阿依古丽·买买提";
  head.birth_date = Date{1958, 2, 28};
  head.id_number = MakeResidentId(static_cast<int>(village / 1000000), head.birth_date, 24);
  head.sex = Sex::kFemale;
  head.relation = Relation::kHead;
  head.ethnicity = Ethnicity::kOther;
  head.education = Education::kIlliterate;
  head.schooling = SchoolingStatus::kHealthExempt;
  head.health = Health::kDisabled;
  head.disability_grade = 2;
  head.labour_skill = LabourSkill::kLostAbility;
  head.migrant_work_months = 0;
  head.medical_insurance = false;
  head.minimum_living_allowance = true;
  head.extreme_hardship = true;
  head.deceased = false;

  Person grandson;
  grandson.name = "才让";
  grandson.birth_date = Date{2012, 12, 31};
  grandson.id_number = MakeResidentId(632121, grandson.birth_date, 35);  // historical 平安县 code
  grandson.sex = Sex::kMale;
  grandson.relation = Relation::kGrandson;
  grandson.ethnicity = Ethnicity::kTibetan;
  grandson.education = Education::kPrimary;
  grandson.schooling = SchoolingStatus::kCompulsory;
  grandson.health = Health::kSeriousIllness;
  grandson.disability_grade = 0;
  grandson.labour_skill = LabourSkill::kNone;
  grandson.migrant_work_months = 12;
  grandson.medical_insurance = true;

  Person father;
  father.name = "韩·伊卜拉欣";
  father.birth_date = Date{1930, 1, 1};
  father.id_number = MakeResidentId(630121, father.birth_date, 11);
  father.relation = Relation::kFather;
  father.ethnicity = Ethnicity::kSalar;
  father.education = Education::kCollege;
  father.schooling = SchoolingStatus::kDropout;
  father.health = Health::kChronic;
  father.labour_skill = LabourSkill::kSkilled;
  father.deceased = true;

  record.members = {head, grandson, father};
  record.years = {
      HouseholdYear{2020, 1, 2, 3, 4, 5, 6},
      HouseholdYear{2023, Yuan(12345) + 67, 0, 0, Yuan(3000), Yuan(20000), Yuan(4321) + 9},
      HouseholdYear{2025, 0, 0, 0, 0, 0, 0},
  };
  return record;
}

}  // namespace zx::storage_testing

namespace zx {

/// Readable failure output for EXPECT_EQ on records (found by ADL).
inline void PrintTo(const HouseholdRecord& record, std::ostream* out) {
  const Household& household = record.household;
  *out << "{户 " << household.household_number << " 村 " << household.village_code << " ex_poor "
       << household.ex_poor << " housing " << static_cast<int>(household.housing) << " phone "
       << household.phone << "; members:";
  for (const Person& person : record.members) {
    *out << " [" << person.name << " " << person.id_number << " " << person.birth_date.ToIso() << " rel "
         << static_cast<int>(person.relation) << (person.deceased ? " deceased" : "") << "]";
  }
  *out << "; years:";
  for (const HouseholdYear& year : record.years) *out << " " << year.year << ":" << year.NetIncome();
  *out << "}";
}

}  // namespace zx
