#include "matching/person_index.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <type_traits>

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

std::uint32_t NameHash(std::string_view name) {
  // Eight bytes at a time (a name is 2–4 characters, 6–12 bytes, mostly).
  std::uint64_t hash = 0x9E3779B97F4A7C15ULL ^ name.size();
  std::size_t pos = 0;
  for (; pos + 8 <= name.size(); pos += 8) {
    std::uint64_t word;
    std::memcpy(&word, name.data() + pos, 8);
    hash = Mix(hash, word);
  }
  if (pos < name.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, name.data() + pos, name.size() - pos);
    hash = Mix(hash, word);
  }
  const auto folded = static_cast<std::uint32_t>(hash ^ (hash >> 32));
  return folded == 0 ? 1 : folded;
}

void WriteIdOfKey(std::uint64_t key, char* out) {
  for (int idx = 16; idx >= 0; --idx) {
    out[idx] = static_cast<char>('0' + key % 10);
    key /= 10;
  }
  out[17] = ResidentIdCheckChar(std::string_view(out, 17));
}

std::string IdOfKey(std::uint64_t key) {
  std::string id(18, '0');
  WriteIdOfKey(key, id.data());
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

Result<PersonIndex> PersonIndex::LoadCached(Store& registry, LinkStore& store, const DivisionScope& scope,
                                            bool* from_snapshot) {
  if (from_snapshot != nullptr) *from_snapshot = false;
  if (scope != DivisionScope::All()) return Load(store, scope);
  ASSIGN_OR_RETURN(std::int64_t generation, registry.RegistryGeneration());
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, registry.GetSnapshot(scope, kSnapshotKey, generation));
  if (bytes.has_value()) {
    Result<PersonIndex> index = Deserialize(*bytes);
    if (index.ok()) {
      if (from_snapshot != nullptr) *from_snapshot = true;
      return index;
    }
    // A damaged snapshot is rebuilt below.
  }
  ASSIGN_OR_RETURN(PersonIndex index, Load(store, scope));
  // A cache: failing to save it (a concurrent registry write made it stale)
  // costs the next run time, not correctness.
  (void)registry.PutSnapshot(scope, kSnapshotKey, generation, index.Serialize());
  return index;
}

namespace {

// Snapshot layout: magic, then counts as u64, then the arrays as they lie in
// memory (IndexedPerson is trivially copyable), households as (length,
// bytes, village code, ex-poor byte).
constexpr char kSnapshotMagic[8] = {'Z', 'X', 'P', 'I', 'D', 'X', '0', '2'};

template <typename T>
void PutRaw(const T& value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof value);
}

