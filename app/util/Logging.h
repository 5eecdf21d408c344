// Named logging categories of the client core. Never log a token or a password,
// and never message text at info level or above.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcNet) // natter.net
Q_DECLARE_LOGGING_CATEGORY(lcAuth) // natter.auth
Q_DECLARE_LOGGING_CATEGORY(lcModel) // natter.model
Q_DECLARE_LOGGING_CATEGORY(lcStore) // natter.store
