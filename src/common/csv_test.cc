#include "common/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/csv_internal.h"

namespace zx {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

// Converts UTF-8 test text to GBK/GB18030 bytes with glibc iconv.
std::string Encode(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 8, '\0');
  std::string in = utf8;
  char* in_ptr = in.data();
  size_t in_left = in.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
  out.resize(out.size() - out_left);
  iconv_close(cd);
  return out;
}

struct ReadResult {
  Rows rows;
  std::vector<std::int64_t> lines;
  Status error;
  TextEncoding encoding = TextEncoding::kUtf8;
};

ReadResult ReadAll(std::string_view data, size_t block_bytes = 0, const CsvReadOptions& options = {}) {
  ReadResult result;
  auto reader = block_bytes == 0 ? CsvReader::FromBuffer(data, options)
                                 : CsvReaderFromBufferForTesting(data, options, block_bytes);
  if (!reader.ok()) {
    result.error = reader.status();
    return result;
  }
  result.encoding = (*reader)->encoding();
  std::vector<std::string> fields;
  for (;;) {
    Result<bool> next = (*reader)->Next(&fields);
    if (!next.ok()) {
      result.error = next.status();
      break;
    }
    if (!*next) break;
    result.rows.push_back(fields);
    result.lines.push_back((*reader)->line_number());
    EXPECT_EQ((*reader)->record_number(), static_cast<std::int64_t>(result.rows.size()));
  }
  return result;
}

TEST(CsvReaderTest, PlainUtf8WithLf) {
  const ReadResult result = ReadAll("姓名,证件号码\n张三,630102199001010011\n");
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(result.rows, (Rows{{"姓名", "证件号码"}, {"张三", "630102199001010011"}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{1, 2}));
}

TEST(CsvReaderTest, BomIsDetectedAndStripped) {
  const ReadResult result = ReadAll("\xEF\xBB\xBF姓名,年龄\r\n李四,30\r\n");
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(result.rows, (Rows{{"姓名", "年龄"}, {"李四", "30"}}));
  EXPECT_EQ(TextEncodingName(result.encoding), "UTF-8 (BOM)");
}

TEST(CsvReaderTest, GbkBytesAreDetectedAndDecoded) {
  // "姓名" in GBK is D0 D5 C3 FB; check iconv agrees, then read a whole file.
  EXPECT_EQ(Encode("姓名", "GBK"), "\xD0\xD5\xC3\xFB");
  const std::string gbk = Encode("姓名,证件号码,村\r\n卓玛,632123198805060028,新庄村\r\n", "GBK");
  const ReadResult result = ReadAll(gbk);
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.encoding, TextEncoding::kGb18030);
  EXPECT_EQ(result.rows, (Rows{{"姓名", "证件号码", "村"}, {"卓玛", "632123198805060028", "新庄村"}}));
}

TEST(CsvReaderTest, Gb18030FourByteCharacters) {
  // U+3400 and U+20000 are four-byte sequences in GB18030 (not in GBK).
  const std::string bytes = "\xD0\xD5\xC3\xFB\n\x81\x39\xEE\x39\x95\x32\x82\x36\n";
  EXPECT_EQ(Encode("姓名\n㐀𠀀\n", "GB18030"), bytes);
  const ReadResult result = ReadAll(bytes);
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.encoding, TextEncoding::kGb18030);
  EXPECT_EQ(result.rows, (Rows{{"姓名"}, {"㐀𠀀"}}));
}

TEST(CsvReaderTest, ForcedEncodingSkipsDetection) {
  CsvReadOptions options;
  options.force_encoding = true;
  options.encoding = TextEncoding::kGb18030;
  const ReadResult result = ReadAll(Encode("姓名\n㐀𠀀\n", "GB18030"), 0, options);
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.encoding, TextEncoding::kGb18030);
  EXPECT_EQ(result.rows, (Rows{{"姓名"}, {"㐀𠀀"}}));
  // Plain ASCII is the same in both encodings.
  EXPECT_EQ(ReadAll("a,b\n", 0, options).rows, (Rows{{"a", "b"}}));
}

