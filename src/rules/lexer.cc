#include "rules/lexer.h"

#include <fmt/format.h>

#include <limits>

namespace zx::rules {
namespace {

// Decodes one UTF-8 sequence at text[pos]; returns its length, or 0 if invalid.
std::size_t Utf8Length(std::string_view text, std::size_t pos, char32_t* code_point) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  char32_t value = 0;
  if (byte < 0x80) {
    *code_point = byte;
    return 1;
  } else if ((byte & 0xE0) == 0xC0) {
    length = 2;
    value = byte & 0x1F;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
    value = byte & 0x0F;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
    value = byte & 0x07;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  Lexer(std::string_view text, std::vector<Diagnostic>* diagnostics)
      : text_(text), diagnostics_(diagnostics) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= text_.size()) break;
      Token token;
      token.line = line_;
      token.column = column_;
      if (LexOne(&token)) tokens.push_back(std::move(token));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.line = line_;
    end.column = column_;
    tokens.push_back(end);
    return tokens;
  }

 private:
  void Error(int line, int column, std::string message) {
    diagnostics_->push_back({line, column, DiagnosticKind::kLexical, std::move(message)});
  }

  // Advances over one code point (or one invalid byte), keeping line/column.
  void Advance() {
    char32_t code_point = 0;
    std::size_t length = Utf8Length(text_, pos_, &code_point);
    if (length == 0) length = 1;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    pos_ += length;
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance();
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') {
          char32_t code_point = 0;
          if (Utf8Length(text_, pos_, &code_point) == 0) {
            Error(line_, column_, "注释中含有无效的 UTF-8 字节");
          }
          Advance();
        }
      } else {
        return;
      }
    }
  }

  bool Match(std::string_view what) {
    if (text_.substr(pos_, what.size()) != what) return false;
    for (std::size_t k = 0; k < what.size();) {
      const std::size_t before = pos_;
      Advance();
      k += pos_ - before;
    }
    return true;
  }

  bool LexOne(Token* token) {
    const char c = text_[pos_];
    if (IsIdentStart(c)) {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (IsIdentStart(text_[pos_]) || IsDigit(text_[pos_]))) Advance();
      token->kind = TokenKind::kIdentifier;
      token->text = std::string(text_.substr(start, pos_ - start));
      if (token->text.size() > 128) {
        Error(token->line, token->column, "标识符过长（最多 128 个字符）");
        return false;
      }
      return true;
    }
    if (IsDigit(c)) return LexNumber(token);
    if (c == '"') return LexString(token);
    struct Punct {
      std::string_view text;
      TokenKind kind;
    };
    static constexpr Punct kPuncts[] = {
        {"==", TokenKind::kEqual},        {"!=", TokenKind::kNotEqual},  {"<=", TokenKind::kLessEqual},
        {">=", TokenKind::kGreaterEqual}, {"<", TokenKind::kLess},       {">", TokenKind::kGreater},
        {"(", TokenKind::kLeftParen},     {")", TokenKind::kRightParen}, {"{", TokenKind::kLeftBrace},
        {"}", TokenKind::kRightBrace},    {",", TokenKind::kComma},      {":", TokenKind::kColon},
        {".", TokenKind::kDot},           {"+", TokenKind::kPlus},       {"-", TokenKind::kMinus},
        {"*", TokenKind::kStar},          {"/", TokenKind::kSlash},
    };
    for (const Punct& punct : kPuncts) {
      if (Match(punct.text)) {
        token->kind = punct.kind;
        return true;
      }
    }
    char32_t code_point = 0;
    const std::size_t length = Utf8Length(text_, pos_, &code_point);
    if (length == 0) {
      Error(token->line, token->column, "无效的 UTF-8 字节");
    } else if (c == '=') {
      Error(token->line, token->column, "“=” 不是运算符，比较相等请写 “==”");
    } else if (code_point == U'“' || code_point == U'”') {
      Error(token->line, token->column, "请使用英文双引号 \" 表示字符串，不能用中文引号");
    } else {
      Error(token->line, token->column, fmt::format("无法识别的字符 “{}”", text_.substr(pos_, length)));
    }
    Advance();
    return false;
  }

  bool LexNumber(Token* token) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 10000;
    std::int64_t whole = 0;
    bool overflow = false;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) {
      if (whole > kMax) overflow = true;
      if (!overflow) whole = whole * 10 + (text_[pos_] - '0');
      Advance();
    }
    int decimals = 0;
    std::int64_t fraction = 0;
    bool has_dot = false;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
      has_dot = true;
      Advance();
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        if (decimals < 3) fraction = fraction * 10 + (text_[pos_] - '0');
        ++decimals;
        Advance();
      }
    }
    const bool money = Match("元");
    if (pos_ < text_.size() && (IsIdentStart(text_[pos_]) || IsDigit(text_[pos_]))) {
      Error(token->line, token->column, "数字后面紧跟着字母，请用空格分开");
      return false;
    }
    if (overflow) {
      Error(token->line, token->column, "数字过大");
      return false;
    }
    if (has_dot && !money) {
      Error(token->line, token->column, "小数只能用于金额，请在数字后加 “元”，如 6700.50元");
      return false;
    }
    if (decimals > 2) {
      Error(token->line, token->column, "金额最多两位小数（分）");
      return false;
    }
    if (money) {
      if (decimals == 1) fraction *= 10;
      token->kind = TokenKind::kMoney;
      token->value = whole * 100 + fraction;
    } else {
      token->kind = TokenKind::kInteger;
      token->value = whole;
    }
    return true;
  }

  bool LexString(Token* token) {
    Advance();  // opening quote
    std::string value;
    bool ok = true;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') {
        Error(token->line, token->column, "字符串没有结束的双引号");
        return false;
      }
      const char c = text_[pos_];
      if (c == '"') {
        Advance();
        break;
      }
      if (c == '\\') {
        const int line = line_, column = column_;
        Advance();
        if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\\')) {
          value += text_[pos_];
          Advance();
        } else if (pos_ < text_.size() && text_[pos_] == 'n') {
          value += '\n';
          Advance();
        } else {
          Error(line, column, "字符串中只能使用 \\\"、\\\\ 和 \\n 转义");
          ok = false;
        }
        continue;
      }
      char32_t code_point = 0;
      const std::size_t length = Utf8Length(text_, pos_, &code_point);
      if (length == 0) {
        Error(line_, column_, "字符串中含有无效的 UTF-8 字节");
        ok = false;
        Advance();
        continue;
      }
      value.append(text_.substr(pos_, length));
      Advance();
    }
    if (!ok) return false;
    token->kind = TokenKind::kString;
    token->text = std::move(value);
    return true;
  }

  std::string_view text_;
  std::vector<Diagnostic>* diagnostics_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<Token> Lex(std::string_view text, std::vector<Diagnostic>* diagnostics) {
  if (text.size() > kMaxRuleTextBytes) {
    diagnostics->push_back(
        {1, 1, DiagnosticKind::kLimit,
         fmt::format("规则文本过大（{} 字节，上限 {} 字节）", text.size(), kMaxRuleTextBytes)});
    Token end;
    return {end};
  }
  return Lexer(text, diagnostics).Run();
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kIdentifier:
      return "“" + token.text + "”";
    case TokenKind::kInteger:
      return "整数";
    case TokenKind::kMoney:
      return "金额";
    case TokenKind::kString:
      return "字符串";
    case TokenKind::kLeftParen:
      return "“(”";
    case TokenKind::kRightParen:
      return "“)”";
    case TokenKind::kLeftBrace:
      return "“{”";
    case TokenKind::kRightBrace:
      return "“}”";
    case TokenKind::kComma:
      return "“,”";
    case TokenKind::kColon:
      return "“:”";
    case TokenKind::kDot:
      return "“.”";
    case TokenKind::kPlus:
      return "“+”";
    case TokenKind::kMinus:
      return "“-”";
    case TokenKind::kStar:
      return "“*”";
    case TokenKind::kSlash:
      return "“/”";
    case TokenKind::kEqual:
      return "“==”";
    case TokenKind::kNotEqual:
      return "“!=”";
    case TokenKind::kLess:
      return "“<”";
    case TokenKind::kLessEqual:
      return "“<=”";
    case TokenKind::kGreater:
      return "“>”";
    case TokenKind::kGreaterEqual:
      return "“>=”";
    case TokenKind::kEnd:
      return "文件结尾";
  }
  return "记号";
}

}  // namespace zx::rules
