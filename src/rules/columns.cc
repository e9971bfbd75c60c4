#include "rules/columns.h"

#include <cassert>
#include <cstring>
#include <utility>

namespace zx::rules {

std::size_t Column::size() const {
  switch (width_) {
    case Width::kI64:
      return i64_.size();
    case Width::kI32:
      return i32_.size();
    case Width::kU8:
      return u8_.size();
  }
  return 0;
}

void Column::Reserve(std::size_t n) {
  switch (width_) {
    case Width::kI64:
      i64_.reserve(n);
      break;
    case Width::kI32:
      i32_.reserve(n);
      break;
    case Width::kU8:
      u8_.reserve(n);
      break;
  }
}

void Column::Append(std::int64_t value) {
  switch (width_) {
    case Width::kI64:
      i64_.push_back(value);
      break;
    case Width::kI32:
      i32_.push_back(static_cast<std::int32_t>(value));
      break;
    case Width::kU8:
      u8_.push_back(static_cast<std::uint8_t>(value));
      break;
  }
}

std::int64_t Column::At(std::size_t idx) const {
  switch (width_) {
    case Width::kI64:
      return i64_[idx];
    case Width::kI32:
      return i32_[idx];
    case Width::kU8:
      return u8_[idx];
  }
  return 0;
}

std::string_view Column::RawBytes() const {
  switch (width_) {
    case Width::kI64:
      return {reinterpret_cast<const char*>(i64_.data()), i64_.size() * sizeof(std::int64_t)};
    case Width::kI32:
      return {reinterpret_cast<const char*>(i32_.data()), i32_.size() * sizeof(std::int32_t)};
    case Width::kU8:
      return {reinterpret_cast<const char*>(u8_.data()), u8_.size()};
  }
  return {};
}

namespace {
template <typename T>
bool AssignRawTo(std::string_view bytes, std::vector<T>* out) {
  if (bytes.size() % sizeof(T) != 0) return false;
  out->resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out->data(), bytes.data(), bytes.size());
  return true;
}
}  // namespace

bool Column::AssignRaw(std::string_view bytes) {
  switch (width_) {
    case Width::kI64:
      return AssignRawTo(bytes, &i64_);
    case Width::kI32:
      return AssignRawTo(bytes, &i32_);
    case Width::kU8:
      return AssignRawTo(bytes, &u8_);
  }
  return false;
}

namespace {
// Another width than the values': element by element.
template <typename T>
void AssignConverted(const std::vector<T>& values, Column* column) {
  *column = Column(column->width());
  column->Reserve(values.size());
  for (T value : values) column->Append(value);
}
}  // namespace

void Column::AssignValues(std::vector<std::int64_t>&& values) {
  if (width_ == Width::kI64) {
    i64_ = std::move(values);
    return;
  }
  AssignConverted(values, this);
}

void Column::AssignValues(std::vector<std::int32_t>&& values) {
  if (width_ == Width::kI32) {
    i32_ = std::move(values);
    return;
  }
  AssignConverted(values, this);
}

void Column::AssignValues(std::vector<std::uint8_t>&& values) {
  if (width_ == Width::kU8) {
    u8_ = std::move(values);
    return;
  }
  AssignConverted(values, this);
}

void Column::LoadInto(std::size_t begin, std::size_t n, std::int64_t* out) const {
  switch (width_) {
    case Width::kI64:
      for (std::size_t k = 0; k < n; ++k) out[k] = i64_[begin + k];
      break;
    case Width::kI32:
      for (std::size_t k = 0; k < n; ++k) out[k] = i32_[begin + k];
      break;
    case Width::kU8:
      for (std::size_t k = 0; k < n; ++k) out[k] = u8_[begin + k];
      break;
  }
}

void Column::GatherInto(std::size_t base, const std::uint32_t* index, std::size_t n,
                        std::int64_t* out) const {
  switch (width_) {
    case Width::kI64:
      for (std::size_t k = 0; k < n; ++k) out[k] = i64_[base + index[k]];
      break;
    case Width::kI32:
      for (std::size_t k = 0; k < n; ++k) out[k] = i32_[base + index[k]];
      break;
    case Width::kU8:
      for (std::size_t k = 0; k < n; ++k) out[k] = u8_[base + index[k]];
      break;
  }
}

