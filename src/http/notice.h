// The public notice document of a village (公示, DOMAIN.md §5): a
// self-contained printable A4 HTML page (inline CSS, no scripts, no outside
// resources) and its PDF printed by headless Chromium.
//
// Privacy: a notice shows household number, the head's name, household
// size, monitoring type, risk types and the notice period — NEVER an ID
// number, phone, bank account or health detail. NoticeDocument has no field
// that could hold one, so RenderNoticeHtml cannot print one.
//
// Thread-safety: RenderNoticeHtml is pure; PrintPdfWithChromium runs at most
// one Chromium at a time per process (others wait) and may be called from
// any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"

namespace zx::http {

enum class NoticeKind { kIdentification, kElimination };

struct NoticeRow {
  std::string household_number;
  std::string head_name;
  int size = 0;
  std::string monitoring_type;           // label, e.g. 边缘易致贫户
  std::vector<std::string> risk_labels;  // e.g. 因病, 缺劳动力
  std::string elimination_kind;          // label (elimination notices only)
  Date notice_start;
  Date notice_end;
};

struct NoticeDocument {
  NoticeKind kind = NoticeKind::kIdentification;
  std::string village_name;
  std::string township_name;
  std::string county_name;
  std::string contact;  // township office and phone; a placeholder line when empty
  Date issued_on;       // date printed under the signature
  std::vector<NoticeRow> rows;
};

/// The name a notice uses for a village: the official committee name
/// shortened ("达英村民委员会" → "达英村", "上庄村村民委员会" → "上庄村",
/// "…牧民委员会" → "…牧委会", "…居民委员会" → "…社区").
std::string NoticeVillageName(std::string_view official);
/// The committee that signs and receives objections ("达英村民委员会";
/// "上庄村" → "上庄村民委员会").
std::string NoticeCommitteeName(std::string_view official);

/// "关于某某村监测对象识别的公示" / "…风险消除的公示".
std::string NoticeTitle(const NoticeDocument& doc);

/// The whole HTML page (UTF-8), every value HTML-escaped.
std::string RenderNoticeHtml(const NoticeDocument& doc);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

/// Prints `html` to PDF with `chromium` (headless, no sandbox, no network
/// services) in a private directory under `temp_dir`, killed after
/// `timeout_seconds`. Unavailable (→ 503) when the executable is missing,
/// Internal when it fails or times out. Returns the PDF bytes.
Result<std::string> PrintPdfWithChromium(const std::string& chromium, const std::string& html,
                                         const std::string& temp_dir, int timeout_seconds);

}  // namespace zx::http
