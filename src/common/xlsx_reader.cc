// XlsxReader: minizip for the container, expat for the XML parts.
//
// Loading order: _rels/.rels → workbook part (sheet list, date1904) → its
// rels (sheet, shared strings and styles parts) → styles (which cell formats
// are dates) → shared strings (kept as one string pool + offsets) → the
// chosen sheet, which stays open and is parsed chunk by chunk as Next() asks
// for rows. Only the rows of the current chunk are ever queued.
//
// Limits guard against zip bombs and hostile files: every part's
// uncompressed size is capped (declared size checked up front, actual bytes
// counted while inflating), the number of shared strings is capped, and XML
// with a DTD is refused (no entity expansion attacks).
#include <expat.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unzip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <utility>

#include "common/date.h"
#include "common/text.h"
#include "common/xlsx.h"
#include "common/xlsx_internal.h"

namespace zx {
namespace {

constexpr std::uint64_t kMaxSheetBytes = std::uint64_t{2} << 30;          // 2 GiB of sheet XML
constexpr std::uint64_t kMaxSharedStringsBytes = std::uint64_t{1} << 30;  // 1 GiB of sharedStrings.xml
constexpr std::uint64_t kMaxSmallPartBytes = std::uint64_t{64} << 20;     // workbook, rels, styles
constexpr size_t kMaxSharedStrings = 16'000'000;
constexpr int kReadChunkBytes = 64 << 10;
// Excel holds at most 32,767 characters in a cell; anything far beyond that
// is a hostile file, not data. Rows are capped so one <row> cannot take
// gigabytes.
constexpr size_t kMaxCellBytes = 1 << 20;
constexpr size_t kMaxRowBytes = 64 << 20;
constexpr int kMaxColumns = 16384;
constexpr std::int64_t kMaxRows = 1048576;
constexpr double kMaxDateSerial = 2958466.0;  // 10000-01-01 in the 1900 system

std::string_view LocalName(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon != nullptr ? std::string_view(colon + 1) : std::string_view(name);
}

// Value of the attribute whose local name is `local` (prefix ignored).
const char* Attr(const char** attrs, std::string_view local) {
  for (size_t attr_idx = 0; attrs[attr_idx] != nullptr; attr_idx += 2) {
    if (LocalName(attrs[attr_idx]) == local) return attrs[attr_idx + 1];
  }
  return nullptr;
}

bool ParseInt64(std::string_view text, std::int64_t* value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool IsTrue(const char* value) {
  return value != nullptr && (std::strcmp(value, "1") == 0 || std::strcmp(value, "true") == 0);
}

// ------------------------------------------------------------ zip access

// An in-memory zip for unzOpen2_64.
struct MemoryStream {
  std::string data;
  std::uint64_t offset = 0;
  bool short_read = false;  // a read ran past the end: the zip is truncated
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const void* /*filename*/, int /*mode*/) { return opaque; }

uLong ZCALLBACK MemRead(voidpf /*opaque*/, voidpf stream, void* buf, uLong size) {
  auto* mem = static_cast<MemoryStream*>(stream);
  const std::uint64_t available = mem->offset < mem->data.size() ? mem->data.size() - mem->offset : 0;
  const std::uint64_t count = std::min<std::uint64_t>(size, available);
  if (count < size) mem->short_read = true;
  if (count == 0) return 0;
  std::memcpy(buf, mem->data.data() + mem->offset, count);
  mem->offset += count;
  return static_cast<uLong>(count);
}

uLong ZCALLBACK MemWrite(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK MemTell(voidpf /*opaque*/, voidpf stream) {
  return static_cast<MemoryStream*>(stream)->offset;
}

long ZCALLBACK MemSeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset,
                       int origin) {  // NOLINT(runtime/int)
  auto* mem = static_cast<MemoryStream*>(stream);
  std::uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
      base = 0;
      break;
    case ZLIB_FILEFUNC_SEEK_CUR:
      base = mem->offset;
      break;
    case ZLIB_FILEFUNC_SEEK_END:
      base = mem->data.size();
      break;
    default:
      return -1;
  }
  if (offset > mem->data.size() || base > mem->data.size() - offset) return -1;
  mem->offset = base + offset;
  return 0;
}

int ZCALLBACK MemClose(voidpf, voidpf) { return 0; }
// minizip treats a short read as end of data unless the error hook says
// otherwise; a short read inside a zip structure means truncation.
int ZCALLBACK MemError(voidpf, voidpf stream) {
  return static_cast<MemoryStream*>(stream)->short_read ? 1 : 0;
}

class ZipArchive {
 public:
  ~ZipArchive() {
    if (zip_ != nullptr) {
      if (entry_open_) unzCloseCurrentFile(zip_);
      unzClose(zip_);
    }
  }
  ZipArchive() = default;
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  static Result<std::unique_ptr<ZipArchive>> OpenFile(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      return Unavailable(errno == ENOENT ? fmt::format("文件不存在：{}", path)
                                         : fmt::format("无法读取文件：{}（系统错误 {}）", path, errno));
    }
    if (S_ISDIR(info.st_mode)) return Unavailable(fmt::format("这是一个目录而不是文件：{}", path));
    char magic[8] = {};
    size_t magic_size = 0;
    if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
      magic_size = std::fread(magic, 1, sizeof magic, file);
      std::fclose(file);
    } else {
      return Unavailable(fmt::format("没有读取文件的权限：{}", path));
    }
    RETURN_IF_ERROR(CheckMagic(std::string_view(magic, magic_size)));
    auto archive = std::make_unique<ZipArchive>();
    archive->zip_ = unzOpen64(path.c_str());
    if (archive->zip_ == nullptr) return NotAZip();
    return archive;
  }

