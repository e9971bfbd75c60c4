// A compact in-memory index of the registry persons in scope, built from one
// LinkStore::ScanLinkPersons query: an open-addressing hash table from the
// 17-digit body of the resident ID to the person (the exact-ID path is a hash
// join; each 16-byte slot also carries the key and a hash of the person's
// name, so a lookup that confirms the name touches one cache line), plus, built on demand, the blocking keys
// of probabilistic linking (birth date + county; name variant key + county; name variant key + birth year)
// and the frequency of every name key (term-frequency adjustment).
//
// Memory: about 60 bytes per person plus names and household numbers.
// Thread-safety: immutable after Finish()/BuildBlocks(); concurrent readers
// are safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "storage/link_store.h"
#include "storage/store.h"

namespace zx::matching {

class NameNormalizer;

/// The 17-digit body of an 18-character ID as an integer, or 0 when the
/// text is not 17 digits followed by a correct check character.
std::uint64_t IdKeyOfValid18(std::string_view id18);
/// The 18-character ID of a key (check character recomputed).
std::string IdOfKey(std::uint64_t key);
/// The same, written to `out` (18 characters, no terminator).
void WriteIdOfKey(std::uint64_t key, char* out);
/// A 32-bit hash of a name's bytes (never 0). Equal names have equal
/// hashes; a row whose name hash equals its ID holder's is taken as
/// carrying the holder's name (a different name with the same hash — odds
/// of 1 in 4 billion per row — would skip the name check).
std::uint32_t NameHash(std::string_view name);

struct IndexedPerson {
  std::uint64_t id_key = 0;
  std::uint32_t name_offset = 0;
  std::uint32_t household = 0;
  std::int32_t birth_days = 0;
  std::uint16_t name_bytes = 0;
  std::uint8_t sex = 1;
  bool deceased = false;
};

struct IndexedHousehold {
  std::string number;
  DivisionCode village_code = 0;
  bool ex_poor = false;
};

class PersonIndex {
 public:
  /// One slot of the ID hash table (person -1: empty).
  struct Slot {
    std::uint64_t id_key;
    std::int32_t person;
    std::uint32_t name_hash;
  };

  /// Reads every person in scope.
  static Result<PersonIndex> Load(LinkStore& store, const DivisionScope& scope);
  /// Load through a snapshot keyed on the registry generation
  /// (Store::GetSnapshot/PutSnapshot, key kSnapshotKey): for the whole
  /// registry the index is read back at memory speed when the registry has
  /// not changed since it was saved; otherwise (and for narrower scopes,
  /// which snapshots do not serve) it is built by Load and, for the whole
  /// registry, saved. `from_snapshot` (optional) tells which happened.
  static Result<PersonIndex> LoadCached(Store& registry, LinkStore& store, const DivisionScope& scope,
                                        bool* from_snapshot = nullptr);
  static constexpr const char* kSnapshotKey = "matching.person_index.v2";

  /// The finished index as bytes (a snapshot) and back. Deserialize checks
  /// sizes and indexes; bytes it cannot trust are DataLoss.
  std::string Serialize() const;
  static Result<PersonIndex> Deserialize(std::string_view bytes);

  /// Adds one person (Load and tests); call Finish() afterwards.
  void Add(const LinkPersonView& person);
  /// Builds the ID hash table.
  void Finish();

  /// The slot of the person with this ID key, or nullptr.
  const Slot* Lookup(std::uint64_t id_key) const {
    if (slots_.empty() || id_key == 0) return nullptr;
    std::size_t slot = Hash(id_key) & mask_;
    for (;;) {
      const Slot& entry = slots_[slot];
      if (entry.person < 0) return nullptr;
      if (entry.id_key == id_key) return &entry;
      slot = (slot + 1) & mask_;
    }
  }
  /// Index of the person with this ID key, or -1.
  std::int32_t Find(std::uint64_t id_key) const {
    const Slot* entry = Lookup(id_key);
    return entry == nullptr ? -1 : entry->person;
  }

  /// Hints the cache about a coming Find(id_key).
  void Prefetch(std::uint64_t id_key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Hash(id_key) & mask_]);
  }

  std::size_t size() const { return persons_.size(); }
  const IndexedPerson& person(std::int32_t idx) const { return persons_[idx]; }
  std::string_view name(std::int32_t idx) const {
    return std::string_view(names_).substr(persons_[idx].name_offset, persons_[idx].name_bytes);
  }
  std::size_t household_count() const { return households_.size(); }
  const IndexedHousehold& household(std::uint32_t idx) const { return households_[idx]; }
  const IndexedHousehold& household_of(std::int32_t idx) const {
    return households_[persons_[idx].household];
  }
  int county_of(std::int32_t idx) const { return static_cast<int>(household_of(idx).village_code / 1000000); }
  Date birth_date(std::int32_t idx) const { return Date::FromDays(persons_[idx].birth_days); }

  /// Builds the blocking keys and name frequencies (idempotent; uses two
  /// threads).
  void BuildBlocks(const NameNormalizer& normalizer);
  bool blocks_built() const { return blocks_built_; }
  /// Candidates sharing a block with the given row values (deduplicated,
  /// at most `max_per_block` from each block; larger blocks are skipped).
  void Candidates(std::uint64_t name_key_hash, std::int32_t birth_days, int county, int birth_year,
                  std::size_t max_per_block, std::vector<std::int32_t>* out) const;
  /// Persons whose name has this variant key hash.
  std::int64_t NameKeyCount(std::uint64_t name_key_hash) const;
  std::uint64_t name_key_hash(std::int32_t idx) const { return name_key_hashes_[idx]; }
  /// What probabilistic linking compares, in one place (one cache line per
  /// candidate instead of the person, the household and the name).
  struct Profile {
    std::uint64_t name_signature;  // NameSignature of the variant key
    std::int32_t birth_days;
    std::int32_t county;  // county_of
    std::uint8_t sex;
    std::uint16_t name_bytes;
    std::uint32_t name_offset;
  };
  std::string_view name(const Profile& profile) const {
    return std::string_view(names_).substr(profile.name_offset, profile.name_bytes);
  }
  void PrefetchName(const Profile& profile) const { __builtin_prefetch(names_.data() + profile.name_offset); }
  /// After BuildBlocks.
  const Profile& profile(std::int32_t idx) const { return profiles_[idx]; }
  void PrefetchProfile(std::int32_t idx) const { __builtin_prefetch(&profiles_[idx]); }

  static std::uint64_t HashText(std::string_view text);

 private:
  static std::size_t Hash(std::uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return static_cast<std::size_t>(key);
  }
  // A block: (key, person) sorted by key, and a directory from the key's top
  // bits to the first entry with those bits (keys are uniform hashes, so a
  // lookup reads one or two cache lines instead of a binary search's ~22).
  struct Block {
    std::vector<std::pair<std::uint64_t, std::int32_t>> entries;
    std::vector<std::uint32_t> directory;
    int shift = 64;
    void Finish();
  };
  static void AddBlock(const Block& block, std::uint64_t key, std::size_t max_per_block,
                       std::vector<std::int32_t>* out);

  std::vector<IndexedPerson> persons_;
  std::vector<IndexedHousehold> households_;
  std::unordered_map<std::string, std::uint32_t> household_by_number_;
  std::string names_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;

  bool blocks_built_ = false;
  std::vector<std::uint64_t> name_key_hashes_;
  std::vector<Profile> profiles_;
  Block by_birth_county_;
  Block by_name_county_;
  Block by_name_year_;
  std::unordered_map<std::uint64_t, std::int64_t> name_key_counts_;
};

}  // namespace zx::matching
