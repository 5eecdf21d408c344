// The logging category of natterd's multi-node parts (Redis, cluster fan-out).
// Lines follow ServerLog's format: `event=...` first, then key=value pairs.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServerCluster)
