#include "http/notice.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

extern char** environ;

namespace zx::http {
namespace {

namespace fs = std::filesystem;

std::string ChineseDate(const Date& date) {
  if (date == Date{}) return "____年__月__日";
  return fmt::format("{}年{}月{}日", date.year, date.month, date.day);
}

constexpr const char* kStyle = R"css(
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif;
       font-size: 12pt; color: #000; margin: 0; line-height: 1.7; }
.sheet { max-width: 178mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 6mm; letter-spacing: 1pt; font-weight: bold; }
p { margin: 0 0 3mm; text-indent: 2em; text-align: justify; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0 5mm; font-size: 10.5pt; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 1.5mm 1.2mm; text-align: center; vertical-align: middle;
         word-break: break-all; }
th { font-weight: bold; background: #f2f2f2; }
td.left { text-align: left; }
td.number { font-size: 9.5pt; white-space: nowrap; word-break: normal; }
td.period { white-space: nowrap; word-break: normal; font-size: 10pt; }
tr { page-break-inside: avoid; }
.empty { text-align: center; padding: 6mm 0; }
.sign { margin-top: 10mm; display: flex; justify-content: flex-end; }
.sign div { text-align: center; min-width: 70mm; }
.sign .line { margin-top: 3mm; }
.footer { margin-top: 8mm; font-size: 9.5pt; color: #333; text-indent: 0; }
@media screen { body { background: #e9e9e9; } .sheet { background: #fff; padding: 16mm; margin: 8mm auto;
                box-shadow: 0 0 4px rgba(0,0,0,.2); } }
)css";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string NoticeVillageName(std::string_view official) {
  struct Suffix {
    std::string_view official;
    std::string_view short_form;
  };
  static constexpr Suffix kSuffixes[] = {
      {"村民委员会", "村"}, {"牧民委员会", "牧委会"}, {"居民委员会", "社区"}, {"村委会", "村"}};
  for (const Suffix& suffix : kSuffixes) {
    if (EndsWith(official, suffix.official)) {
      std::string_view stem = official.substr(0, official.size() - suffix.official.size());
      // "上庄村村民委员会" → "上庄村", not "上庄村村".
      if (suffix.short_form == "村" && EndsWith(stem, "村")) return std::string(stem);
      return std::string(stem) + std::string(suffix.short_form);
    }
  }
  return std::string(official);
}

std::string NoticeCommitteeName(std::string_view official) {
  if (EndsWith(official, "委员会") || EndsWith(official, "委会")) return std::string(official);
  if (EndsWith(official, "社区")) return std::string(official) + "居民委员会";
  return std::string(official) + (EndsWith(official, "村") ? "民委员会" : "村民委员会");
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string NoticeTitle(const NoticeDocument& doc) {
  return fmt::format("关于{}监测对象{}的公示", NoticeVillageName(doc.village_name),
                     doc.kind == NoticeKind::kIdentification ? "识别" : "风险消除");
}

std::string RenderNoticeHtml(const NoticeDocument& doc) {
  const bool identification = doc.kind == NoticeKind::kIdentification;
  const std::string title = NoticeTitle(doc);
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + HtmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<div class=\"sheet\">\n<h1>" + HtmlEscape(title) + "</h1>\n";
  const std::string place =
      HtmlEscape(doc.county_name + doc.township_name + NoticeVillageName(doc.village_name));
  const std::string committee = HtmlEscape(NoticeCommitteeName(doc.village_name));
  if (identification) {
    html +=
        "<p>根据防止返贫动态监测和帮扶工作有关规定，经农户申请或干部排查、部门筛查预警，"
        "经入户核实、县级信息比对和村民代表民主评议，" +
        place + "拟将以下 " + std::to_string(doc.rows.size()) +
        " 户确定为防止返贫监测对象，现予公示，接受群众监督。</p>\n";
  } else {
    html +=
        "<p>根据防止返贫动态监测和帮扶工作有关规定，以下监测户经帮扶，收入持续稳定高于监测线、"
        "“两不愁三保障”及饮水安全有保障（或因自然原因风险已消除），经入户核实和村民代表民主评议，" +
        place + "拟对以下 " + std::to_string(doc.rows.size()) +
        " 户标注风险消除，现予公示，接受群众监督。</p>\n";
  }
  html +=
      "<table>\n<colgroup><col style=\"width:6%\"><col style=\"width:22%\"><col style=\"width:10%\">"
      "<col style=\"width:7%\"><col style=\"width:14%\"><col style=\"width:19%\"><col style=\"width:22%\">"
      "</colgroup>\n<thead><tr><th>序号</th><th>户编号</th><th>户主姓名</th><th>家庭人口</th><th>监测类型</"
      "th>"
      "<th>" +
      std::string(identification ? "风险类型" : "风险类型 / 消除方式") +
      "</th><th>公示期</th></tr></thead>\n<tbody>\n";
  if (doc.rows.empty()) {
    html += "<tr><td colspan=\"7\" class=\"empty\">本村当前没有处于公示期的农户</td></tr>\n";
  }
  int ordinal = 0;
  for (const NoticeRow& row : doc.rows) {
    std::string risks;
    for (const std::string& label : row.risk_labels) risks += (risks.empty() ? "" : "、") + label;
    if (!identification && !row.elimination_kind.empty()) {
      risks += (risks.empty() ? "" : " / ") + row.elimination_kind;
    }
    html += fmt::format(
        "<tr><td>{}</td><td class=\"number\">{}</td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"left\">{}</td>"
        "<td class=\"period\">{}<br>至{}</td></tr>\n",
        ++ordinal, HtmlEscape(row.household_number), HtmlEscape(row.head_name), row.size,
        HtmlEscape(row.monitoring_type.empty() ? "待县级审定" : row.monitoring_type),
        HtmlEscape(risks.empty() ? "—" : risks), ChineseDate(row.notice_start), ChineseDate(row.notice_end));
  }
  html += "</tbody>\n</table>\n";
  html += "<p>公示期不少于 5 天。公示期内，如对上述农户" +
          std::string(identification ? "纳入监测对象" : "风险消除") + "有异议，请以书面、电话或当面方式向" +
          committee + "反映，也可向" +
          HtmlEscape(doc.contact.empty() ? doc.township_name + "人民政府（联系电话：____________）"
                                         : doc.contact) +
          "反映。反映情况应实事求是，我们将对反映人信息严格保密。</p>\n";
  html += "<div class=\"sign\"><div>" + committee +
          "（盖章）<div class=\"line\">驻村工作队（签字）：____________</div>"
          "<div class=\"line\">" +
          ChineseDate(doc.issued_on) + "</div></div></div>\n";
  html += "<p class=\"footer\">注：本公示不公开身份证号码、联系电话、银行账户及健康状况等个人信息。</p>\n";
  html += "</div>\n</body>\n</html>\n";
  return html;
}

Result<std::string> PrintPdfWithChromium(const std::string& chromium, const std::string& html,
                                         const std::string& temp_dir, int timeout_seconds) {
  const std::string executable = chromium.empty() ? "/usr/bin/chromium" : chromium;
  if (::access(executable.c_str(), X_OK) != 0) {
    return Unavailable(
        fmt::format("服务器上没有可用的 Chromium（{}），无法生成 PDF；请安装 chromium，"
                    "或在公示页面使用“打印”由浏览器打印",
                    executable));
  }
  // One Chromium at a time: each takes hundreds of MB.
  static std::mutex print_mutex;
  std::lock_guard<std::mutex> lock(print_mutex);

  std::error_code error;
  fs::create_directories(temp_dir, error);
  std::string pattern = (fs::path(temp_dir) / "notice-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return Internal("无法创建生成 PDF 用的临时目录");
  const fs::path dir = pattern;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  const fs::path in = dir / "notice.html";
  const fs::path out = dir / "notice.pdf";
  {
    std::ofstream file(in, std::ios::binary);
    file << html;
    if (!file) return Internal("无法写入公示 HTML 临时文件");
  }
  std::vector<std::string> args = {executable,
                                   "--no-sandbox",
                                   "--headless",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--no-first-run",
                                   "--no-pdf-header-footer",
                                   "--user-data-dir=" + (dir / "profile").string(),
                                   "--print-to-pdf=" + out.string(),
                                   "file://" + in.string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // The environment, with HOME pointed at the private directory.
  std::vector<std::string> env_strings;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string_view(*entry).starts_with("HOME=")) continue;
    env_strings.emplace_back(*entry);
  }
  env_strings.push_back("HOME=" + dir.string());
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string log = (dir / "chromium.log").string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: a timeout kills its helpers too
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, executable.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) return Unavailable(fmt::format("无法启动 Chromium（{}）", executable));

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int wait_status = 0;
  bool finished = false;
  while (true) {
    const pid_t done = ::waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) {
      finished = true;
      break;
    }
    if (done < 0) break;
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!finished) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &wait_status, 0);
    return Internal(fmt::format("Chromium 在 {} 秒内没有生成 PDF，已终止", timeout_seconds));
  }
  ::kill(-pid, SIGKILL);  // leftover helper processes of the group, if any
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0 || !fs::is_regular_file(out, error)) {
    std::ifstream log_in(log);
    std::ostringstream log_text;
    log_text << log_in.rdbuf();
    std::string tail = log_text.str();
    if (tail.size() > 400) tail = tail.substr(tail.size() - 400);
    return Internal("Chromium 生成 PDF 失败：" + tail);
  }
  std::ifstream pdf(out, std::ios::binary);
  std::ostringstream bytes;
  bytes << pdf.rdbuf();
  return std::move(bytes).str();
}

}  // namespace zx::http
