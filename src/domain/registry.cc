#include "domain/registry.h"

namespace zx {

int HouseholdRecord::LivingSize() const {
  int size = 0;
  for (const Person& member : members) size += member.deceased ? 0 : 1;
  return size;
}

bool HouseholdRecord::PerCapitaNetIncome(int year, Fen* out) const {
  int size = LivingSize();
  if (size == 0) return false;
  for (const HouseholdYear& income : years) {
    if (income.year == year) {
      *out = income.NetIncome() / size;
      return true;
    }
  }
  return false;
}

}  // namespace zx
