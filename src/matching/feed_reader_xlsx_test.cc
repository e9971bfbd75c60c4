// The feed reader on .xlsx department exports: header aliases and units,
// dates as Excel serial numbers (built-in and custom date formats) and as
// text, amounts as numbers and as text, empty and styled-but-empty rows, an
// extra worksheet, and a wrong header refused with a Chinese reason naming
// what is missing.
#include <gtest/gtest.h>
#include <minizip/zip.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/xlsx.h"
#include "matching/feed_profile.h"
#include "matching/feed_reader.h"

namespace zx::matching {
namespace {

using Parts = std::map<std::string, std::string>;

const FeedProfile& Medical() {
  static const FeedProfiles profiles = [] {
    Result<FeedProfiles> loaded = LoadDefaultFeedProfiles();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : FeedProfiles();
  }();
  return **profiles.Find("medical");
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("zx_feed_xlsx_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// A zip (here: an .xlsx) with the given parts, written with minizip.
std::string MakeZip(const Parts& parts) {
  const std::string path = TempPath("handmade.zip");
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, content] : parts) {
    EXPECT_EQ(zipOpenNewFileInZip64(zip, name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                    Z_DEFAULT_COMPRESSION, 0),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip, content.data(), static_cast<unsigned>(content.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zip, nullptr), ZIP_OK);
  std::string bytes = ReadFile(path);
  std::remove(path.c_str());
  return bytes;
}

constexpr char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr char kMainNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelNs[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr char kPkgNs[] = "http://schemas.openxmlformats.org/package/2006/relationships";

// Text cell (inline string).
std::string S(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
// Shared-string cell.
std::string Ss(const std::string& ref, int index) {
  return "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(index) + "</v></c>";
}
// Number cell with an optional style index (1: numFmt 14 m/d/yyyy; 2: custom yyyy年m月d日; 3: 0.00).
std::string N(const std::string& ref, const std::string& value, int style = 0) {
  return "<c r=\"" + ref + "\"" + (style != 0 ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" +
         value + "</v></c>";
}

// A workbook whose first sheet "医保结算" holds `data_rows` (sheetData XML), with
// shared strings for the header and a second sheet "说明" of notes.
std::string Workbook(const std::string& header_row, const std::string& data_rows) {
  Parts parts;
  parts["[Content_Types].xml"] = std::string(kXmlHead) + "<Types/>";
  parts["_rels/.rels"] = std::string(kXmlHead) + "<Relationships xmlns=\"" + kPkgNs +
                         "\"><Relationship Id=\"rId1\" Type=\"" + kRelNs +
                         "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  parts["xl/workbook.xml"] = std::string(kXmlHead) + "<workbook xmlns=\"" + kMainNs + "\" xmlns:r=\"" +
                             kRelNs +
                             "\"><sheets><sheet name=\"医保结算\" sheetId=\"1\" r:id=\"rId1\"/>"
                             "<sheet name=\"说明\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      std::string(kXmlHead) + "<Relationships xmlns=\"" + kPkgNs + "\">" +
      "<Relationship Id=\"rId1\" Type=\"" + kRelNs + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
      "<Relationship Id=\"rId2\" Type=\"" + kRelNs + "/worksheet\" Target=\"worksheets/sheet2.xml\"/>" +
      "<Relationship Id=\"rId3\" Type=\"" + kRelNs + "/sharedStrings\" Target=\"sharedStrings.xml\"/>" +
      "<Relationship Id=\"rId4\" Type=\"" + kRelNs + "/styles\" Target=\"styles.xml\"/>" + "</Relationships>";
  parts["xl/styles.xml"] =
      std::string(kXmlHead) + "<styleSheet xmlns=\"" + kMainNs +
      "\"><numFmts count=\"1\">"
      "<numFmt numFmtId=\"164\" "
      "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
      "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
      "<xf numFmtId=\"2\"/></cellXfs></styleSheet>";
  parts["xl/sharedStrings.xml"] =
      std::string(kXmlHead) + "<sst xmlns=\"" + kMainNs +
      "\" count=\"3\" uniqueCount=\"3\">"
      "<si><t>参保人姓名</t></si><si><t>身份证号</t></si><si><t>卓玛</t></si></sst>";
  parts["xl/worksheets/sheet1.xml"] = std::string(kXmlHead) + "<worksheet xmlns=\"" + kMainNs +
                                      "\"><sheetData>" + header_row + data_rows + "</sheetData></worksheet>";
  parts["xl/worksheets/sheet2.xml"] = std::string(kXmlHead) + "<worksheet xmlns=\"" + kMainNs +
                                      "\"><sheetData><row r=\"1\">" + S("A1", "填表说明") +
                                      S("B1", "金额单位：元") + "</row><row r=\"2\">" + S("A2", "不是数据") +
                                      N("B2", "-1") + "</row></sheetData></worksheet>";
  return MakeZip(parts);
}

// Header with aliases, a unit in parentheses, a "*" mark and an unused column.
const std::string kAliasHeader = "<row r=\"1\">" + Ss("A1", 0) + Ss("B1", 1) + S("C1", "费用结算日期") +
                                 S("D1", "*个人负担（元）") + S("E1", "总费用(元)") + S("F1", "出生年月") +
                                 S("G1", "参保地") + S("H1", "医疗类别") + S("I1", "备注") + "</row>";

struct ReadRows {
  std::vector<FeedRow> rows;  // views copied out below
  std::vector<std::string> names, ids;
  Status error;
};

ReadRows ReadAll(FeedReader& reader) {
  ReadRows out;
  FeedRow row;
  for (;;) {
    Result<bool> more = reader.Next(&row);
    if (!more.ok()) {
      out.error = more.status();
      break;
    }
    if (!*more) break;
    out.names.emplace_back(row.name);
    out.ids.emplace_back(row.id_number);
    FeedRow copy = row;
    copy.name = {};
    copy.id_number = {};
    copy.category = {};
    copy.detail = {};
    out.rows.push_back(std::move(copy));
  }
  return out;
}

TEST(FeedReaderXlsxTest, AliasesSerialAndTextDatesNumbersAndTextEmptyRowsExtraSheet) {
  const std::string data =
      // Serial dates (built-in m/d/yyyy and custom yyyy年m月d日), amounts as numbers,
      // the area code as a number, a shared-string name.
      "<row r=\"2\">" + Ss("A2", 2) + S("B2", "632321199007150326") + N("C2", "45356", 1) +
      N("D2", "1234.5", 3) + N("E2", "5000") + N("F2", "32874", 2) + N("G2", "632301") + S("H2", "住院") +
      S("I2", "无") +
      "</row>"
      // Styled but empty cells, then a row of blanks: both skipped, not data rows.
      "<row r=\"3\">" +
      "<c r=\"A3\" s=\"1\"/><c r=\"D3\" s=\"3\"/></row>"
      "<row r=\"4\">" +
      S("A4", " ") + S("C4", "") +
      "</row>"
      // Text dates and text amounts as typed by hand; lowercase x; 12-digit area code as text.
      "<row r=\"6\">" +
      S("A6", "李秀英") + S("B6", "63012119700903006x") + S("C6", "2024年11月20日") + S("D6", "1,234.50") +
      S("E6", "5000元") + S("F6", "1990/1/1") + S("G6", "630121100201") + S("H6", "门诊") +
      "</row>"
      // Full-width digits in text cells.
      "<row r=\"7\">" +
      S("A7", "马福祥") + S("B7", "６３０１２１１９６００１０５０１５X") + S("C7", "２０２４-０３-０５") +
      S("D7", "８８") +
      "</row>"
      // A serial-number settlement date with a bad amount: rejected with the column named.
      "<row r=\"8\">" +
      S("A8", "王磊") + S("B8", "630121199502170313") + N("C8", "45356", 1) + S("D8", "八十元") + "</row>";
  const std::string bytes = Workbook(kAliasHeader, data);

  auto reader = FeedReader::FromXlsxBuffer(bytes, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->encoding_name(), "XLSX");
  EXPECT_EQ((*reader)->ignored_headers(), std::vector<std::string>{"备注"});
  ReadRows read = ReadAll(**reader);
  ASSERT_TRUE(read.error.ok()) << read.error.ToString();
  ASSERT_EQ(read.rows.size(), 4u);  // the extra sheet and the empty rows add nothing

  const FeedRow& serial = read.rows[0];
  EXPECT_EQ(serial.row, 1);
  EXPECT_EQ(read.names[0], "卓玛");
  EXPECT_EQ(read.ids[0], "632321199007150326");
  ASSERT_TRUE(serial.has_event_date);
  EXPECT_EQ(serial.event_date, (Date{2024, 3, 5}));
  ASSERT_TRUE(serial.has_amount);
  EXPECT_EQ(serial.amount, 123450);
  ASSERT_TRUE(serial.has_total_cost);
  EXPECT_EQ(serial.total_cost, 500000);
  ASSERT_TRUE(serial.has_birth_date);
  EXPECT_EQ(serial.birth_date, (Date{1990, 1, 1}));
  EXPECT_EQ(serial.area_code, 632301);
  EXPECT_FALSE(serial.rejected);
  EXPECT_TRUE(serial.issues.empty());

  const FeedRow& text = read.rows[1];
  EXPECT_EQ(text.row, 2);  // data rows are counted without the blank rows
  EXPECT_EQ(read.names[1], "李秀英");
  EXPECT_EQ(read.ids[1], "63012119700903006x");  // raw; normalised by the linker
  EXPECT_EQ(text.event_date, (Date{2024, 11, 20}));
  EXPECT_EQ(text.amount, 123450);
  EXPECT_EQ(text.total_cost, 500000);
  EXPECT_EQ(text.birth_date, (Date{1990, 1, 1}));
  EXPECT_EQ(text.area_code, 630121);
  EXPECT_FALSE(text.rejected);
  EXPECT_TRUE(text.issues.empty());

  const FeedRow& full_width = read.rows[2];
  EXPECT_EQ(full_width.event_date, (Date{2024, 3, 5}));
  EXPECT_EQ(full_width.amount, 8800);
  EXPECT_FALSE(full_width.has_total_cost);
  EXPECT_FALSE(full_width.has_birth_date);
  EXPECT_FALSE(full_width.rejected);

  const FeedRow& bad = read.rows[3];
  EXPECT_EQ(bad.row, 4);
  EXPECT_TRUE(bad.rejected);
  ASSERT_EQ(bad.issues.size(), 1u);
  EXPECT_EQ(bad.issues[0].row, 4);
  EXPECT_EQ(bad.issues[0].column, "*个人负担（元）");
  EXPECT_NE(bad.issues[0].reason.find("八十元"), std::string::npos) << bad.issues[0].reason;
  EXPECT_EQ(bad.event_date, (Date{2024, 3, 5}));
}

TEST(FeedReaderXlsxTest, OpenByPathReadsTheFirstSheetOnly) {
  const std::string data = "<row r=\"2\">" + Ss("A2", 2) + S("B2", "632321199007150326") +
                           N("C2", "45356", 1) + N("D2", "10") + "</row>";
  const std::string path = TempPath("feed.xlsx");
  {
    std::ofstream out(path, std::ios::binary);
    out << Workbook(kAliasHeader, data);
  }
  auto reader = FeedReader::Open(path, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ReadRows read = ReadAll(**reader);
  std::remove(path.c_str());
  ASSERT_TRUE(read.error.ok()) << read.error.ToString();
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_EQ(read.rows[0].amount, 1000);
  EXPECT_EQ(read.rows[0].event_date, (Date{2024, 3, 5}));
}

// What libxlsxwriter (and so Excel-like tools) writes: text cells plus number
// cells for the amounts.
TEST(FeedReaderXlsxTest, WriterProducedWorkbookWithNumberCells) {
  const std::string path = TempPath("written.xlsx");
  {
    auto writer = XlsxWriter::Create(path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)
                    ->AddSheet("明细", {"患者姓名", "公民身份号码", "出院日期", "个人现金支付", "住院总费用"})
                    .ok());
    auto first = (*writer)->AppendRow({"更登", "63232119700303015X", "2024-06-30", "", ""});
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*writer)->WriteNumber(1, 3, 8888.88).ok());
    ASSERT_TRUE((*writer)->WriteNumber(1, 4, 20001).ok());
    ASSERT_TRUE((*writer)->AppendRow({"拉毛措", "632321197306160269", "2024/7/1", "0.1", "0"}).ok());
    ASSERT_TRUE((*writer)->AddSheet("汇总", {"合计"}).ok());
    ASSERT_TRUE((*writer)->AppendRow({"8889.08"}).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }
  auto reader = FeedReader::Open(path, Medical());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ReadRows read = ReadAll(**reader);
  std::remove(path.c_str());
  ASSERT_TRUE(read.error.ok()) << read.error.ToString();
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[0].amount, 888888);
  EXPECT_EQ(read.rows[0].total_cost, 2000100);
  EXPECT_EQ(read.rows[0].event_date, (Date{2024, 6, 30}));
  EXPECT_EQ(read.rows[1].amount, 10);
  EXPECT_EQ(read.rows[1].total_cost, 0);
  EXPECT_TRUE(read.rows[1].has_total_cost);
  EXPECT_EQ(read.names[1], "拉毛措");
}

TEST(FeedReaderXlsxTest, WrongHeaderIsRefusedNamingWhatIsMissing) {
  const std::string header =
      "<row r=\"1\">" + S("A1", "姓名") + S("B1", "联系电话") + S("C1", "住址") + "</row>";
  const std::string data =
      "<row r=\"2\">" + S("A2", "王建国") + S("B2", "13800000000") + S("C2", "大通") + "</row>";
  auto reader = FeedReader::FromXlsxBuffer(Workbook(header, data), Medical());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = reader.status().message();
  EXPECT_NE(message.find("表头不符合"), std::string::npos) << message;
  EXPECT_NE(message.find("证件号码"), std::string::npos) << message;
  EXPECT_NE(message.find("结算日期"), std::string::npos) << message;
  EXPECT_NE(message.find("个人自付"), std::string::npos) << message;
  // The file's own header is quoted back so the official can see the mismatch.
  EXPECT_NE(message.find("联系电话"), std::string::npos) << message;

  // Through Open: the file is named in the message.
  const std::string path = TempPath("wrong.xlsx");
  {
    std::ofstream out(path, std::ios::binary);
    out << Workbook(header, data);
  }
  auto opened = FeedReader::Open(path, Medical());
  std::remove(path.c_str());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("wrong.xlsx"), std::string::npos) << opened.status().message();

  // A header row that is not the first row of data (a title row above it) is refused too.
  const std::string titled = "<row r=\"1\">" + S("A1", "2024年医保结算明细") + "</row>";
  auto title = FeedReader::FromXlsxBuffer(
      Workbook(titled, "<row r=\"2\">" + Ss("A2", 0) + Ss("B2", 1) + "</row>"), Medical());
  ASSERT_FALSE(title.ok());
  EXPECT_EQ(title.status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedReaderXlsxTest, NotAWorkbookIsAnErrorNotACrash) {
  auto reader = FeedReader::FromXlsxBuffer("PK\x03\x04 definitely not a workbook", Medical());
  EXPECT_FALSE(reader.ok());
  auto empty = FeedReader::FromXlsxBuffer(Workbook("", ""), Medical());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zx::matching
