#include "cli/division_option.h"

#include <fmt/format.h>

namespace zx::cli {

Result<Division> FindDivisionInStore(Store& store, DivisionCode code, const std::string& db) {
  ASSIGN_OR_RETURN(auto found, store.ListDivisions(DivisionScope{code, code}));
  if (found.empty()) {
    return InvalidArgument(fmt::format("--division：行政区划代码 {} 在数据库 {} 中不存在", code, db));
  }
  return found.front();
}

}  // namespace zx::cli
