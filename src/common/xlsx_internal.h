// Internals of the XLSX reader exposed for unit tests (not public API).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zx {

/// What a number format shows. Dates and times are rendered as ISO text.
enum class NumberFormatKind { kNumber, kDate, kDateTime, kTime };

/// Kind of a built-in number format id (ECMA-376 §18.8.30, plus the zh-CN
/// locale's date ids 27–36 and 50–58 that Chinese Excel saves without a code).
NumberFormatKind BuiltinFormatKind(int num_fmt_id);

/// Kind of a custom format code: y, m, d, h, s outside quotes, brackets and
/// escapes decide (an "m" next to h or s means minutes).
NumberFormatKind ClassifyFormatCode(std::string_view format_code);

/// Shortest decimal text that reads back as `value` ("6700", "1234.5").
std::string FormatExcelNumber(double value);

/// Renders an Excel serial as "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or
/// "HH:MM:SS" for `kind`. 1900 system keeps Excel's fictitious 1900-02-29
/// (serial 60); `date1904` selects the 1904 system. Returns false if the
/// serial is outside 0..9999-12-31.
bool ExcelSerialToText(double serial, bool date1904, NumberFormatKind kind, std::string* out);

/// Decodes the "_xHHHH_" escapes OOXML uses for control characters.
std::string DecodeOoxmlEscapes(std::string_view text);

/// Parses "B3" into a 0-based column and 1-based row; false if malformed or
/// beyond Excel's limits (16,384 columns, 1,048,576 rows).
bool ParseCellReference(std::string_view reference, int* column, std::int64_t* row);

}  // namespace zx
