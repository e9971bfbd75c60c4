// A progress bar on stderr for long CLI work (demo, import, export).
// Draws only when stderr is a terminal; otherwise silent, so logs and CI
// output stay clean. Redraws at most ~10 times a second.
//
// Thread-safety: one thread updates a ProgressBar.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace zx {

class ProgressBar {
 public:
  /// `label` is shown before the bar (Chinese, e.g. "生成农户").
  ProgressBar(std::string label, std::int64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Set(std::int64_t done);
  void Add(std::int64_t delta) { Set(done_ + delta); }
  /// Draws the final state and a newline.
  void Finish();

  /// Forces drawing on or off (tests, --progress flags).
  void SetEnabledForTesting(bool enabled) { enabled_ = enabled; }

 private:
  void Draw(bool force);

  std::string label_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace zx
