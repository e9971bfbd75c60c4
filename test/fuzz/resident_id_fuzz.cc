// libFuzzer target for the resident ID parser (make fuzz / fuzz-smoke,
// target fuzz_resident_id). Every input is parsed without and with a
// DivisionTable (built once); the invariants below must hold for any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/division.h"
#include "domain/resident_id.h"

namespace {

const zx::DivisionTable* Divisions() {
  static const zx::DivisionTable* table = [] {
    zx::Result<zx::DivisionTable> loaded = zx::DivisionTable::LoadDefault();
    if (!loaded.ok()) {
      // Fall back on a tiny table so the fuzzer still exercises the lookup.
      std::vector<zx::Division> divisions = {
          {630000000000, "青海省", zx::DivisionLevel::kProvince, 0},
          {630100000000, "西宁市", zx::DivisionLevel::kPrefecture, 630000000000},
          {630102000000, "城东区", zx::DivisionLevel::kCounty, 630100000000},
      };
      loaded = zx::DivisionTable::FromDivisions(std::move(divisions), {{632121, "平安县", 630102, 0, 2013}});
      if (!loaded.ok()) std::abort();
    }
    return new zx::DivisionTable(std::move(loaded).value());
  }();
  return table;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckValid(const zx::ResidentIdInfo& info) {
  Check(info.normalized.size() == 18);
  for (size_t idx = 0; idx < 17; ++idx) Check(info.normalized[idx] >= '0' && info.normalized[idx] <= '9');
  Check(info.normalized[17] == zx::ResidentIdCheckChar(info.normalized));
  Check(info.birth_date.ToCompact() == info.normalized.substr(6, 8));
  Check(info.address_code == std::stoi(info.normalized.substr(0, 6)));
  // The normalised form is a fixed point.
  zx::Result<zx::ResidentIdInfo> again = zx::ParseResidentId(info.normalized);
  Check(again.ok() && again->normalized == info.normalized && again->sex == info.sex);
  Check(zx::MaskResidentId(info.normalized).size() == 18);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  (void)zx::NormalizeResidentId(raw);
  (void)zx::MaskResidentId(raw);

  zx::ResidentIdError plain_error = zx::ResidentIdError::kNone;
  zx::Result<zx::ResidentIdInfo> plain = zx::ParseResidentId(raw, nullptr, &plain_error);
  Check(plain.ok() == (plain_error == zx::ResidentIdError::kNone));
  Check(plain_error != zx::ResidentIdError::kUnknownAddress);  // only reported with a table
  if (plain.ok()) CheckValid(*plain);

  zx::ResidentIdError table_error = zx::ResidentIdError::kNone;
  zx::Result<zx::ResidentIdInfo> checked = zx::ParseResidentId(raw, Divisions(), &table_error);
  Check(checked.ok() == (table_error == zx::ResidentIdError::kNone));
  if (checked.ok()) {
    CheckValid(*checked);
    Check(plain.ok() && plain->normalized == checked->normalized);
  } else if (plain.ok()) {
    // The table can only add the address check.
    Check(table_error == zx::ResidentIdError::kUnknownAddress);
  } else {
    Check(table_error == plain_error);
  }
  if (size >= 6) {
    int code = 0;
    for (size_t idx = 0; idx < 6; ++idx) code = code * 10 + (data[idx] % 10);
    (void)Divisions()->AddressCodeName(code);
  }
  return 0;
}