  static Result<std::unique_ptr<ZipArchive>> OpenMemory(std::string_view data) {
    RETURN_IF_ERROR(CheckMagic(data.substr(0, 8)));
    auto archive = std::make_unique<ZipArchive>();
    archive->memory_ = std::make_unique<MemoryStream>();
    archive->memory_->data.assign(data);
    zlib_filefunc64_def functions{};
    functions.zopen64_file = MemOpen;
    functions.zread_file = MemRead;
    functions.zwrite_file = MemWrite;
    functions.ztell64_file = MemTell;
    functions.zseek64_file = MemSeek;
    functions.zclose_file = MemClose;
    functions.zerror_file = MemError;
    functions.opaque = archive->memory_.get();
    archive->zip_ = unzOpen2_64("memory.xlsx", &functions);
    if (archive->zip_ == nullptr) return NotAZip();
    return archive;
  }

  bool Has(const std::string& name) { return unzLocateFile(zip_, name.c_str(), 2) == UNZ_OK; }

  // Opens entry `name` for reading (closing any previous one).
  Status OpenEntry(const std::string& name, std::uint64_t limit) {
    CloseEntry();
    if (unzLocateFile(zip_, name.c_str(), 2) != UNZ_OK) {
      return InvalidArgument(fmt::format("工作簿缺少部件 {}，文件可能已损坏", name));
    }
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return DataLoss(fmt::format("工作簿部件 {} 已损坏", name));
    }
    if (info.uncompressed_size > limit) return TooLarge(name, limit);
    if (unzOpenCurrentFile(zip_) != UNZ_OK) {
      return DataLoss(fmt::format("无法解压工作簿部件 {}（文件已损坏或已加密）", name));
    }
    entry_open_ = true;
    entry_name_ = name;
    entry_limit_ = limit;
    entry_bytes_ = 0;
    return Status::Ok();
  }

  // Reads up to `size` bytes of the open entry; 0 at its end.
  Result<size_t> Read(char* buf, int size) {
    const int got = unzReadCurrentFile(zip_, buf, static_cast<unsigned>(size));
    if (got < 0) {
      return DataLoss(fmt::format("解压工作簿部件 {} 时出错，文件已损坏（错误码 {}）", entry_name_, got));
    }
    entry_bytes_ += static_cast<std::uint64_t>(got);
    if (entry_bytes_ > entry_limit_) return TooLarge(entry_name_, entry_limit_);
    if (got == 0) {
      const int rc = unzCloseCurrentFile(zip_);
      entry_open_ = false;
      if (rc == UNZ_CRCERROR) return DataLoss(fmt::format("工作簿部件 {} 校验失败，文件已损坏", entry_name_));
    }
    return static_cast<size_t>(got);
  }

  void CloseEntry() {
    if (entry_open_) unzCloseCurrentFile(zip_);
    entry_open_ = false;
  }

 private:
  static Status CheckMagic(std::string_view magic) {
    if (magic.size() >= 8 && std::memcmp(magic.data(), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
      return InvalidArgument(
          "这是旧版 .xls 文件或已加密的工作簿，请在 Excel 中另存为 .xlsx（不加密）后再导入");
    }
    if (magic.size() < 4 || std::memcmp(magic.data(), "PK", 2) != 0) return NotAZip();
    return Status::Ok();
  }
  static Status NotAZip() {
    return InvalidArgument("文件不是有效的 .xlsx 工作簿（无法按 ZIP 格式打开，可能已损坏或被截断）");
  }
  static Status TooLarge(const std::string& name, std::uint64_t limit) {
    return ResourceExhausted(
        fmt::format("工作簿部件 {} 解压后超过 {} MiB 的上限，拒绝读取", name, limit >> 20));
  }

  unzFile zip_ = nullptr;
  std::unique_ptr<MemoryStream> memory_;
  bool entry_open_ = false;
  std::string entry_name_;
  std::uint64_t entry_limit_ = 0;
  std::uint64_t entry_bytes_ = 0;
};