Column::Width WidthFor(Type type) {
  switch (type.value) {
    case ValueType::kMoney:
      return Column::Width::kI64;
    case ValueType::kInt:
    case ValueType::kDate:
      return Column::Width::kI32;
    case ValueType::kBool:
    case ValueType::kEnum:
      return Column::Width::kU8;
    case ValueType::kString:
      return Column::Width::kI64;
  }
  return Column::Width::kI64;
}

ColumnarData EmptyColumns(int year, const Date& reference_date) {
  ColumnarData data;
  data.households.year = year;
  data.households.reference_date = reference_date;
  data.households.person_begin.push_back(0);
  for (const FieldInfo& field : HouseholdFieldCatalog()) {
    if (field.type.value == ValueType::kString) continue;
    assert(field.column == static_cast<int>(data.households.fields.size()));
    // 12-digit village codes do not fit in 32 bits.
    const bool wide = field.column == static_cast<int>(HouseholdField::kVillageCode);
    data.households.fields.emplace_back(wide ? Column::Width::kI64 : WidthFor(field.type));
  }
  for (const FieldInfo& field : PersonFieldCatalog()) {
    assert(field.column == static_cast<int>(data.persons.fields.size()));
    data.persons.fields.emplace_back(WidthFor(field.type));
  }
  return data;
}

ColumnarData SelectHouseholds(const ColumnarData& data, const std::vector<std::uint32_t>& rows) {
  ColumnarData out = EmptyColumns(data.households.year, data.households.reference_date);
  HouseholdColumns& hh = out.households;
  PersonColumns& persons = out.persons;
  for (Column& column : hh.fields) column.Reserve(rows.size());
  hh.household_number.reserve(rows.size());
  hh.person_begin.reserve(rows.size() + 1);
  for (std::uint32_t row : rows) {
    for (std::size_t field_idx = 0; field_idx < hh.fields.size(); ++field_idx) {
      hh.fields[field_idx].Append(data.households.fields[field_idx].At(row));
    }
    hh.household_number.push_back(data.households.household_number[row]);
    const std::uint32_t first = data.households.person_begin[row];
    const std::uint32_t last = data.households.person_begin[row + 1];
    for (std::uint32_t person_idx = first; person_idx < last; ++person_idx) {
      for (std::size_t field_idx = 0; field_idx < persons.fields.size(); ++field_idx) {
        persons.fields[field_idx].Append(data.persons.fields[field_idx].At(person_idx));
      }
      persons.household.push_back(static_cast<std::uint32_t>(hh.size));
    }
    persons.size += last - first;
    ++hh.size;
    hh.person_begin.push_back(static_cast<std::uint32_t>(persons.size));
  }
  return out;
}

