#include "matching/person_index.h"

#include <algorithm>

#include "domain/resident_id.h"
#include "matching/name_normalizer.h"

namespace zx::matching {
namespace {

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 29;
  return x;
}

}  // namespace

std::uint64_t IdKeyOfValid18(std::string_view id18) {
  if (id18.size() != 18) return 0;
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::uint64_t key = 0;
  int sum = 0;
  for (int idx = 0; idx < 17; ++idx) {
    const unsigned digit = static_cast<unsigned char>(id18[idx]) - '0';
    if (digit > 9) return 0;
    key = key * 10 + digit;
    sum += kWeights[idx] * static_cast<int>(digit);
  }
  static constexpr char kCheck[] = "10X98765432";
  const char check = id18[17] == 'x' ? 'X' : id18[17];
  if (kCheck[sum % 11] != check) return 0;
  return key;
}

std::string IdOfKey(std::uint64_t key) {
  std::string id(17, '0');
  for (int idx = 16; idx >= 0; --idx) {
    id[idx] = static_cast<char>('0' + key % 10);
    key /= 10;
  }
  id.push_back(ResidentIdCheckChar(id));
  return id;
}

std::uint64_t PersonIndex::HashText(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return Mix(hash, text.size());
}

Result<PersonIndex> PersonIndex::Load(LinkStore& store, const DivisionScope& scope) {
  PersonIndex index;
  RETURN_IF_ERROR(
      store.ScanLinkPersons(scope, [&index](const LinkPersonView& person) { index.Add(person); }));
  index.Finish();
  return index;
}

void PersonIndex::Add(const LinkPersonView& person) {
  IndexedPerson entry;
  entry.id_key = IdKeyOfValid18(person.id_number);
  entry.name_offset = static_cast<std::uint32_t>(names_.size());
  entry.name_bytes = static_cast<std::uint16_t>(std::min<std::size_t>(person.name.size(), 65535));
  names_.append(person.name.substr(0, entry.name_bytes));
  entry.birth_days = static_cast<std::int32_t>(person.birth_date.ToDays());
  entry.sex = static_cast<std::uint8_t>(person.sex);
  entry.deceased = person.deceased;
  // Persons come grouped by household: usually the previous one.
  if (!households_.empty() && households_.back().number == person.household_number) {
    entry.household = static_cast<std::uint32_t>(households_.size() - 1);
  } else {
    auto [it, inserted] = household_by_number_.try_emplace(std::string(person.household_number),
                                                           static_cast<std::uint32_t>(households_.size()));
    if (inserted)
      households_.push_back({std::string(person.household_number), person.village_code, person.ex_poor});
    entry.household = it->second;
  }
  persons_.push_back(entry);
}

void PersonIndex::Finish() {
  std::size_t capacity = 16;
  while (capacity < persons_.size() * 2) capacity <<= 1;
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  for (std::size_t person_idx = 0; person_idx < persons_.size(); ++person_idx) {
    const std::uint64_t key = persons_[person_idx].id_key;
    if (key == 0) continue;
    std::size_t slot = Hash(key) & mask_;
    while (slots_[slot] >= 0) slot = (slot + 1) & mask_;
    slots_[slot] = static_cast<std::int32_t>(person_idx);
  }
  household_by_number_.clear();
}

void PersonIndex::BuildBlocks(const NameNormalizer& normalizer) {
  if (blocks_built_) return;
  blocks_built_ = true;
  name_key_hashes_.resize(persons_.size());
  by_birth_county_.reserve(persons_.size());
  by_name_county_.reserve(persons_.size());
  by_name_year_.reserve(persons_.size());
  for (std::size_t person_idx = 0; person_idx < persons_.size(); ++person_idx) {
    const auto idx = static_cast<std::int32_t>(person_idx);
    const std::uint64_t name_hash = HashText(normalizer.VariantKey(name(idx)));
    name_key_hashes_[person_idx] = name_hash;
    ++name_key_counts_[name_hash];
    const auto county = static_cast<std::uint64_t>(county_of(idx));
    by_birth_county_.emplace_back(Mix(static_cast<std::uint64_t>(persons_[person_idx].birth_days), county),
                                  idx);
    by_name_county_.emplace_back(Mix(name_hash, county), idx);
    by_name_year_.emplace_back(Mix(name_hash, static_cast<std::uint64_t>(birth_date(idx).year)), idx);
  }
  for (Block* block : {&by_birth_county_, &by_name_county_, &by_name_year_})
    std::sort(block->begin(), block->end());
}

void PersonIndex::AddBlock(const Block& block, std::uint64_t key, std::size_t max_per_block,
                           std::vector<std::int32_t>* out) {
  auto lower = std::lower_bound(block.begin(), block.end(), std::make_pair(key, std::int32_t{-1}));
  auto upper = lower;
  while (upper != block.end() && upper->first == key) ++upper;
  if (static_cast<std::size_t>(upper - lower) > max_per_block) return;
  for (auto it = lower; it != upper; ++it) out->push_back(it->second);
}

void PersonIndex::Candidates(std::uint64_t name_key_hash, std::int32_t birth_days, int county, int birth_year,
                             std::size_t max_per_block, std::vector<std::int32_t>* out) const {
  out->clear();
  const auto county_key = static_cast<std::uint64_t>(county);
  if (birth_days != INT32_MIN && county > 0) {
    AddBlock(by_birth_county_, Mix(static_cast<std::uint64_t>(birth_days), county_key), max_per_block, out);
  }
  if (name_key_hash != 0 && county > 0)
    AddBlock(by_name_county_, Mix(name_key_hash, county_key), max_per_block, out);
  if (name_key_hash != 0 && birth_year > 0) {
    AddBlock(by_name_year_, Mix(name_key_hash, static_cast<std::uint64_t>(birth_year)), max_per_block, out);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

std::int64_t PersonIndex::NameKeyCount(std::uint64_t name_key_hash) const {
  auto found = name_key_counts_.find(name_key_hash);
  return found == name_key_counts_.end() ? 0 : found->second;
}

}  // namespace zx::matching