// ------------------------------------------------------------ XML plumbing

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(const char* text, int length) = 0;

  void Fail(Status status) {
    if (error_.ok()) error_ = std::move(status);
    XML_StopParser(parser_, XML_FALSE);
  }
  const Status& error() const { return error_; }
  void set_parser(XML_Parser parser) { parser_ = parser; }

 private:
  XML_Parser parser_ = nullptr;
  Status error_;
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  static_cast<XmlHandler*>(data)->Start(LocalName(name), attrs);
}
void XMLCALL OnEnd(void* data, const XML_Char* name) { static_cast<XmlHandler*>(data)->End(LocalName(name)); }
void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  static_cast<XmlHandler*>(data)->Text(text, length);
}
void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<XmlHandler*>(data)->Fail(
      InvalidArgument("工作簿的 XML 含有 DTD 声明，.xlsx 中不允许，拒绝读取"));
}

// An expat parser bound to a handler; feeds a zip entry chunk by chunk.
class XmlStream {
 public:
  XmlStream(std::string part, XmlHandler* handler) : part_(std::move(part)), handler_(handler) {
    parser_ = XML_ParserCreate(nullptr);
    if (parser_ == nullptr) return;
    XML_SetUserData(parser_, handler);
    XML_SetElementHandler(parser_, OnStart, OnEnd);
    XML_SetCharacterDataHandler(parser_, OnText);
    XML_SetStartDoctypeDeclHandler(parser_, OnDoctype);
    handler->set_parser(parser_);
  }
  ~XmlStream() {
    if (parser_ != nullptr) XML_ParserFree(parser_);
  }
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses one more chunk; sets *done at the end of the entry.
  Status Feed(ZipArchive& zip, bool* done) {
    if (parser_ == nullptr) return Internal("无法创建 XML 解析器（内存不足）");
    void* buffer = XML_GetBuffer(parser_, kReadChunkBytes);
    if (buffer == nullptr) return ResourceExhausted("读取工作簿时内存不足");
    ASSIGN_OR_RETURN(const size_t got, zip.Read(static_cast<char*>(buffer), kReadChunkBytes));
    *done = got == 0;
    if (XML_ParseBuffer(parser_, static_cast<int>(got), *done ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
      if (!handler_->error().ok()) return handler_->error();
      return InvalidArgument(
          fmt::format("工作簿部件 {} 的 XML 格式错误（第 {} 行第 {} 列：{}），文件可能已损坏", part_,
                      XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_),
                      XML_ErrorString(XML_GetErrorCode(parser_))));
    }
    return Status::Ok();
  }

 private:
  std::string part_;
  XmlHandler* handler_;
  XML_Parser parser_ = nullptr;
};

Status ParsePart(ZipArchive& zip, const std::string& part, std::uint64_t limit, XmlHandler* handler) {
  RETURN_IF_ERROR(zip.OpenEntry(part, limit));
  XmlStream stream(part, handler);
  for (bool done = false; !done;) RETURN_IF_ERROR(stream.Feed(zip, &done));
  return Status::Ok();
}

// ------------------------------------------------------------ parts

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

class RelsHandler final : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    const char* mode = Attr(attrs, "TargetMode");
    if (id == nullptr || target == nullptr) return;
    if (mode != nullptr && std::strcmp(mode, "External") == 0) return;
    rels.push_back({id, type != nullptr ? type : "", target});
  }
  void End(std::string_view) override {}
  void Text(const char*, int) override {}
  std::vector<Relationship> rels;
};

struct SheetEntry {
  std::string name;
  std::string rel_id;
};

class WorkbookHandler final : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name == "sheet") {
      const char* sheet_name = Attr(attrs, "name");
      const char* rel_id = Attr(attrs, "id");
      sheets.push_back({sheet_name != nullptr ? sheet_name : "", rel_id != nullptr ? rel_id : ""});
    } else if (name == "workbookPr") {
      date1904 = IsTrue(Attr(attrs, "date1904"));
    }
  }
  void End(std::string_view) override {}
  void Text(const char*, int) override {}
  std::vector<SheetEntry> sheets;
  bool date1904 = false;
};

