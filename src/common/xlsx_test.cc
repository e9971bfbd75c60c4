#include "common/xlsx.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/xlsx_internal.h"

namespace zx {
namespace {

using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;
using Parts = std::map<std::string, std::string>;

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/zx_xlsx_" + std::to_string(::getpid()) + "_" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// Builds a zip (an .xlsx when the parts say so) with minizip.
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

// One entry of a zip held in memory (written to a file for minizip).
std::string ZipEntry(const std::string& zip_path, const std::string& name) {
  unzFile zip = unzOpen64(zip_path.c_str());
  if (zip == nullptr) return "<no zip>";
  std::string content;
  if (unzLocateFile(zip, name.c_str(), 1) == UNZ_OK && unzOpenCurrentFile(zip) == UNZ_OK) {
    char buffer[4096];
    for (int got; (got = unzReadCurrentFile(zip, buffer, sizeof buffer)) > 0;)
      content.append(buffer, static_cast<size_t>(got));
    unzCloseCurrentFile(zip);
  } else {
    content = "<missing>";
  }
  unzClose(zip);
  return content;
}

struct ReadResult {
  Rows rows;
  std::vector<std::int64_t> row_numbers;
  std::vector<std::string> sheets;
  Status error;
};

ReadResult ReadAll(Result<std::unique_ptr<XlsxReader>> reader) {
  ReadResult result;
  if (!reader.ok()) {
    result.error = reader.status();
    return result;
  }
  result.sheets = (*reader)->sheet_names();
  std::vector<std::string> cells;
  for (;;) {
    Result<bool> next = (*reader)->Next(&cells);
    if (!next.ok()) {
      result.error = next.status();
      break;
    }
    if (!*next) break;
    result.rows.push_back(cells);
    result.row_numbers.push_back((*reader)->row_number());
  }
  return result;
}

constexpr char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr char kMainNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelNs[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

Parts HandmadeWorkbook(bool date1904, const std::string& sheet1_data) {
  Parts parts;
  parts["[Content_Types].xml"] = std::string(kXmlHead) + "<Types/>";
  parts["_rels/.rels"] =
      std::string(kXmlHead) +
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"" +
      kRelNs +
      "/officeDocument\" Target=\"xl/workbook.xml\"/>"
      "</Relationships>";
  parts["xl/workbook.xml"] = std::string(kXmlHead) + "<x:workbook xmlns:x=\"" + kMainNs + "\" xmlns:r=\"" +
                             kRelNs + "\"><x:workbookPr date1904=\"" + (date1904 ? "1" : "0") +
                             "\"/><x:sheets>"
                             "<x:sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>"
                             "<x:sheet name=\"图表\" sheetId=\"3\" r:id=\"rId4\"/>"
                             "<x:sheet name=\"第二页\" sheetId=\"2\" r:id=\"rId2\"/>"
                             "</x:sheets></x:workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      std::string(kXmlHead) +
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
      "<Relationship Id=\"rId1\" Type=\"" + kRelNs + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
      "<Relationship Id=\"rId2\" Type=\"" + kRelNs +
      "/worksheet\" Target=\"/xl/worksheets/../worksheets/other.xml\"/>" +
      "<Relationship Id=\"rId3\" Type=\"" + kRelNs + "/sharedStrings\" Target=\"sharedStrings.xml\"/>" +
      "<Relationship Id=\"rId4\" Type=\"" + kRelNs + "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>" +
      "<Relationship Id=\"rId5\" Type=\"" + kRelNs + "/styles\" Target=\"styles.xml\"/>" + "</Relationships>";
  parts["xl/styles.xml"] =
      std::string(kXmlHead) + "<styleSheet xmlns=\"" + kMainNs +
      "\"><numFmts count=\"3\">"
      "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;元 day&quot;\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"h:mm\"/>"
      "</numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"><alignment/></xf>"
      "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/><xf numFmtId=\"166\"/>"
      "<xf numFmtId=\"31\"/></cellXfs></styleSheet>";
  parts["xl/sharedStrings.xml"] = std::string(kXmlHead) + "<sst xmlns=\"" + kMainNs +
                                  "\" count=\"4\" uniqueCount=\"4\">"
                                  "<si><t>姓名</t></si>"
                                  "<si><r><rPr><b/></rPr><t>卓</t></r><r><t xml:space=\"preserve\">玛 "
                                  "</t></r><rPh sb=\"0\" eb=\"1\"><t>zhuo</t></rPh></si>"
                                  "<si><t>a_x000D_b_x005F_x0041_</t></si>"
                                  "<si><t>&lt;&amp;&gt;</t></si>"
                                  "</sst>";
  parts["xl/worksheets/sheet1.xml"] = std::string(kXmlHead) + "<worksheet xmlns=\"" + kMainNs +
                                      "\"><sheetData>" + sheet1_data + "</sheetData></worksheet>";
  parts["xl/worksheets/other.xml"] =
      std::string(kXmlHead) + "<worksheet xmlns=\"" + kMainNs +
      "\"><sheetData><row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>第二页</t></is></c>"
      "</row></sheetData></worksheet>";
  return parts;
}

const char kSheet1[] =
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\" spans=\"1:9\"><c r=\"A2\"><v>6700</v></c><c><v>1234.5</v></c><c r=\"D2\"><v>6.7E3</v></c>"
    "<c r=\"E2\" s=\"3\"><v>0.1</v></c><c r=\"F2\" t=\"b\"><v>1</v></c><c r=\"G2\" t=\"e\"><v>#N/A</v></c>"
    "<c r=\"H2\" t=\"str\"><f>A1&amp;\"x\"</f><v>公式结果</v></c><c r=\"I2\" "
    "t=\"inlineStr\"><is><t>内联</t></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" s=\"1\"/><c r=\"B3\" s=\"2\"/></row>"  // styled but empty: skipped
    "<row r=\"5\"><c r=\"A5\" s=\"1\"><v>44562</v></c><c r=\"B5\" s=\"2\"><v>44927</v></c>"
    "<c r=\"C5\" s=\"4\"><v>44562.5</v></c><c r=\"D5\" s=\"5\"><v>0.75</v></c><c r=\"E5\" "
    "s=\"6\"><v>60</v></c>"
    "<c r=\"F5\" s=\"1\"><v>-3</v></c><c r=\"G5\" t=\"d\"><v>2021-03-05T00:00:00</v></c></row>"
    "<row><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c><c r=\"E6\" t=\"b\"><v>0</v></c><c "
    "r=\"F6\"><v></v></c></row>"
    "<row r=\"1000\"><c r=\"AB1000\"><v>-0.000001</v></c></row>";

TEST(XlsxReaderTest, HandmadeWorkbookCoversCellKinds) {
  const std::string bytes = MakeZip(HandmadeWorkbook(false, kSheet1));
  const ReadResult result = ReadAll(XlsxReader::FromBuffer(bytes));
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.sheets, (std::vector<std::string>{"数据", "第二页"}));
  ASSERT_EQ(result.rows.size(), 5u);
  EXPECT_EQ(result.rows[0], (std::vector<std::string>{"姓名", "", "卓玛 "}));
  EXPECT_EQ(result.rows[1], (std::vector<std::string>{"6700", "1234.5", "", "6700", "0.1", "TRUE", "#N/A",
                                                      "公式结果", "内联"}));
  EXPECT_EQ(result.rows[2], (std::vector<std::string>{"2022-01-01", "2023-01-01", "2022-01-01 12:00:00",
                                                      "18:00:00", "1900-02-29", "-3", "2021-03-05"}));
  EXPECT_EQ(result.rows[3], (std::vector<std::string>{"a\rb_x0041_", "<&>", "", "", "FALSE"}));
  std::vector<std::string> last(28);
  last[27] = "-0.000001";
  EXPECT_EQ(result.rows[4], last);
  EXPECT_EQ(result.row_numbers, (std::vector<std::int64_t>{1, 2, 5, 6, 1000}));
}

TEST(XlsxReaderTest, Date1904System) {
  const std::string bytes = MakeZip(HandmadeWorkbook(
      true, "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c s=\"1\"><v>43100</v></c></row>"));
  const ReadResult result = ReadAll(XlsxReader::FromBuffer(bytes));
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.rows, (Rows{{"1904-01-01", "2022-01-01"}}));
}

TEST(XlsxReaderTest, SelectsSheetByName) {
  const std::string bytes = MakeZip(HandmadeWorkbook(false, kSheet1));
  const ReadResult second = ReadAll(XlsxReader::FromBuffer(bytes, "第二页"));
  ASSERT_TRUE(second.error.ok()) << second.error.ToString();
  EXPECT_EQ(second.rows, (Rows{{"", "", "第二页"}}));
  EXPECT_EQ(second.row_numbers, (std::vector<std::int64_t>{2}));
  const ReadResult missing = ReadAll(XlsxReader::FromBuffer(bytes, "不存在"));
  EXPECT_EQ(missing.error.code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error.message(), HasSubstr("数据、第二页"));
}

TEST(XlsxReaderTest, MalformedSheetXmlIsAnError) {
  const ReadResult broken = ReadAll(
      XlsxReader::FromBuffer(MakeZip(HandmadeWorkbook(false, "<row r=\"1\"><c r=\"A1\"><v>1</v></row>"))));
  EXPECT_EQ(broken.error.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(broken.error.message(), HasSubstr("XML 格式错误"));

  const ReadResult bad_index = ReadAll(XlsxReader::FromBuffer(
      MakeZip(HandmadeWorkbook(false, "<row r=\"7\"><c r=\"B7\" t=\"s\"><v>99</v></c></row>"))));
  EXPECT_EQ(bad_index.error.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_index.error.message(), HasSubstr("第 7 行 B 列"));

  const ReadResult bad_ref = ReadAll(XlsxReader::FromBuffer(
      MakeZip(HandmadeWorkbook(false, "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"))));
  EXPECT_THAT(bad_ref.error.message(), HasSubstr("单元格引用“1A”无效"));

  const ReadResult huge_cell = ReadAll(XlsxReader::FromBuffer(
      MakeZip(HandmadeWorkbook(false, "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>" +
                                          std::string(1100000, 'x') + "</t></is></c></row>"))));
  EXPECT_EQ(huge_cell.error.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(huge_cell.error.message(), HasSubstr("第 2 行 A 列"));

  Parts with_dtd = HandmadeWorkbook(false, "");
  with_dtd["xl/worksheets/sheet1.xml"] =
      "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><worksheet><sheetData><row><c "
      "t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>";
  const ReadResult dtd = ReadAll(XlsxReader::FromBuffer(MakeZip(with_dtd)));
  EXPECT_THAT(dtd.error.message(), HasSubstr("DTD"));
}

TEST(XlsxReaderTest, NonZipAndTruncatedInputsAreErrorsNotCrashes) {
  EXPECT_FALSE(XlsxReader::FromBuffer("").ok());
  EXPECT_FALSE(XlsxReader::FromBuffer("hello, this is not a zip").ok());
  const auto xls =
      XlsxReader::FromBuffer(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, '\0'));
  ASSERT_FALSE(xls.ok());
  EXPECT_THAT(xls.status().message(), HasSubstr(".xls"));
  const auto missing_parts = XlsxReader::FromBuffer(MakeZip({{"readme.txt", "hi"}}));
  ASSERT_FALSE(missing_parts.ok());
  EXPECT_THAT(missing_parts.status().message(), HasSubstr("xl/workbook.xml"));

  const std::string bytes = MakeZip(HandmadeWorkbook(false, kSheet1));
  for (size_t length = 0; length < bytes.size(); length += 7) {
    const ReadResult result = ReadAll(XlsxReader::FromBuffer(std::string_view(bytes).substr(0, length)));
    EXPECT_FALSE(result.error.ok()) << length;
  }
  // Flipped bytes anywhere: an error or (if the flip hit unused bytes) data, never a crash.
  for (size_t offset = 0; offset < bytes.size(); offset += 13) {
    std::string corrupted = bytes;
    corrupted[offset] = static_cast<char>(corrupted[offset] ^ 0x5A);
    ReadAll(XlsxReader::FromBuffer(corrupted));
  }
}

TEST(XlsxReaderTest, OpenReportsMissingFile) {
  const auto reader = XlsxReader::Open("/nonexistent/book.xlsx");
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("文件不存在"));
}

TEST(XlsxInternalsTest, NumbersDatesAndReferences) {
  EXPECT_EQ(FormatExcelNumber(6700), "6700");
  EXPECT_EQ(FormatExcelNumber(1234.5), "1234.5");
  EXPECT_EQ(FormatExcelNumber(0.1), "0.1");
  EXPECT_EQ(FormatExcelNumber(-0.0), "0");
  EXPECT_EQ(FormatExcelNumber(630102199001010000.0), "630102199001010048");
  EXPECT_EQ(FormatExcelNumber(1e21), "1e+21");
  EXPECT_EQ(FormatExcelNumber(0.30000000000000004), "0.30000000000000004");

  std::string text;
  ASSERT_TRUE(ExcelSerialToText(59, false, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "1900-02-28");
  ASSERT_TRUE(ExcelSerialToText(60, false, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "1900-02-29");
  ASSERT_TRUE(ExcelSerialToText(61, false, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "1900-03-01");
  ASSERT_TRUE(ExcelSerialToText(1, false, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "1900-01-01");
  ASSERT_TRUE(ExcelSerialToText(2958465, false, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "9999-12-31");
  EXPECT_FALSE(ExcelSerialToText(2958466, false, NumberFormatKind::kDate, &text));
  EXPECT_FALSE(ExcelSerialToText(-1, false, NumberFormatKind::kDate, &text));
  ASSERT_TRUE(ExcelSerialToText(1462, true, NumberFormatKind::kDate, &text));
  EXPECT_EQ(text, "1908-01-02");
  ASSERT_TRUE(ExcelSerialToText(44562.25, false, NumberFormatKind::kDateTime, &text));
  EXPECT_EQ(text, "2022-01-01 06:00:00");

  EXPECT_EQ(BuiltinFormatKind(14), NumberFormatKind::kDate);
  EXPECT_EQ(BuiltinFormatKind(22), NumberFormatKind::kDateTime);
  EXPECT_EQ(BuiltinFormatKind(20), NumberFormatKind::kTime);
  EXPECT_EQ(BuiltinFormatKind(31), NumberFormatKind::kDate);
  EXPECT_EQ(BuiltinFormatKind(4), NumberFormatKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("yyyy/m/d"), NumberFormatKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("[$-804]yyyy\"年\"m\"月\"d\"日\";@"), NumberFormatKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("mmm"), NumberFormatKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("h:mm AM/PM"), NumberFormatKind::kTime);
  EXPECT_EQ(ClassifyFormatCode("yyyy-mm-dd hh:mm:ss"), NumberFormatKind::kDateTime);
  EXPECT_EQ(ClassifyFormatCode("#,##0.00\"元/day\""), NumberFormatKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("[Red]0.00;[Blue]-0.00"), NumberFormatKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("0.00\\d"), NumberFormatKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("General"), NumberFormatKind::kNumber);

  int column = -1;
  std::int64_t row = -1;
  ASSERT_TRUE(ParseCellReference("B3", &column, &row));
  EXPECT_EQ(column, 1);
  EXPECT_EQ(row, 3);
  ASSERT_TRUE(ParseCellReference("XFD1048576", &column, &row));
  EXPECT_EQ(column, 16383);
  EXPECT_FALSE(ParseCellReference("XFE1", &column, &row));
  EXPECT_FALSE(ParseCellReference("A0", &column, &row));
  EXPECT_FALSE(ParseCellReference("A1048577", &column, &row));
  EXPECT_FALSE(ParseCellReference("3", &column, &row));
  EXPECT_FALSE(ParseCellReference("AAAA1", &column, &row));

  EXPECT_EQ(ColumnLetter(0), "A");
  EXPECT_EQ(ColumnLetter(25), "Z");
  EXPECT_EQ(ColumnLetter(26), "AA");
  EXPECT_EQ(ColumnLetter(701), "ZZ");
  EXPECT_EQ(ColumnLetter(702), "AAA");
  EXPECT_EQ(DecodeOoxmlEscapes("x_x0009_y_x4E2D_"), "x\ty中");
}

TEST(XlsxWriterTest, RoundTripWithErrorsAndSheets) {
  const std::string path = TempPath("round_trip.xlsx");
  std::filesystem::remove(path);
  auto writer = XlsxWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->AddSheet("农户", {"姓名", "证件号码", "人均纯收入", "备注"}).ok());
  auto row2 = (*writer)->AppendRow({"卓玛", "632123198805060028", "", "含,逗号"});
  ASSERT_TRUE(row2.ok());
  EXPECT_EQ(*row2, 2);
  ASSERT_TRUE((*writer)->WriteNumber(1, 2, 6700).ok());
  auto row3 = (*writer)->AppendRow({"张三", "", "", ""});
  ASSERT_TRUE(row3.ok());
  EXPECT_EQ(*row3, 3);
  ASSERT_TRUE((*writer)->WriteNumber(2, 2, 1234.5).ok());
  ASSERT_TRUE((*writer)->MarkError(2, 1, "63212319880506002X", "证件号码校验位错误").ok());
  ASSERT_TRUE((*writer)->MarkError(2, 1, "63212319880506002X", "与出生日期不符").ok());
  ASSERT_TRUE((*writer)->SetColumnWidth(1, 22).ok());
  ASSERT_TRUE((*writer)->AddSheet("汇总", {"年份", "户数"}).ok());
  ASSERT_TRUE((*writer)->AppendRow({"2022"}).ok());
  ASSERT_TRUE((*writer)->WriteNumber(1, 1, 600000).ok());
  EXPECT_EQ((*writer)->AddSheet("汇总", {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*writer)->AddSheet("a/b", {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*writer)->WriteNumber(-1, 0, 1).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path)) << "nothing on disk before Close";
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ((*writer)->Close().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(std::filesystem::exists(path));

  const ReadResult first = ReadAll(XlsxReader::Open(path));
  ASSERT_TRUE(first.error.ok()) << first.error.ToString();
  EXPECT_EQ(first.sheets, (std::vector<std::string>{"农户", "汇总"}));
  EXPECT_EQ(first.rows, (Rows{{"姓名", "证件号码", "人均纯收入", "备注"},
                              {"卓玛", "632123198805060028", "6700", "含,逗号"},
                              {"张三", "63212319880506002X", "1234.5"}}));
  const ReadResult second = ReadAll(XlsxReader::Open(path, "汇总"));
  ASSERT_TRUE(second.error.ok()) << second.error.ToString();
  EXPECT_EQ(second.rows, (Rows{{"年份", "户数"}, {"2022", "600000"}}));

  // The error cell carries one comment with both messages and the red fill.
  const std::string comments = ZipEntry(path, "xl/comments1.xml");
  EXPECT_THAT(comments, HasSubstr("ref=\"B3\""));
  EXPECT_THAT(comments, HasSubstr("证件号码校验位错误\n与出生日期不符"));
  EXPECT_THAT(ZipEntry(path, "xl/styles.xml"), HasSubstr("FFFFC7CE"));
  EXPECT_THAT(ZipEntry(path, "xl/worksheets/sheet1.xml"), HasSubstr("state=\"frozen\""));

  // Reading the same bytes from memory gives the same rows.
  EXPECT_EQ(ReadAll(XlsxReader::FromBuffer(ReadFile(path))).rows, first.rows);
  std::filesystem::remove(path);
}

TEST(XlsxWriterTest, AbandonedWriterLeavesNothing) {
  const std::string dir = TempPath("abandoned");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto writer = XlsxWriter::Create(dir + "/out.xlsx");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AddSheet("表", {"a"}).ok());
    EXPECT_EQ((*writer)->AppendRow(std::vector<std::string>(16385, "x")).status().code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);

  auto no_dir = XlsxWriter::Create("/nonexistent/dir/out.xlsx");
  EXPECT_FALSE(no_dir.ok());
  auto writer = XlsxWriter::Create(TempPath("no_sheet.xlsx"));
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->AppendRow({"x"}).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace zx