TEST(CsvReaderTest, SemicolonAndTabAreDetectedFromTheHeader) {
  const ReadResult semicolons = ReadAll("a;b;c\n1,5;2;3\n");
  ASSERT_TRUE(semicolons.error.ok());
  EXPECT_EQ(semicolons.rows, (Rows{{"a", "b", "c"}, {"1,5", "2", "3"}}));
  const ReadResult tabs = ReadAll("a\tb\tc\n1,2\t;\t3\n");
  ASSERT_TRUE(tabs.error.ok());
  EXPECT_EQ(tabs.rows, (Rows{{"a", "b", "c"}, {"1,2", ";", "3"}}));
  // A delimiter inside a quoted header field does not count.
  const ReadResult quoted = ReadAll("\"a;b;c\",d\n1,2\n");
  EXPECT_EQ(quoted.rows, (Rows{{"a;b;c", "d"}, {"1", "2"}}));
}

TEST(CsvReaderTest, QuotedNewlinesAndDoubledQuotes) {
  const std::string csv =
      "名称,备注\r\n\"x\",\"第一行\r\n第二行\"\r\n\"他说\"\"好\"\"\",\"a,b\"\r\nlast,\"\"\r\n";
  const ReadResult result = ReadAll(csv);
  ASSERT_TRUE(result.error.ok()) << result.error.ToString();
  EXPECT_EQ(result.rows,
            (Rows{{"名称", "备注"}, {"x", "第一行\r\n第二行"}, {"他说\"好\"", "a,b"}, {"last", ""}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{1, 2, 4, 5}));
}

TEST(CsvReaderTest, LineEndingsAndMissingFinalNewline) {
  EXPECT_EQ(ReadAll("a,b\r\nc,d").rows, (Rows{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(ReadAll("a,b\rc,d\r").rows, (Rows{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(ReadAll("a,b,\n,,\n").rows, (Rows{{"a", "b", ""}, {"", "", ""}}));
}

TEST(CsvReaderTest, EmptyLinesAreSkippedButCounted) {
  const ReadResult result = ReadAll("h1,h2\n\n1,2\r\n\r\n\n3,4\n\n");
  ASSERT_TRUE(result.error.ok());
  EXPECT_EQ(result.rows, (Rows{{"h1", "h2"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{1, 3, 6}));
  EXPECT_TRUE(ReadAll("").rows.empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").rows.empty());
  // A quoted empty field is a record, not an empty line.
  EXPECT_EQ(ReadAll("h\n\"\"\n").rows, (Rows{{"h"}, {""}}));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLine) {
  const ReadResult result = ReadAll("h1,h2\n1,2\n3,\"never closed\n4,5\n");
  EXPECT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.error.message(), "第 3 行：引号未闭合");
}

TEST(CsvReaderTest, OverlongRecordIsAnError) {
  CsvReadOptions options;
  options.max_record_bytes = 64;
  const std::string csv = "h\nshort\n\"" + std::string(200, 'x') + "\n";
  const ReadResult result = ReadAll(csv, 16, options);
  EXPECT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.error.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(result.error.message(), HasSubstr("第 3 行"));
}

TEST(CsvReaderTest, BadBytesInForcedUtf8NameTheLine) {
  CsvReadOptions options;
  options.force_encoding = true;
  options.encoding = TextEncoding::kUtf8;
  const ReadResult result = ReadAll("h\nok\n\"multi\nline\",\xD0\xD5\n", 0, options);
  EXPECT_EQ(result.rows, (Rows{{"h"}, {"ok"}}));
  EXPECT_EQ(result.error.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.error.message(), HasSubstr("第 4 行"));
  EXPECT_THAT(result.error.message(), HasSubstr("0xD0"));
}

TEST(CsvReaderTest, TruncatedCharacterAtEndOfFile) {
  CsvReadOptions options;
  options.force_encoding = true;
  options.encoding = TextEncoding::kUtf8;
  const ReadResult result = ReadAll("h\n青\xE6\xB5", 0, options);
  EXPECT_EQ(result.rows, (Rows{{"h"}}));
  EXPECT_THAT(result.error.message(), HasSubstr("第 2 行：文件末尾的字符不完整"));
}

TEST(CsvReaderTest, InvalidGb18030BytesNameTheLine) {
  const std::string data = Encode("姓名\n张三\n", "GBK") + "\xFF\xFF\n";
  const ReadResult result = ReadAll(data);
  EXPECT_EQ(result.encoding, TextEncoding::kGb18030);
  EXPECT_EQ(result.rows, (Rows{{"姓名"}, {"张三"}}));
  EXPECT_THAT(result.error.message(), HasSubstr("第 3 行"));
  EXPECT_THAT(result.error.message(), HasSubstr("GB18030"));
}

TEST(CsvReaderTest, EveryBlockSizeGivesTheSameRecords) {
  const std::string utf8 =
      "\xEF\xBB\xBF姓名;备注;金额\r\n"
      "阿卜杜拉·买买提;\"含;分号\r\n和换行\";6700\r\n"
      "\r\n"
      "\"\"\"引号\"\"\";;\r\n"
      "才让;𠀀㐀;1234.5";
  const std::string gb18030 = Encode(utf8.substr(3), "GB18030");
  for (const std::string* data : {&utf8, &gb18030}) {
    const ReadResult expected = ReadAll(*data);
    ASSERT_TRUE(expected.error.ok()) << expected.error.ToString();
    ASSERT_EQ(expected.rows.size(), 4u);
    EXPECT_EQ(expected.rows[1], (std::vector<std::string>{"阿卜杜拉·买买提", "含;分号\r\n和换行", "6700"}));
    EXPECT_EQ(expected.rows[2], (std::vector<std::string>{"\"引号\"", "", ""}));
    EXPECT_EQ(expected.lines, (std::vector<std::int64_t>{1, 2, 5, 6}));
    for (size_t block = 1; block <= 40; ++block) {
      const ReadResult actual = ReadAll(*data, block);
      ASSERT_TRUE(actual.error.ok()) << "block " << block << ": " << actual.error.ToString();
      EXPECT_EQ(actual.rows, expected.rows) << "block " << block;
      EXPECT_EQ(actual.lines, expected.lines) << "block " << block;
      EXPECT_EQ(actual.encoding, expected.encoding);
    }
  }
}

TEST(CsvReaderTest, ManyRecordsAcrossDefaultBlocks) {
  std::string csv = "序号,姓名\n";
  for (int row_idx = 0; row_idx < 200000; ++row_idx)
    csv += std::to_string(row_idx) + ",\"名字" + std::to_string(row_idx) + "\"\n";
  auto reader = CsvReader::FromBuffer(csv);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> fields;
  ASSERT_TRUE(*(*reader)->Next(&fields));
  for (int row_idx = 0; row_idx < 200000; ++row_idx) {
    Result<bool> next = (*reader)->Next(&fields);
    ASSERT_TRUE(next.ok() && *next) << row_idx;
    ASSERT_EQ(fields.size(), 2u);
    ASSERT_EQ(fields[0], std::to_string(row_idx));
    ASSERT_EQ(fields[1], "名字" + std::to_string(row_idx));
  }
  EXPECT_FALSE(*(*reader)->Next(&fields));
  EXPECT_EQ((*reader)->line_number(), 200001);
  EXPECT_EQ((*reader)->bytes_read(), static_cast<std::int64_t>(csv.size()));
  EXPECT_EQ((*reader)->total_bytes(), static_cast<std::int64_t>(csv.size()));
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/zx_csv_" + std::to_string(::getpid()) + "_" + name;
}

TEST(CsvReaderTest, OpenReportsMissingFileInChinese) {
  auto reader = CsvReader::Open("/nonexistent/dir/x.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("文件不存在"));
}

TEST(CsvWriterTest, EscapeQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvWriter::Escape("plain 文本"), "plain 文本");
  EXPECT_EQ(CsvWriter::Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvWriter::Escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvWriter::Escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvWriter::Escape(""), "");
}

TEST(CsvWriterTest, RoundTripThroughAFile) {
  const std::string path = TempPath("round_trip.csv");
  const Rows rows = {{"姓名", "备注", "金额"}, {"张三", "含,逗号\n和换行", "6700"}, {"", "\"q\"", ""}, {""}};
  {
    auto writer = CsvWriter::Create(path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& row : rows) ASSERT_TRUE((*writer)->WriteRow(row).ok());
    ASSERT_TRUE((*writer)->Close().ok());
    EXPECT_EQ((*writer)->Close().code(), StatusCode::kFailedPrecondition);
  }
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  EXPECT_EQ(content.str().substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(content.str(), HasSubstr("6700\r\n"));

  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->encoding(), TextEncoding::kUtf8Bom);
  EXPECT_EQ((*reader)->total_bytes(), static_cast<std::int64_t>(content.str().size()));
  std::vector<std::string> fields;
  Rows read;
  while (*(*reader)->Next(&fields)) read.push_back(fields);
  EXPECT_EQ(read, rows);
  std::remove(path.c_str());
}

TEST(CsvWriterTest, CreateFailsInMissingDirectory) {
  auto writer = CsvWriter::Create("/nonexistent/dir/out.csv");
  ASSERT_FALSE(writer.ok());
  EXPECT_THAT(writer.status().message(), HasSubstr("/nonexistent/dir/out.csv"));
}

}  // namespace
}  // namespace zx
