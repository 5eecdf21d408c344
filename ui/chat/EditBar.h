// The bar above the composer while a message is being edited: says so, and
// offers a Cancel button (reachable with Tab) besides the Esc key. Owned by
// ChatWindow; MessageActions shows and hides it.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace Natter {

class EditBar : public QFrame
{
    Q_OBJECT
public:
    explicit EditBar(QWidget *parent = nullptr);

    QString text() const;
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    // The person asked to stop editing (the Cancel button).
    void cancelRequested();

private:
    QLabel *m_label;
    QPushButton *m_cancel;
};

} // namespace Natter
