#pragma once
// An inline message bar at the top of the window, in the manner of KDE's KMessageWidget: an icon,
// the message (selectable, word-wrapped) and a close button, hidden until there is something to say.
// It replaces modal boxes for errors the user can act on without stopping (a model that did not
// open, an export that failed): the window stays usable underneath.
#include <QFrame>

class QLabel;
class QToolButton;

class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBar(QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& text);
    Kind kind() const { return kind_; }
    QString text() const;

public slots:
    void dismiss();

private:
    Kind kind_ = Kind::Information;
    QLabel* icon_;
    QLabel* text_;
    QToolButton* close_;
};
