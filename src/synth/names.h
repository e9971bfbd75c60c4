// Synthetic personal names by ethnicity, sex and birth cohort (DOMAIN.md §10).
//
// Tibetan names mostly have no surname (才让, 卓玛, sometimes two-part like
// 才让东智); Hui and Salar families carry surnames such as 马, 韩, 冶, 撒;
// Tu and Han families common Han surnames plus local ones (祁, 星, 鲁);
// some Mongol names use the middle dot U+00B7 (额尔敦·巴特尔). Names are
// never real data: they are drawn from short lists of common names.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>

#include "domain/registry.h"
#include "synth/rng.h"

namespace zx::synth {

/// Whether people of this ethnicity conventionally carry a family surname
/// that the household members share.
bool UsesFamilySurname(Ethnicity ethnicity);

/// A surname typical of `ethnicity` (empty for Tibetan and Mongol, which
/// mostly have none).
std::string_view PickSurname(Ethnicity ethnicity, Rng& rng);

/// A full name. `surname` is the family surname to use (the head's, for
/// members of Han/Hui/Salar/Tu households); empty means "draw one if the
/// ethnicity uses surnames".
std::string MakeName(Ethnicity ethnicity, Sex sex, int birth_year, std::string_view surname, Rng& rng);

}  // namespace zx::synth
