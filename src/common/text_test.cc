#include "common/text.h"

#include <gtest/gtest.h>

#include "common/text_internal.h"

namespace zx {
namespace {

TEST(Utf8Test, Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("青海省西宁市"));
  EXPECT_TRUE(IsValidUtf8("\xF0\xA0\x80\x80"));   // U+20000
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE9\x9D"));       // truncated
  EXPECT_FALSE(IsValidUtf8("\xD0\xD5\xC3\xFB"));  // "姓名" in GBK
  EXPECT_FALSE(IsValidUtf8("abcdefgh\x80"));      // stray continuation after the fast path
}

TEST(Utf8Test, DecodeAndAppendRoundTrip) {
  const std::string text = "a·青\xF0\xA0\x80\x80";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, pos), U'a');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u00B7');
  EXPECT_EQ(DecodeUtf8(text, pos), U'青');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\U00020000');
  EXPECT_EQ(pos, text.size());
  std::string out;
  for (char32_t c : {U'a', U'\u00B7', U'青', U'\U00020000'}) AppendUtf8(c, out);
  EXPECT_EQ(out, text);
}

TEST(Utf8Test, MalformedBytesDecodeAsReplacementOneByteAtATime) {
  const std::string text = "\xFF\xE9\x9Dx";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, pos), U'\uFFFD');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(DecodeUtf8(text, pos), U'\uFFFD');
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(Utf8Length(text), 4u);
  EXPECT_EQ(Utf8Length("青海 abc"), 6u);
}

TEST(Utf8Test, ValidPrefixDistinguishesTruncationFromGarbage) {
  bool truncated = false;
  const std::string cut = "ab\xE9\x9D";  // first two bytes of 青 (E9 9D 92)
  EXPECT_EQ(Utf8ValidPrefix(cut.data(), cut.size(), &truncated), 2u);
  EXPECT_TRUE(truncated);
  const std::string garbage = "ab\xFF\x41";
  EXPECT_EQ(Utf8ValidPrefix(garbage.data(), garbage.size(), &truncated), 2u);
  EXPECT_FALSE(truncated);
  const std::string bad_second = "ab\xE9\x41";
  EXPECT_EQ(Utf8ValidPrefix(bad_second.data(), bad_second.size(), &truncated), 2u);
  EXPECT_FALSE(truncated);
  const std::string whole = "青海";
  EXPECT_EQ(Utf8ValidPrefix(whole.data(), whole.size(), &truncated), whole.size());
}

TEST(TextTest, TrimText) {
  EXPECT_EQ(TrimText("  abc \t\r\n"), "abc");
  EXPECT_EQ(TrimText("\u3000张三\u3000"), "张三");
  EXPECT_EQ(TrimText("\u00A0 6300 \u00A0"), "6300");
  EXPECT_EQ(TrimText("张 三"), "张 三");  // inner spaces stay
  EXPECT_EQ(TrimText("\u3000 \u00A0"), "");
  EXPECT_EQ(TrimText(""), "");
}

TEST(TextTest, NormalizeWidth) {
  EXPECT_EQ(NormalizeWidth("６３０１０２１９９００１０１００１ｘ"), "63010219900101001x");
  EXPECT_EQ(NormalizeWidth("６３０１"), "6301");
  EXPECT_EQ(NormalizeWidth("ＡＢＣｘｙｚ！～"), "ABCxyz!~");
  EXPECT_EQ(NormalizeWidth("张\u3000三"), "张 三");
  EXPECT_EQ(NormalizeWidth("（一）"), "(一)");
  // Outside the range: U+FF00 and U+FF5F stay, as do CJK and malformed bytes.
  EXPECT_EQ(NormalizeWidth("\uFF00\uFF5F青"), "\uFF00\uFF5F青");
  EXPECT_EQ(NormalizeWidth("\xEF\xBC"), "\xEF\xBC");
}

TEST(TextTest, NormalizeNameDots) {
  const std::string expected = "阿卜杜拉·买买提";
  for (const char* dot : {"\u00B7", "\u2027", "\u30FB", "\uFF65", "\u2022", "\u22C5", ".", "\uFF0E"}) {
    EXPECT_EQ(NormalizeNameDots(std::string("阿卜杜拉") + dot + "买买提"), expected) << dot;
  }
  EXPECT_EQ(NormalizeNameDots("阿卜杜拉 . 买买提"), expected);
  EXPECT_EQ(NormalizeNameDots("阿卜杜拉..买买提"), expected);
  EXPECT_EQ(NormalizeNameDots("才让 多杰"), "才让 多杰");  // spaces alone are not dots
  EXPECT_EQ(NormalizeNameDots(".张三."), ".张三.");        // not between name parts
  EXPECT_EQ(NormalizeNameDots("张三"), "张三");
}

TEST(TextTest, NormalizeFieldWidensThenTrims) {
  EXPECT_EQ(NormalizeField("\u3000６７００\u3000"), "6700");
  EXPECT_EQ(NormalizeField("  城关镇 "), "城关镇");
  EXPECT_EQ(NormalizeField("\u00A0ａ\u00A0"), "a");
}

}  // namespace
}  // namespace zx
