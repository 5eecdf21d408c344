#!/usr/bin/python3
# Walks the accessible tree of one running application over AT-SPI (pyatspi, on
# the session bus the test runs on) and reports every control a screen reader
# could not present: one without a role, or an interactive one without a name.
# Used by tst_Accessibility, which keeps its own event loop running meanwhile.
#
#   atspi_walk.py PID [SECONDS]
# Prints "checked N" and one "PROBLEM role path" line per problem; exits 1 when
# there is any, 2 when the application never appeared on the bus.
import sys
import time

import pyatspi

# Controls a person operates: each needs a name to be announced. (Containers,
# labels and separators carry no name of their own; list, table and tree rows
# are named by the data they show and are not walked.)
NAMED_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_ENTRY, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX,
    pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_PAGE_TAB,
    pyatspi.ROLE_MENU, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
    pyatspi.ROLE_RADIO_MENU_ITEM, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_DIALOG, pyatspi.ROLE_FRAME,
}
ROWS_OF = {pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE,
           pyatspi.ROLE_TREE_TABLE}
# No role at all. (Qt presents grips — a splitter handle, a size grip — as
# "unknown", AT-SPI having no grip role: those must at least be named.)
NO_ROLE = {pyatspi.ROLE_INVALID}


def find_app(pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an application leaving the bus meanwhile
                pass
        # The application registers with the AT-SPI registry on its own; there
        # is no signal to wait on from here.
        time.sleep(0.2)
    return None


def walk(node, path, problems, counter):
    try:
        role = node.getRole()
        name = node.name or ""
        showing = node.getState().contains(pyatspi.STATE_SHOWING)
        count = node.childCount
    except Exception as error:  # noqa: BLE001 - report, do not stop the walk
        problems.append(f"PROBLEM unreadable {path}: {error}")
        return
    if not showing and path:
        return  # not on screen (a closed menu's entries, a hidden bar)
    counter[0] += 1
    label = f"{path}/{node.getRoleName()}[{name}]"
    if role in NO_ROLE:
        problems.append(f"PROBLEM no-role {label}")
    elif role == pyatspi.ROLE_UNKNOWN and not name.strip():
        problems.append(f"PROBLEM unknown-role-without-name {label}")
    elif role in NAMED_ROLES and not name.strip():
        problems.append(f"PROBLEM no-name {label}")
    if role in ROWS_OF:
        return
    for i in range(count):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, label, problems, counter)


def main():
    pid = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    app = find_app(pid, seconds)
    if app is None:
        print(f"application {pid} is not on the AT-SPI bus", flush=True)
        return 2
    problems = []
    counter = [0]
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None:
            walk(window, "", problems, counter)
    print(f"checked {counter[0]}", flush=True)
    for p in problems:
        print(p, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
