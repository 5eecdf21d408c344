// The bar above the composer while a reply is being written (§7 send.reply_to):
// says whom and what it answers, and offers a Cancel button (reachable with Tab)
// besides the Esc key. Owned by ChatWindow, which sets and clears the target.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace Natter {

class ReplyBar : public QFrame
{
    Q_OBJECT
public:
    explicit ReplyBar(QWidget *parent = nullptr);

    // Shows the bar for a reply to message `messageId` by `author`.
    void setTarget(const QString &messageId, const QString &author, const QString &excerpt);
    // Hides the bar; targetId() is empty afterwards.
    void clear();
    QString targetId() const { return m_targetId; }
    QString text() const;
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    // The person asked not to reply after all (the Cancel button).
    void cancelRequested();

private:
    QLabel *m_label;
    QPushButton *m_cancel;
    QString m_targetId;
};

} // namespace Natter