class StylesHandler final : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      std::int64_t id_value = 0;
      if (id != nullptr && code != nullptr && ParseInt64(id, &id_value))
        custom[id_value] = ClassifyFormatCode(code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = Attr(attrs, "numFmtId");
      std::int64_t id_value = 0;
      xf_format_ids.push_back(id != nullptr && ParseInt64(id, &id_value) ? id_value : 0);
      if (xf_format_ids.size() > 1'000'000)
        Fail(ResourceExhausted("样式表中的单元格格式超过 100 万个，拒绝读取"));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  void Text(const char*, int) override {}

  std::map<std::int64_t, NumberFormatKind> custom;
  std::vector<std::int64_t> xf_format_ids;

 private:
  bool in_cell_xfs_ = false;
};

// Shared strings as one pool: string k is pool[offsets[k], offsets[k+1]).
class SharedStringsHandler final : public XmlHandler {
 public:
  void Start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
      current_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_si_ && phonetic_depth_ == 0) {
      in_t_ = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "si") {
      in_si_ = false;
      if (offsets.size() > kMaxSharedStrings) {
        Fail(ResourceExhausted(fmt::format("共享字符串超过 {} 个，拒绝读取", kMaxSharedStrings)));
        return;
      }
      if (current_.find("_x") != std::string::npos) {
        pool.append(DecodeOoxmlEscapes(current_));
      } else {
        pool.append(current_);
      }
      offsets.push_back(pool.size());
    }
  }
  void Text(const char* text, int length) override {
    if (!in_t_) return;
    if (current_.size() + static_cast<size_t>(length) > kMaxCellBytes) {
      Fail(ResourceExhausted(fmt::format(
          "第 {} 个共享字符串超过 Excel 单元格 32767 个字符的上限，文件可能已损坏", offsets.size())));
      return;
    }
    current_.append(text, static_cast<size_t>(length));
  }

  std::string pool;
  std::vector<std::uint64_t> offsets{0};

 private:
  std::string current_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_depth_ = 0;
};

// Resolves a relationship target against the folder of the source part.
std::string ResolveTarget(const std::string& base_dir, const std::string& target) {
  std::vector<std::string> segments;
  std::string path = target.starts_with('/') ? target.substr(1) : base_dir + target;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& segment : segments) {
    if (!out.empty()) out.push_back('/');
    out += segment;
  }
  return out;
}

bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

// ------------------------------------------------------------ the sheet

enum class CellType { kNumber, kShared, kInline, kBool, kError, kFormulaString, kIsoDate };

struct Row {
  std::int64_t number = 0;
  std::vector<std::string> cells;
};

