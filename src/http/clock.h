// The server's clocks (ServerEnv::clock, RequestContext::Now).
//
// SystemClockSeconds is the real time. OffsetClockFromFile is FOR TESTS
// ONLY (`zhenxing serve --test-clock-file PATH`): now = real time + the
// whole number of seconds written in PATH, re-read on every call, so an
// end-to-end test moves the server's time (notice periods, 15-day limits,
// six months of follow-up visits) by rewriting one file. An absent or empty
// file means an offset of 0; anything but an optional sign and digits (and
// surrounding whitespace) also means 0 and is reported once on stderr.
//
// Thread-safety: the returned function may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace zx::http {

/// Unix seconds of the system clock.
std::int64_t SystemClockSeconds();

/// Parses the content of a test clock file: an optional sign and digits,
/// surrounded by whitespace. nullopt when malformed; 0 when blank.
std::optional<std::int64_t> ParseClockOffset(std::string_view text);

/// The test clock described above.
std::function<std::int64_t()> OffsetClockFromFile(std::string path);

}  // namespace zx::http