void AppendRecord(const HouseholdRecord& record, ColumnarData* data) {
  HouseholdColumns& hh = data->households;
  PersonColumns& persons = data->persons;
  const Household& household = record.household;
  const HouseholdYear* current = nullptr;
  const HouseholdYear* previous = nullptr;
  for (const HouseholdYear& income : record.years) {
    if (income.year == hh.year) current = &income;
    if (income.year == hh.year - 1) previous = &income;
  }
  int living = 0;
  int deceased = 0;
  bool head_deceased = false;
  for (const Person& member : record.members) {
    if (member.deceased) {
      ++deceased;
      head_deceased = head_deceased || member.relation == Relation::kHead;
    } else {
      ++living;
    }
  }
  const HouseholdYear none;
  const HouseholdYear& cur = current ? *current : none;
  const Fen net = cur.NetIncome();
  const Fen prev_net = previous ? previous->NetIncome() : 0;

  auto set = [&](HouseholdField field, std::int64_t value) {
    hh.fields[static_cast<int>(field)].Append(value);
  };
  using F = HouseholdField;
  set(F::kVillageCode, household.village_code);
  set(F::kCountyCode, household.village_code / 1000000);
  set(F::kExPoor, household.ex_poor);
  set(F::kPovertyExitYear, household.poverty_exit_year);
  set(F::kSafetyNet, household.safety_net);
  set(F::kRelocated, household.relocated);
  set(F::kHousing, static_cast<int>(household.housing));
  set(F::kFoodClothingSecure, household.food_clothing_secure);
  set(F::kWaterQuantityOk, household.water_quantity_ok);
  set(F::kWaterQualityOk, household.water_quality_ok);
  set(F::kWaterConvenienceOk, household.water_convenience_ok);
  set(F::kWaterReliabilityOk, household.water_reliability_ok);
  set(F::kHasIncomeYear, current != nullptr);
  set(F::kWageIncome, cur.wage_income);
  set(F::kBusinessIncome, cur.business_income);
  set(F::kPropertyIncome, cur.property_income);
  set(F::kTransferIncome, cur.transfer_income);
  set(F::kProductionCost, cur.production_cost);
  set(F::kCompliantOutOfPocket, cur.compliant_out_of_pocket);
  set(F::kNetIncome, net);
  set(F::kPerCapitaNetIncome, living > 0 ? net / living : 0);
  set(F::kHasPrevIncomeYear, previous != nullptr);
  set(F::kPrevNetIncome, prev_net);
  set(F::kPrevPerCapitaNetIncome, living > 0 ? prev_net / living : 0);
  set(F::kLivingSize, living);
  set(F::kMemberCount, static_cast<std::int64_t>(record.members.size()));
  set(F::kDeceasedMembers, deceased);
  set(F::kHeadDeceased, head_deceased);
  hh.household_number.push_back(household.household_number);

  const auto household_idx = static_cast<std::uint32_t>(hh.size);
  for (const Person& member : record.members) {
    if (member.deceased) continue;
    auto put = [&](PersonField field, std::int64_t value) {
      persons.fields[static_cast<int>(field)].Append(value);
    };
    using P = PersonField;
    put(P::kAge, AgeOn(member.birth_date, hh.reference_date));
    put(P::kBirthDate, member.birth_date.ToDays());
    put(P::kSex, static_cast<int>(member.sex));
    put(P::kRelation, static_cast<int>(member.relation));
    put(P::kEthnicity, static_cast<int>(member.ethnicity));
    put(P::kEducation, static_cast<int>(member.education));
    put(P::kSchooling, static_cast<int>(member.schooling));
    put(P::kHealth, static_cast<int>(member.health));
    put(P::kDisabilityGrade, member.disability_grade);
    put(P::kLabourSkill, static_cast<int>(member.labour_skill));
    put(P::kMigrantWorkMonths, member.migrant_work_months);
    put(P::kMedicalInsurance, member.medical_insurance);
    put(P::kMinimumLivingAllowance, member.minimum_living_allowance);
    put(P::kExtremeHardship, member.extreme_hardship);
    persons.household.push_back(household_idx);
    ++persons.size;
  }
  ++hh.size;
  hh.person_begin.push_back(static_cast<std::uint32_t>(persons.size));
}

ColumnarData BuildColumns(const std::vector<HouseholdRecord>& records, int year, const Date& reference_date) {
  ColumnarData data = EmptyColumns(year, reference_date);
  for (Column& column : data.households.fields) column.Reserve(records.size());
  data.households.household_number.reserve(records.size());
  data.households.person_begin.reserve(records.size() + 1);
  for (const HouseholdRecord& record : records) AppendRecord(record, &data);
  return data;
}

ColumnarData EmptyFeedPersonColumns(int year, const Date& reference_date) {
  ColumnarData data;
  data.households.year = year;
  data.households.reference_date = reference_date;
  data.households.person_begin.push_back(0);
  for (const FieldInfo& field : FeedPersonFieldCatalog()) {
    assert(field.column == static_cast<int>(data.households.fields.size()));
    data.households.fields.emplace_back(WidthFor(field.type));
  }
  return data;
}

void AppendFeedPerson(const FeedPersonRow& row, ColumnarData* data) {
  HouseholdColumns& hh = data->households;
  auto set = [&](FeedPersonField field, std::int64_t value) {
    hh.fields[static_cast<int>(field)].Append(value);
  };
  using F = FeedPersonField;
  set(F::kOutOfPocket12m, row.out_of_pocket_12m);
  set(F::kMaxTotalCost, row.max_total_cost);
  set(F::kMaxAmount, row.max_amount);
  set(F::kRows, row.rows);
  set(F::kExPoor, row.ex_poor);
  set(F::kDeceased, row.deceased);
  set(F::kAsOf, row.as_of.ToDays());
  set(F::kWindowStart, row.window_start.ToDays());
  ++hh.size;
  hh.person_begin.push_back(0);
}