class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const std::string& sheet_name, const SharedStringsHandler* strings,
               std::vector<NumberFormatKind> xf_kinds, bool date1904)
      : sheet_name_(sheet_name), strings_(strings), xf_kinds_(std::move(xf_kinds)), date1904_(date1904) {}

  std::deque<Row>& rows() { return rows_; }

  void Start(std::string_view name, const char** attrs) override {
    if (name == "c") {
      StartCell(attrs);
    } else if (name == "v") {
      in_v_ = in_cell_;
    } else if (name == "row") {
      StartRow(attrs);
    } else if (name == "is") {
      in_is_ = in_cell_;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t") {
      in_t_ = in_is_ && phonetic_depth_ == 0;
    }
  }

  void End(std::string_view name) override {
    if (name == "c") {
      EndCell();
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "row") {
      EndRow();
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "t") {
      in_t_ = false;
    }
  }

  void Text(const char* text, int length) override {
    std::string* target = in_v_ ? &value_ : in_t_ ? &inline_ : nullptr;
    if (target == nullptr) return;
    if (target->size() + static_cast<size_t>(length) > kMaxCellBytes) {
      Fail(ResourceExhausted(
          fmt::format("{} {} 列：单元格内容超过 Excel 单元格 32767 个字符的上限，文件可能已损坏", Where(),
                      ColumnLetter(column_))));
      return;
    }
    target->append(text, static_cast<size_t>(length));
  }

 private:
  std::string Where() const { return fmt::format("工作表“{}”第 {} 行", sheet_name_, row_number_); }

  void StartRow(const char** attrs) {
    in_row_ = true;
    next_column_ = 0;
    row_bytes_ = 0;
    row_.cells.clear();
    const char* r = Attr(attrs, "r");
    std::int64_t number = row_number_ + 1;
    if (r != nullptr && (!ParseInt64(r, &number) || number < 1 || number > kMaxRows)) {
      Fail(InvalidArgument(fmt::format("工作表“{}”中的行号 {} 无效，文件可能已损坏", sheet_name_, r)));
      return;
    }
    if (r == nullptr && number > kMaxRows) {
      Fail(InvalidArgument(fmt::format("工作表“{}”超过 {} 行的上限", sheet_name_, kMaxRows)));
      return;
    }
    row_number_ = number;
  }

  void EndRow() {
    if (!in_row_) return;
    in_row_ = false;
    while (!row_.cells.empty() && row_.cells.back().empty()) row_.cells.pop_back();
    if (row_.cells.empty()) return;
    row_.number = row_number_;
    rows_.push_back(std::move(row_));
    row_ = Row();
  }

  void StartCell(const char** attrs) {
    if (!in_row_) return;  // a cell outside <row> is malformed; ignore it
    in_cell_ = true;
    value_.clear();
    inline_.clear();
    type_ = CellType::kNumber;
    style_ = 0;
    column_ = next_column_;
    for (size_t attr_idx = 0; attrs[attr_idx] != nullptr; attr_idx += 2) {
      const std::string_view attr = LocalName(attrs[attr_idx]);
      const char* value = attrs[attr_idx + 1];
      if (attr == "r") {
        std::int64_t row = 0;
        if (!ParseCellReference(value, &column_, &row)) {
          Fail(InvalidArgument(fmt::format("{}：单元格引用“{}”无效，文件可能已损坏", Where(), value)));
          return;
        }
      } else if (attr == "t") {
        const std::string_view type(value);
        if (type == "s") {
          type_ = CellType::kShared;
        } else if (type == "inlineStr") {
          type_ = CellType::kInline;
        } else if (type == "b") {
          type_ = CellType::kBool;
        } else if (type == "e") {
          type_ = CellType::kError;
        } else if (type == "str") {
          type_ = CellType::kFormulaString;
        } else if (type == "d") {
          type_ = CellType::kIsoDate;
        }
      } else if (attr == "s") {
        std::int64_t style = 0;
        if (ParseInt64(value, &style) && style >= 0) style_ = style;
      }
    }
    if (column_ >= kMaxColumns) {
      Fail(InvalidArgument(fmt::format("{}：列数超过 Excel 上限 {}", Where(), kMaxColumns)));
    }
  }

  void EndCell() {
    if (!in_cell_) return;
    in_cell_ = false;
    in_v_ = in_is_ = in_t_ = false;
    next_column_ = column_ + 1;
    std::string text;
    switch (type_) {
      case CellType::kShared: {
        if (value_.empty()) break;
        std::int64_t index = -1;
        const size_t count = strings_->offsets.size() - 1;
        if (!ParseInt64(value_, &index) || index < 0 || static_cast<std::uint64_t>(index) >= count) {
          Fail(InvalidArgument(fmt::format("{} {} 列：共享字符串编号 {} 超出范围（共 {} 个），文件可能已损坏",
                                           Where(), ColumnLetter(column_), value_, count)));
          return;
        }
        const std::uint64_t begin = strings_->offsets[static_cast<size_t>(index)];
        const std::uint64_t end = strings_->offsets[static_cast<size_t>(index) + 1];
        text.assign(strings_->pool, begin, end - begin);
        break;
      }
      case CellType::kInline:
        text = inline_.find("_x") != std::string::npos ? DecodeOoxmlEscapes(inline_) : std::move(inline_);
        break;
      case CellType::kBool:
        text = value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_;
        break;
      case CellType::kError:
      case CellType::kFormulaString:
        text = value_.find("_x") != std::string::npos ? DecodeOoxmlEscapes(value_) : value_;
        break;
      case CellType::kIsoDate:
        text = value_;
        if (text.size() > 10 && text[10] == 'T' && text.compare(11, 8, "00:00:00") == 0) text.resize(10);
        break;
      case CellType::kNumber:
        text = RenderNumber();
        break;
    }
    if (text.empty()) return;
    if (row_.cells.size() <= static_cast<size_t>(column_))
      row_.cells.resize(static_cast<size_t>(column_) + 1);
    row_bytes_ += text.size();
    if (row_bytes_ > kMaxRowBytes) {
      Fail(
          ResourceExhausted(fmt::format("{}：一行的内容超过 {} MiB，拒绝读取", Where(), kMaxRowBytes >> 20)));
      return;
    }
    row_.cells[static_cast<size_t>(column_)] = std::move(text);
  }

  std::string RenderNumber() const {
    if (value_.empty()) return {};
    double number = 0;
    const char* begin = value_.data();
    const char* end = begin + value_.size();
    const auto parsed = std::from_chars(begin, end, number);
    if (parsed.ec != std::errc() || parsed.ptr != end || !std::isfinite(number)) return value_;
    const NumberFormatKind kind = static_cast<size_t>(style_) < xf_kinds_.size()
                                      ? xf_kinds_[static_cast<size_t>(style_)]
                                      : NumberFormatKind::kNumber;
    if (kind != NumberFormatKind::kNumber) {
      std::string date;
      if (ExcelSerialToText(number, date1904_, kind, &date)) return date;
    }
    return FormatExcelNumber(number);
  }

  std::string sheet_name_;
  const SharedStringsHandler* strings_;
  std::vector<NumberFormatKind> xf_kinds_;
  bool date1904_;

  std::deque<Row> rows_;
  Row row_;
  std::int64_t row_number_ = 0;
  bool in_row_ = false;
  int next_column_ = 0;
  size_t row_bytes_ = 0;

  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_is_ = false;
  bool in_t_ = false;
  int phonetic_depth_ = 0;
  int column_ = 0;
  std::int64_t style_ = 0;
  CellType type_ = CellType::kNumber;
  std::string value_;
  std::string inline_;
};

