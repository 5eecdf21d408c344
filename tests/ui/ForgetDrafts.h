// Drafts outlive the window: they are kept in the account's LocalStore, so a
// test that signs the same profile in again would find in its composer what an
// earlier test left typed there. Each suite's cleanup() calls this before its
// clients go.
#pragma once

#include "app/DesktopController.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/MessageActions.h"
#include "models/ChannelListModel.h"
#include "session/ChatSession.h"

#include <QSignalBlocker>

inline void forgetDrafts(const Natter::DesktopController *controller)
{
    if (!controller || !controller->window() || !controller->chat())
        return;
    Natter::ChatWindow *window = controller->window();
    window->messageActions()->cancelEdit();
    {
        const QSignalBlocker block(window->composer());
        window->composer()->clear();
    }
    const auto *channels = controller->chat()->channels();
    for (int i = 0; i < channels->rowCount(); ++i)
        controller->chat()->setDraft(
            channels->index(i).data(Natter::ChannelListModel::IdRole).toString(), {});
}
