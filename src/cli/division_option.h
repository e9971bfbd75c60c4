// The --division option shared by subcommands that read an existing
// database: resolve a division code against the database's own division
// table and turn it into the DivisionScope every Store call takes.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "domain/division.h"
#include "storage/store.h"

namespace zx::cli {

/// The division `code` as stored in the database `db` (the path, for the
/// message), or InvalidArgument naming both when it does not exist.
Result<Division> FindDivisionInStore(Store& store, DivisionCode code, const std::string& db);

}  // namespace zx::cli
