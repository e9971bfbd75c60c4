// The ONE mapping from StatusCode to an HTTP status (STYLE.md: errors).
//
// kInvalidArgument 400, kPermissionDenied 403, kNotFound 404,
// kAlreadyExists/kConflict/kFailedPrecondition 409, kResourceExhausted 429
// (lockout, quotas; oversized bodies are refused by the server with 413
// before any handler runs), kUnavailable 503, kDataLoss/kInternal 500.
// Thread-safety: pure function.
#pragma once

#include "common/status.h"

namespace zx::http {

/// The HTTP status for a Status code (200 for kOk).
int HttpStatusFor(StatusCode code);

}  // namespace zx::http
