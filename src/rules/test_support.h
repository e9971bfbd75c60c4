// Test helpers: small hand-built households and the 2022 bind context.
#pragma once

#include <string>
#include <vector>

#include "domain/registry.h"
#include "rules/rule_set.h"

namespace zx::rules::testing {

inline BindContext Context2022() {
  BindContext context;
  context.year = 2022;
  context.monitoring_line = Yuan(6700);
  context.reference_date = {2022, 12, 31};
  return context;
}

inline Person MakePerson(Relation relation, Date birth, Health health = Health::kHealthy) {
  Person person;
  person.name = "测试";
  person.relation = relation;
  person.birth_date = birth;
  person.health = health;
  return person;
}

/// A household of `size` living members whose 2022 net income is
/// per_capita × size (all as wages).
inline HouseholdRecord MakeHousehold(const std::string& number, int size, Fen per_capita) {
  HouseholdRecord record;
  record.household.household_number = number;
  record.household.village_code = 630121100201;
  record.members.push_back(MakePerson(Relation::kHead, {1970, 5, 1}));
  for (int idx = 1; idx < size; ++idx) {
    record.members.push_back(MakePerson(Relation::kSon, {2000 + idx, 1, 1}));
  }
  HouseholdYear year;
  year.year = 2022;
  year.wage_income = per_capita * size;
  record.years.push_back(year);
  return record;
}

}  // namespace zx::rules::testing
