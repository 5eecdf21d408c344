#include "Logging.h"

Q_LOGGING_CATEGORY(lcNet, "natter.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "natter.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModel, "natter.model", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "natter.store", QtInfoMsg)
