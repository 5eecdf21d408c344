#include "cluster/ClusterLog.h"

Q_LOGGING_CATEGORY(lcServerCluster, "natter.server.cluster")
