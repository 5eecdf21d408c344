// The message composer: Enter sends, Shift+Enter starts a new line.
#pragma once

#include <QPlainTextEdit>

namespace Natter {

class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

Q_SIGNALS:
    // Enter was pressed (without Shift) on a non-empty draft.
    void submitted();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace Natter
