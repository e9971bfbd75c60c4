#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

namespace zx {

ProgressBar::ProgressBar(std::string label, std::int64_t total)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() {
  if (!finished_ && done_ > 0) Finish();
}

void ProgressBar::Set(std::int64_t done) {
  done_ = done;
  Draw(false);
}

void ProgressBar::Finish() {
  if (finished_) return;
  finished_ = true;
  Draw(true);
  if (enabled_) std::fputc('\n', stderr);
}

void ProgressBar::Draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  double fraction = static_cast<double>(done_) / static_cast<double>(total_);
  if (fraction > 1) fraction = 1;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '-');
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double eta = fraction > 0.001 ? elapsed / fraction - elapsed : 0;
  std::fprintf(stderr, "\r%s [%s] %5.1f%% %lld/%lld  用时 %.0f 秒  剩余约 %.0f 秒 ", label_.c_str(),
               bar.c_str(), fraction * 100, static_cast<long long>(done_), static_cast<long long>(total_),
               elapsed, eta);
  std::fflush(stderr);
}

}  // namespace zx
