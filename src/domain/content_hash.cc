#include "domain/content_hash.h"

namespace zx {
namespace {

void AppendInt(std::int64_t value, std::string* out) {
  auto bits = static_cast<std::uint64_t>(value);
  char bytes[8];
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
    bytes[byte_idx] = static_cast<char>(bits & 0xff);  // little-endian on every platform
    bits >>= 8;
  }
  out->append(bytes, sizeof bytes);
}

void AppendByte(std::uint8_t value, std::string* out) { out->push_back(static_cast<char>(value)); }

void AppendBool(bool value, std::string* out) { AppendByte(value ? 1 : 0, out); }

void AppendString(const std::string& value, std::string* out) {
  AppendInt(static_cast<std::int64_t>(value.size()), out);
  out->append(value);
}

void AppendDate(const Date& date, std::string* out) {
  AppendInt(date.year, out);
  AppendByte(static_cast<std::uint8_t>(date.month), out);
  AppendByte(static_cast<std::uint8_t>(date.day), out);
}

template <typename Enum>
void AppendEnum(Enum value, std::string* out) {
  AppendByte(static_cast<std::uint8_t>(value), out);
}

}  // namespace

void AppendCanonicalHousehold(const HouseholdRecord& record, std::string* out) {
  AppendByte(kContentHashFormat, out);
  const Household& household = record.household;
  AppendString(household.household_number, out);
  AppendInt(household.village_code, out);
  AppendBool(household.ex_poor, out);
  AppendInt(household.poverty_exit_year, out);
  AppendBool(household.safety_net, out);
  AppendBool(household.relocated, out);
  AppendEnum(household.housing, out);
  AppendBool(household.food_clothing_secure, out);
  AppendBool(household.water_quantity_ok, out);
  AppendBool(household.water_quality_ok, out);
  AppendBool(household.water_convenience_ok, out);
  AppendBool(household.water_reliability_ok, out);
  AppendString(household.phone, out);

  AppendInt(static_cast<std::int64_t>(record.members.size()), out);
  for (const Person& person : record.members) {
    AppendString(person.name, out);
    AppendString(person.id_number, out);
    AppendEnum(person.sex, out);
    AppendDate(person.birth_date, out);
    AppendEnum(person.relation, out);
    AppendEnum(person.ethnicity, out);
    AppendEnum(person.education, out);
    AppendEnum(person.schooling, out);
    AppendEnum(person.health, out);
    AppendInt(person.disability_grade, out);
    AppendEnum(person.labour_skill, out);
    AppendInt(person.migrant_work_months, out);
    AppendBool(person.medical_insurance, out);
    AppendBool(person.minimum_living_allowance, out);
    AppendBool(person.extreme_hardship, out);
    AppendBool(person.deceased, out);
  }

  AppendInt(static_cast<std::int64_t>(record.years.size()), out);
  for (const HouseholdYear& year : record.years) {
    AppendInt(year.year, out);
    AppendInt(year.wage_income, out);
    AppendInt(year.business_income, out);
    AppendInt(year.property_income, out);
    AppendInt(year.transfer_income, out);
    AppendInt(year.production_cost, out);
    AppendInt(year.compliant_out_of_pocket, out);
  }
}

std::uint64_t HouseholdContentHash(const HouseholdRecord& record) {
  // One buffer per thread: the hash runs once per household on bulk writes.
  thread_local std::string buffer;
  buffer.clear();
  AppendCanonicalHousehold(record, &buffer);

  constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
  constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
  std::uint64_t hash = kFnvOffset;
  for (char byte : buffer) {
    hash ^= static_cast<std::uint8_t>(byte);
    hash *= kFnvPrime;
  }
  // SplitMix64 finaliser: spreads single-bit differences over all 64 bits.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

}  // namespace zx