class XlsxReaderImpl final : public XlsxReader {
 public:
  explicit XlsxReaderImpl(std::unique_ptr<ZipArchive> zip) : zip_(std::move(zip)) {}

  Status Init(const std::string& wanted_sheet) {
    // The workbook part, from the package relationships.
    std::string workbook_part = "xl/workbook.xml";
    if (zip_->Has("_rels/.rels")) {
      RelsHandler package_rels;
      RETURN_IF_ERROR(ParsePart(*zip_, "_rels/.rels", kMaxSmallPartBytes, &package_rels));
      for (const Relationship& rel : package_rels.rels) {
        if (EndsWith(rel.type, "/officeDocument")) workbook_part = ResolveTarget("", rel.target);
      }
    }
    const size_t slash = workbook_part.rfind('/');
    const std::string base_dir = slash == std::string::npos ? "" : workbook_part.substr(0, slash + 1);
    const std::string rels_part = base_dir + "_rels/" + workbook_part.substr(base_dir.size()) + ".rels";

    WorkbookHandler workbook;
    RETURN_IF_ERROR(ParsePart(*zip_, workbook_part, kMaxSmallPartBytes, &workbook));
    RelsHandler rels;
    if (zip_->Has(rels_part)) RETURN_IF_ERROR(ParsePart(*zip_, rels_part, kMaxSmallPartBytes, &rels));

    std::string shared_strings_part;
    std::string styles_part;
    for (const Relationship& rel : rels.rels) {
      if (EndsWith(rel.type, "/sharedStrings")) shared_strings_part = ResolveTarget(base_dir, rel.target);
      if (EndsWith(rel.type, "/styles")) styles_part = ResolveTarget(base_dir, rel.target);
    }
    if (rels.rels.empty()) {
      shared_strings_part = base_dir + "sharedStrings.xml";
      styles_part = base_dir + "styles.xml";
    }

    std::vector<std::string> sheet_parts;
    for (size_t sheet_idx = 0; sheet_idx < workbook.sheets.size(); ++sheet_idx) {
      const SheetEntry& entry = workbook.sheets[sheet_idx];
      std::string part;
      bool found = false;
      for (const Relationship& rel : rels.rels) {
        if (rel.id != entry.rel_id) continue;
        found = true;
        if (EndsWith(rel.type, "/worksheet")) part = ResolveTarget(base_dir, rel.target);
      }
      if (!found) part = fmt::format("{}worksheets/sheet{}.xml", base_dir, sheet_idx + 1);
      if (part.empty()) continue;  // a chart sheet or dialog sheet: no cells
      sheet_names_.push_back(entry.name);
      sheet_parts.push_back(part);
    }
    if (sheet_names_.empty()) return InvalidArgument("工作簿中没有工作表");

    size_t chosen = 0;
    if (!wanted_sheet.empty()) {
      const auto it = std::find(sheet_names_.begin(), sheet_names_.end(), wanted_sheet);
      if (it == sheet_names_.end()) {
        std::string names;
        for (const std::string& name : sheet_names_) names += (names.empty() ? "" : "、") + name;
        return NotFound(fmt::format("工作簿中没有名为“{}”的工作表（现有：{}）", wanted_sheet, names));
      }
      chosen = static_cast<size_t>(it - sheet_names_.begin());
    }

    // Styles: which cell formats show dates.
    std::vector<NumberFormatKind> xf_kinds;
    if (!styles_part.empty() && zip_->Has(styles_part)) {
      StylesHandler styles;
      RETURN_IF_ERROR(ParsePart(*zip_, styles_part, kMaxSmallPartBytes, &styles));
      xf_kinds.reserve(styles.xf_format_ids.size());
      for (const std::int64_t format_id : styles.xf_format_ids) {
        const auto custom = styles.custom.find(format_id);
        xf_kinds.push_back(
            custom != styles.custom.end()
                ? custom->second
                : BuiltinFormatKind(static_cast<int>(std::clamp<std::int64_t>(format_id, -1, 1000))));
      }
    }

    if (!shared_strings_part.empty() && zip_->Has(shared_strings_part)) {
      RETURN_IF_ERROR(ParsePart(*zip_, shared_strings_part, kMaxSharedStringsBytes, &strings_));
    }

    const std::string& sheet_part = sheet_parts[chosen];
    RETURN_IF_ERROR(zip_->OpenEntry(sheet_part, kMaxSheetBytes));
    sheet_ = std::make_unique<SheetHandler>(sheet_names_[chosen], &strings_, std::move(xf_kinds),
                                            workbook.date1904);
    stream_ = std::make_unique<XmlStream>(sheet_part, sheet_.get());
    return Status::Ok();
  }

