// The About dialog: Natter's name, version, a line on what it is, and its
// licence (MIT). Opened from the window's Help menu; owned by whoever opens it.
#pragma once

#include <QDialog>

namespace Natter {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // "Natter 1.2.3" as shown.
    QString versionText() const;
};

} // namespace Natter
