// Serialised ColumnarData ("column snapshot"): the columns of one year, as
// built from the registry, written as one byte string so the next screening
// (or the web server's start) loads them at memory speed instead of
// re-reading 2.5 million person rows. The storage layer keeps the bytes with
// the registry generation they were built from (Store::PutSnapshot), so a
// snapshot is never used after the registry changed.
//
// Format (this machine's byte order; a snapshot is a cache, never exchanged):
//   "ZXCOLS02", catalog signature (u64), year (i32), reference date (i64 days),
//   household count (u64), then each household column as width (u8), byte
//   length (u64), bytes; household numbers as total length (u64) + bytes
//   with u32 offsets; person_begin; person count, person columns, household.
// Deserialise checks every length and the invariants of columns.h, and
// refuses a snapshot of another catalog (DataLoss), so the caller rebuilds.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "rules/columns.h"

namespace zx::rules {

/// The snapshot key of a year's columns (changes with the format or catalog).
std::string ColumnSnapshotKey(int year);

std::string SerializeColumns(const ColumnarData& data);

/// DataLoss with a reason when `bytes` is not a valid snapshot of the
/// current field catalog.
Result<ColumnarData> DeserializeColumns(std::string_view bytes);

}  // namespace zx::rules