  const std::vector<std::string>& sheet_names() const override { return sheet_names_; }

  Result<bool> Next(std::vector<std::string>* cells) override {
    if (!failed_.ok()) return failed_;
    std::deque<Row>& rows = sheet_->rows();
    while (rows.empty()) {
      if (sheet_done_) return false;
      const Status status = stream_->Feed(*zip_, &sheet_done_);
      if (!status.ok()) {
        failed_ = status;
        return failed_;
      }
    }
    Row& row = rows.front();
    row_number_ = row.number;
    cells->swap(row.cells);
    rows.pop_front();
    return true;
  }

  std::int64_t row_number() const override { return row_number_; }

 private:
  std::unique_ptr<ZipArchive> zip_;
  std::vector<std::string> sheet_names_;
  SharedStringsHandler strings_;
  std::unique_ptr<SheetHandler> sheet_;
  std::unique_ptr<XmlStream> stream_;
  bool sheet_done_ = false;
  Status failed_;
  std::int64_t row_number_ = 0;
};

Result<std::unique_ptr<XlsxReader>> MakeReader(std::unique_ptr<ZipArchive> zip, const std::string& sheet) {
  auto reader = std::make_unique<XlsxReaderImpl>(std::move(zip));
  RETURN_IF_ERROR(reader->Init(sheet));
  return std::unique_ptr<XlsxReader>(std::move(reader));
}