class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Raw(T* value) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool Array(std::uint64_t count, std::vector<T>* out) {
    if (count > (bytes_.size() - pos_) / sizeof(T)) return false;
    out->resize(count);
    if (count > 0) std::memcpy(out->data(), bytes_.data() + pos_, count * sizeof(T));
    pos_ += count * sizeof(T);
    return true;
  }
  bool Text(std::uint64_t size, std::string* out) {
    if (size > bytes_.size() - pos_) return false;
    out->assign(bytes_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string PersonIndex::Serialize() const {
  static_assert(std::is_trivially_copyable_v<IndexedPerson> && std::is_trivially_copyable_v<Slot>);
  std::string out;
  std::size_t household_bytes = 0;
  for (const IndexedHousehold& household : households_) household_bytes += household.number.size() + 16;
  out.reserve(64 + persons_.size() * sizeof(IndexedPerson) + names_.size() + household_bytes +
              slots_.size() * sizeof(Slot));
  out.append(kSnapshotMagic, sizeof kSnapshotMagic);
  PutRaw<std::uint64_t>(persons_.size(), &out);
  PutRaw<std::uint64_t>(households_.size(), &out);
  PutRaw<std::uint64_t>(names_.size(), &out);
  PutRaw<std::uint64_t>(slots_.size(), &out);
  out.append(reinterpret_cast<const char*>(persons_.data()), persons_.size() * sizeof(IndexedPerson));
  out.append(names_);
  for (const IndexedHousehold& household : households_) {
    PutRaw<std::uint32_t>(static_cast<std::uint32_t>(household.number.size()), &out);
    out.append(household.number);
    PutRaw<std::int64_t>(household.village_code, &out);
    PutRaw<std::uint8_t>(household.ex_poor ? 1 : 0, &out);
  }
  out.append(reinterpret_cast<const char*>(slots_.data()), slots_.size() * sizeof(Slot));
  return out;
}

Result<PersonIndex> PersonIndex::Deserialize(std::string_view bytes) {
  auto corrupt = [] { return DataLoss("登记人员索引快照已损坏"); };
  if (bytes.size() < sizeof kSnapshotMagic ||
      std::memcmp(bytes.data(), kSnapshotMagic, sizeof kSnapshotMagic))
    return corrupt();
  SnapshotReader reader(bytes.substr(sizeof kSnapshotMagic));
  std::uint64_t persons = 0, households = 0, names = 0, slots = 0;
  if (!reader.Raw(&persons) || !reader.Raw(&households) || !reader.Raw(&names) || !reader.Raw(&slots))
    return corrupt();
  PersonIndex index;
  if (!reader.Array(persons, &index.persons_) || !reader.Text(names, &index.names_)) return corrupt();
  if (households > bytes.size()) return corrupt();
  index.households_.resize(households);
  for (IndexedHousehold& household : index.households_) {
    std::uint32_t size = 0;
    std::int64_t village = 0;
    std::uint8_t ex_poor = 0;
    if (!reader.Raw(&size) || !reader.Text(size, &household.number) || !reader.Raw(&village) ||
        !reader.Raw(&ex_poor))
      return corrupt();
    household.village_code = village;
    household.ex_poor = ex_poor != 0;
  }
  if (!reader.Array(slots, &index.slots_) || !reader.done()) return corrupt();
  // Every index must be in range: a lookup follows them without checks.
  if (slots != 0 && (slots & (slots - 1)) != 0) return corrupt();
  if (slots < persons) return corrupt();
  for (const IndexedPerson& person : index.persons_) {
    unsigned char deceased = 0;  // a bool must hold 0 or 1
    std::memcpy(&deceased, &person.deceased, 1);
    if (deceased > 1 || person.household >= households ||
        static_cast<std::uint64_t>(person.name_offset) + person.name_bytes > names)
      return corrupt();
  }
  std::uint64_t filled = 0;
  for (const Slot& slot : index.slots_) {
    if (slot.person >= static_cast<std::int64_t>(persons) || slot.person < -1) return corrupt();
    filled += slot.person >= 0;
  }
  if (slots > 0 && filled == slots) return corrupt();  // a full table would make Find loop
  index.mask_ = slots == 0 ? 0 : slots - 1;
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
  while (capacity * 2 < persons_.size() * 3) capacity <<= 1;  // load factor at most 2/3
  slots_.assign(capacity, Slot{0, -1, 0});
  mask_ = capacity - 1;
  for (std::size_t person_idx = 0; person_idx < persons_.size(); ++person_idx) {
    const std::uint64_t key = persons_[person_idx].id_key;
    if (key == 0) continue;
    std::size_t slot = Hash(key) & mask_;
    while (slots_[slot].person >= 0) slot = (slot + 1) & mask_;
    const auto idx = static_cast<std::int32_t>(person_idx);
    slots_[slot] = Slot{key, idx, NameHash(name(idx))};
  }
  household_by_number_.clear();
}

void PersonIndex::BuildBlocks(const NameNormalizer& normalizer) {
  if (blocks_built_) return;
  blocks_built_ = true;
  // Name keys on both cores (VariantKey is const), then the three blocks,
  // sorted two at a time.
  name_key_hashes_.resize(persons_.size());
  profiles_.resize(persons_.size());
  auto hash_names = [&](std::size_t begin, std::size_t end) {
    for (std::size_t person_idx = begin; person_idx < end; ++person_idx) {
      const std::string key = normalizer.VariantKey(name(static_cast<std::int32_t>(person_idx)));
      name_key_hashes_[person_idx] = HashText(key);
      const auto idx = static_cast<std::int32_t>(person_idx);
      const IndexedPerson& person = persons_[person_idx];
      profiles_[person_idx] = Profile{NameSignature(key), person.birth_days, county_of(idx),
                                      person.sex,         person.name_bytes, person.name_offset};
    }
  };
  {
    const std::size_t half = persons_.size() / 2;
    std::thread second([&] { hash_names(half, persons_.size()); });
    hash_names(0, half);
    second.join();
  }
  by_birth_county_.entries.reserve(persons_.size());
  by_name_county_.entries.reserve(persons_.size());
  by_name_year_.entries.reserve(persons_.size());
  name_key_counts_.reserve(persons_.size() / 2);
  for (std::size_t person_idx = 0; person_idx < persons_.size(); ++person_idx) {
    const auto idx = static_cast<std::int32_t>(person_idx);
    const std::uint64_t name_hash = name_key_hashes_[person_idx];
    ++name_key_counts_[name_hash];
    const auto county = static_cast<std::uint64_t>(county_of(idx));
    by_birth_county_.entries.emplace_back(
        Mix(static_cast<std::uint64_t>(persons_[person_idx].birth_days), county), idx);
    by_name_county_.entries.emplace_back(Mix(name_hash, county), idx);
    by_name_year_.entries.emplace_back(Mix(name_hash, static_cast<std::uint64_t>(birth_date(idx).year)), idx);
  }
  std::thread second([this] {
    by_birth_county_.Finish();
    by_name_year_.Finish();
  });
  by_name_county_.Finish();
  second.join();
}

void PersonIndex::Block::Finish() {
  std::sort(entries.begin(), entries.end());
  int bits = 1;
  while (bits < 30 && (std::size_t{1} << bits) < entries.size()) ++bits;
  shift = 64 - bits;
  directory.assign((std::size_t{1} << bits) + 1, static_cast<std::uint32_t>(entries.size()));
  for (std::size_t idx = entries.size(); idx-- > 0;)
    directory[entries[idx].first >> shift] = static_cast<std::uint32_t>(idx);
  // Empty buckets start where the next non-empty one does.
  for (std::size_t bucket = directory.size() - 1; bucket-- > 0;)
    directory[bucket] = std::min(directory[bucket], directory[bucket + 1]);
}

void PersonIndex::AddBlock(const Block& block, std::uint64_t key, std::size_t max_per_block,
                           std::vector<std::int32_t>* out) {
  if (block.entries.empty()) return;
  const std::size_t bucket = key >> block.shift;
  auto lower = block.entries.begin() + block.directory[bucket];
  const auto bucket_end = block.entries.begin() + block.directory[bucket + 1];
  while (lower != bucket_end && lower->first < key) ++lower;
  auto upper = lower;
  while (upper != block.entries.end() && upper->first == key) ++upper;
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
