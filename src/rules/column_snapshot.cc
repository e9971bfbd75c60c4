#include "rules/column_snapshot.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

#include "rules/field_catalog.h"

namespace zx::rules {
namespace {

constexpr std::string_view kMagic = "ZXCOLS02";

// Changes whenever a field is added, removed, renamed or retyped.
std::uint64_t CatalogSignature() {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  auto mix = [&hash](std::string_view text) {
    for (unsigned char byte : text) {
      hash ^= byte;
      hash *= 1099511628211ull;
    }
    hash ^= 0xff;
    hash *= 1099511628211ull;
  };
  for (const FieldInfo& field : HouseholdFieldCatalog()) {
    mix(field.name);
    mix(std::to_string(static_cast<int>(field.type.value)));
  }
  mix("|persons|");
  for (const FieldInfo& field : PersonFieldCatalog()) {
    mix(field.name);
    mix(std::to_string(static_cast<int>(field.type.value)));
  }
  return hash;
}

template <typename T>
void Put(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void PutBytes(std::string* out, std::string_view bytes) {
  Put<std::uint64_t>(out, bytes.size());
  out->append(bytes);
}

void PutColumns(std::string* out, const std::vector<Column>& columns) {
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(columns.size()));
  for (const Column& column : columns) {
    Put<std::uint8_t>(out, static_cast<std::uint8_t>(column.width()));
    PutBytes(out, column.RawBytes());
  }
}

template <typename T>
std::string_view RawOf(const std::vector<T>& values) {
  return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)};
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  Status Get(T* value, std::string_view what) {
    if (bytes_.size() - pos_ < sizeof(T)) return Truncated(what);
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return Status::Ok();
  }
  Status GetBytes(std::string_view* out, std::string_view what) {
    std::uint64_t size = 0;
    RETURN_IF_ERROR(Get(&size, what));
    if (bytes_.size() - pos_ < size) return Truncated(what);
    *out = bytes_.substr(pos_, size);
    pos_ += size;
    return Status::Ok();
  }
  Status GetColumns(std::vector<Column>* columns, std::size_t rows, std::string_view what) {
    std::uint32_t count = 0;
    RETURN_IF_ERROR(Get(&count, what));
    if (count != columns->size())
      return Bad(fmt::format("{}列数 {} 与字段目录的 {} 不符", what, count, columns->size()));
    for (Column& column : *columns) {
      std::uint8_t width = 0;
      RETURN_IF_ERROR(Get(&width, what));
      if (width != static_cast<std::uint8_t>(column.width())) return Bad(fmt::format("{}列宽不符", what));
      std::string_view raw;
      RETURN_IF_ERROR(GetBytes(&raw, what));
      if (!column.AssignRaw(raw) || column.size() != rows) return Bad(fmt::format("{}列长度不符", what));
    }
    return Status::Ok();
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  static Status Bad(std::string reason) { return DataLoss("列式快照无效：" + reason); }

 private:
  Status Truncated(std::string_view what) const { return Bad(fmt::format("读取{}时数据不完整", what)); }

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

template <typename T>
bool AssignVector(std::string_view raw, std::vector<T>* out) {
  if (raw.size() % sizeof(T) != 0) return false;
  out->resize(raw.size() / sizeof(T));
  if (!raw.empty()) std::memcpy(out->data(), raw.data(), raw.size());
  return true;
}

}  // namespace

std::string ColumnSnapshotKey(int year) {
  return fmt::format("columns/{}/{}/{:016x}", kMagic, year, CatalogSignature());
}

std::string SerializeColumns(const ColumnarData& data) {
  const HouseholdColumns& hh = data.households;
  const PersonColumns& persons = data.persons;
  std::string out;
  std::size_t estimate = 64 + hh.person_begin.size() * 4 + persons.household.size() * 4;
  for (const Column& column : hh.fields) estimate += column.RawBytes().size() + 16;
  for (const Column& column : persons.fields) estimate += column.RawBytes().size() + 16;
  for (const std::string& number : hh.household_number) estimate += number.size() + 4;
  out.reserve(estimate);
  out.append(kMagic);
  Put<std::uint64_t>(&out, CatalogSignature());
  Put<std::int32_t>(&out, hh.year);
  Put<std::int64_t>(&out, hh.reference_date.ToDays());
  Put<std::uint64_t>(&out, hh.size);
  PutColumns(&out, hh.fields);
  std::string numbers;
  std::vector<std::uint32_t> number_ends;
  number_ends.reserve(hh.household_number.size());
  for (const std::string& number : hh.household_number) {
    numbers += number;
    number_ends.push_back(static_cast<std::uint32_t>(numbers.size()));
  }
  PutBytes(&out, numbers);
  PutBytes(&out, RawOf(number_ends));
  PutBytes(&out, RawOf(hh.person_begin));
  Put<std::uint64_t>(&out, persons.size);
  PutColumns(&out, persons.fields);
  PutBytes(&out, RawOf(persons.household));
  return out;
}

Result<ColumnarData> DeserializeColumns(std::string_view bytes) {
  if (!bytes.starts_with(kMagic)) return Reader::Bad("文件头不符");
  Reader reader(bytes.substr(kMagic.size()));
  std::uint64_t signature = 0;
  RETURN_IF_ERROR(reader.Get(&signature, "字段目录签名"));
  if (signature != CatalogSignature()) return Reader::Bad("由另一版本的字段目录生成");
  std::int32_t year = 0;
  std::int64_t reference_days = 0;
  std::uint64_t households = 0;
  RETURN_IF_ERROR(reader.Get(&year, "年度"));
  RETURN_IF_ERROR(reader.Get(&reference_days, "参照日期"));
  RETURN_IF_ERROR(reader.Get(&households, "户数"));
  ColumnarData data = EmptyColumns(year, Date::FromDays(reference_days));
  HouseholdColumns& hh = data.households;
  hh.size = households;
  RETURN_IF_ERROR(reader.GetColumns(&hh.fields, households, "户字段"));
  std::string_view numbers;
  std::string_view ends_raw;
  RETURN_IF_ERROR(reader.GetBytes(&numbers, "户编号"));
  RETURN_IF_ERROR(reader.GetBytes(&ends_raw, "户编号"));
  std::vector<std::uint32_t> ends;
  if (!AssignVector(ends_raw, &ends) || ends.size() != households) return Reader::Bad("户编号个数不符");
  hh.household_number.reserve(households);
  std::uint32_t begin = 0;
  for (std::uint32_t end : ends) {
    if (end < begin || end > numbers.size()) return Reader::Bad("户编号偏移无效");
    hh.household_number.emplace_back(numbers.substr(begin, end - begin));
    begin = end;
  }
  std::string_view person_begin;
  RETURN_IF_ERROR(reader.GetBytes(&person_begin, "成员偏移"));
  if (!AssignVector(person_begin, &hh.person_begin) || hh.person_begin.size() != households + 1) {
    return Reader::Bad("成员偏移个数不符");
  }
  std::uint64_t persons = 0;
  RETURN_IF_ERROR(reader.Get(&persons, "成员数"));
  data.persons.size = persons;
  RETURN_IF_ERROR(reader.GetColumns(&data.persons.fields, persons, "成员字段"));
  std::string_view household_of;
  RETURN_IF_ERROR(reader.GetBytes(&household_of, "成员所属户"));
  if (!AssignVector(household_of, &data.persons.household) || data.persons.household.size() != persons) {
    return Reader::Bad("成员所属户个数不符");
  }
  if (!reader.AtEnd()) return Reader::Bad("末尾有多余数据");
  // The invariants of columns.h: offsets non-decreasing, ending at the person
  // count, and each person's household index matching its offset range.
  if (hh.person_begin.front() != 0 || hh.person_begin.back() != persons)
    return Reader::Bad("成员偏移首尾不符");
  for (std::size_t household_idx = 0; household_idx < households; ++household_idx) {
    const std::uint32_t first = hh.person_begin[household_idx];
    const std::uint32_t last = hh.person_begin[household_idx + 1];
    if (last < first) return Reader::Bad("成员偏移不是非递减");
    for (std::uint32_t person_idx = first; person_idx < last; ++person_idx) {
      if (data.persons.household[person_idx] != household_idx) return Reader::Bad("成员所属户与偏移不符");
    }
  }
  return data;
}

}  // namespace zx::rules