// Removes quoted text, [..] sections, escapes and padding from the first
// section of a format code, lower-cased.
std::string StripFormatCode(std::string_view code) {
  std::string out;
  for (size_t pos = 0; pos < code.size(); ++pos) {
    const char c = code[pos];
    if (c == ';') break;
    if (c == '"') {
      const size_t close = code.find('"', pos + 1);
      if (close == std::string_view::npos) break;
      pos = close;
    } else if (c == '[') {
      const size_t close = code.find(']', pos + 1);
      if (close == std::string_view::npos) break;
      pos = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++pos;
    } else {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
  }
  // AM/PM markers are not months.
  for (const std::string_view marker : {std::string_view("am/pm"), std::string_view("a/p")}) {
    for (size_t found = out.find(marker); found != std::string::npos; found = out.find(marker)) {
      out.erase(found, marker.size());
    }
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------ internals

NumberFormatKind BuiltinFormatKind(int num_fmt_id) {
  if ((num_fmt_id >= 14 && num_fmt_id <= 17) || (num_fmt_id >= 27 && num_fmt_id <= 31) || num_fmt_id == 36 ||
      (num_fmt_id >= 50 && num_fmt_id <= 54) || num_fmt_id == 57 || num_fmt_id == 58) {
    return NumberFormatKind::kDate;
  }
  if (num_fmt_id == 22) return NumberFormatKind::kDateTime;
  if ((num_fmt_id >= 18 && num_fmt_id <= 21) || (num_fmt_id >= 32 && num_fmt_id <= 35) ||
      (num_fmt_id >= 45 && num_fmt_id <= 47) || num_fmt_id == 55 || num_fmt_id == 56) {
    return NumberFormatKind::kTime;
  }
  return NumberFormatKind::kNumber;
}

NumberFormatKind ClassifyFormatCode(std::string_view format_code) {
  const std::string code = StripFormatCode(format_code);
  const bool has_y = code.find('y') != std::string::npos;
  const bool has_d = code.find('d') != std::string::npos;
  const bool has_m = code.find('m') != std::string::npos;
  const bool has_h = code.find('h') != std::string::npos;
  const bool has_s = code.find('s') != std::string::npos;
  const bool date = has_y || has_d || (has_m && !has_h && !has_s);
  const bool time = has_h || has_s;
  if (date && time) return NumberFormatKind::kDateTime;
  if (date) return NumberFormatKind::kDate;
  if (time) return NumberFormatKind::kTime;
  return NumberFormatKind::kNumber;
}

std::string FormatExcelNumber(double value) {
  if (value == 0) return "0";  // also -0
  char buffer[64];
  const double magnitude = std::fabs(value);
  const auto result = magnitude >= 1e-6 && magnitude < 1e21
                          ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
                          : std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

bool ExcelSerialToText(double serial, bool date1904, NumberFormatKind kind, std::string* out) {
  if (!(serial >= 0 && serial < kMaxDateSerial)) return false;
  const auto total_seconds = static_cast<std::int64_t>(std::llround(serial * 86400.0));
  const std::int64_t days = total_seconds / 86400;
  const std::int64_t seconds = total_seconds % 86400;
  const std::string time = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (kind == NumberFormatKind::kTime) {
    *out = time;
    return true;
  }
  std::string date;
  if (date1904) {
    date = Date::FromDays(days - 24107).ToIso();  // serial 0 = 1904-01-01
  } else if (days == 0) {
    date = "1900-01-00";  // what Excel shows
  } else if (days == 60) {
    date = "1900-02-29";  // Excel's fictitious leap day (Lotus 1-2-3 compatibility)
  } else if (days < 60) {
    date = Date::FromDays(days - 25568).ToIso();  // serial 1 = 1900-01-01
  } else {
    date = Date::FromDays(days - 25569).ToIso();  // serial 61 = 1900-03-01
  }
  if (date.empty()) return false;
  if (kind == NumberFormatKind::kDateTime && seconds != 0) {
    *out = date + " " + time;
  } else {
    *out = std::move(date);
  }
  return true;
}

std::string DecodeOoxmlEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] == '_' && pos + 6 < text.size() && text[pos + 1] == 'x' && text[pos + 6] == '_') {
      unsigned value = 0;
      const auto parsed = std::from_chars(text.data() + pos + 2, text.data() + pos + 6, value, 16);
      if (parsed.ec == std::errc() && parsed.ptr == text.data() + pos + 6) {
        // "_x005F_" is a literal underscore, so "_x005F_x0041_" reads "_x0041_".
        AppendUtf8(static_cast<char32_t>(value), out);
        pos += 7;
        continue;
      }
    }
    out.push_back(text[pos]);
    ++pos;
  }
  return out;
}

bool ParseCellReference(std::string_view reference, int* column, std::int64_t* row) {
  size_t pos = 0;
  std::int64_t column_number = 0;
  if (pos < reference.size() && reference[pos] == '$') ++pos;
  const size_t letters_start = pos;
  while (pos < reference.size() && pos - letters_start < 3) {
    char c = reference[pos];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column_number = column_number * 26 + (c - 'A' + 1);
    ++pos;
  }
  if (pos == letters_start || column_number > kMaxColumns) return false;
  if (pos < reference.size() && reference[pos] == '$') ++pos;
  std::int64_t row_number = 0;
  if (pos == reference.size() || !ParseInt64(reference.substr(pos), &row_number)) return false;
  if (row_number < 1 || row_number > kMaxRows) return false;
  *column = static_cast<int>(column_number - 1);
  *row = row_number;
  return true;
}

std::string ColumnLetter(int column_index) {
  std::string letters;
  if (column_index < 0) return letters;
  std::int64_t number = static_cast<std::int64_t>(column_index) + 1;
  while (number > 0) {
    const std::int64_t remainder = (number - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + remainder));
    number = (number - 1) / 26;
  }
  return letters;
}

Result<std::unique_ptr<XlsxReader>> XlsxReader::Open(const std::string& path, const std::string& sheet) {
  ASSIGN_OR_RETURN(std::unique_ptr<ZipArchive> zip, ZipArchive::OpenFile(path));
  Result<std::unique_ptr<XlsxReader>> reader = MakeReader(std::move(zip), sheet);
  if (!reader.ok()) return reader.status().WithContext(fmt::format("文件 {}：", path));
  return reader;
}

Result<std::unique_ptr<XlsxReader>> XlsxReader::FromBuffer(std::string_view data, const std::string& sheet) {
  ASSIGN_OR_RETURN(std::unique_ptr<ZipArchive> zip, ZipArchive::OpenMemory(data));
  return MakeReader(std::move(zip), sheet);
}

}  // namespace zx