ColumnarData BuildFeedPersonColumns(const std::vector<FeedPersonRow>& rows, int year,
                                    const Date& reference_date) {
  ColumnarData data = EmptyFeedPersonColumns(year, reference_date);
  for (Column& column : data.households.fields) column.Reserve(rows.size());
  data.households.person_begin.reserve(rows.size() + 1);
  for (const FeedPersonRow& row : rows) AppendFeedPerson(row, &data);
  return data;
}

void FeedPersonArrays::Reserve(std::size_t n) {
  out_of_pocket_12m.reserve(n);
  max_total_cost.reserve(n);
  max_amount.reserve(n);
  rows.reserve(n);
  ex_poor.reserve(n);
  deceased.reserve(n);
}

void FeedPersonArrays::Append(const FeedPersonRow& row) {
  out_of_pocket_12m.push_back(row.out_of_pocket_12m);
  max_total_cost.push_back(row.max_total_cost);
  max_amount.push_back(row.max_amount);
  rows.push_back(static_cast<std::int32_t>(row.rows));
  ex_poor.push_back(row.ex_poor);
  deceased.push_back(row.deceased);
}

FeedPersonRow FeedPersonArrays::At(std::size_t idx) const {
  FeedPersonRow row;
  row.out_of_pocket_12m = out_of_pocket_12m[idx];
  row.max_total_cost = max_total_cost[idx];
  row.max_amount = max_amount[idx];
  row.rows = rows[idx];
  row.ex_poor = ex_poor[idx] != 0;
  row.deceased = deceased[idx] != 0;
  row.as_of = as_of;
  row.window_start = window_start;
  return row;
}

ColumnarData BuildFeedPersonColumns(FeedPersonArrays arrays, int year, const Date& reference_date) {
  ColumnarData data = EmptyFeedPersonColumns(year, reference_date);
  HouseholdColumns& hh = data.households;
  const std::size_t n = arrays.size();
  assert(arrays.out_of_pocket_12m.size() == n && arrays.max_total_cost.size() == n &&
         arrays.max_amount.size() == n && arrays.ex_poor.size() == n && arrays.deceased.size() == n);
  auto column = [&hh](FeedPersonField field) -> Column& { return hh.fields[static_cast<int>(field)]; };
  using F = FeedPersonField;
  column(F::kOutOfPocket12m).AssignValues(std::move(arrays.out_of_pocket_12m));
  column(F::kMaxTotalCost).AssignValues(std::move(arrays.max_total_cost));
  column(F::kMaxAmount).AssignValues(std::move(arrays.max_amount));
  column(F::kRows).AssignValues(std::move(arrays.rows));
  column(F::kExPoor).AssignValues(std::move(arrays.ex_poor));
  column(F::kDeceased).AssignValues(std::move(arrays.deceased));
  column(F::kAsOf).AssignValues(
      std::vector<std::int32_t>(n, static_cast<std::int32_t>(arrays.as_of.ToDays())));
  column(F::kWindowStart)
      .AssignValues(std::vector<std::int32_t>(n, static_cast<std::int32_t>(arrays.window_start.ToDays())));
  hh.size = n;
  hh.person_begin.assign(n + 1, 0);
  return data;
}

FeedPersonRow FeedPersonAt(const ColumnarData& data, std::size_t idx) {
  auto value = [&](FeedPersonField field) { return data.households.fields[static_cast<int>(field)].At(idx); };
  using F = FeedPersonField;
  FeedPersonRow row;
  row.out_of_pocket_12m = value(F::kOutOfPocket12m);
  row.max_total_cost = value(F::kMaxTotalCost);
  row.max_amount = value(F::kMaxAmount);
  row.rows = value(F::kRows);
  row.ex_poor = value(F::kExPoor) != 0;
  row.deceased = value(F::kDeceased) != 0;
  row.as_of = Date::FromDays(value(F::kAsOf));
  row.window_start = Date::FromDays(value(F::kWindowStart));
  return row;
}

}  // namespace zx::rules
