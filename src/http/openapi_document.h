// The OpenAPI document of the API (src/http/openapi.json), embedded at build
// time so the binary serves exactly the committed file.
#pragma once

#include <string_view>

namespace zx::http {

/// The JSON text of src/http/openapi.json.
std::string_view OpenApiDocument();

}  // namespace zx::http
