#!/usr/bin/python3
# Copied from the workplace's shared/tools so the suite runs from a clone alone.
"""A stand-in desktop notification daemon for tests: owns org.freedesktop.Notifications on the
session bus and appends every Notify call to a JSON-lines file, so a test can assert what the
app showed. Needs Debian's python3-dbus and python3-gi; run it inside `dbus-run-session`.

Usage: notify-capture.py LOG_FILE   (prints "ready" once it owns the name)"""
import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.Notifications"


class Daemon(dbus.service.Object):
    def __init__(self, bus, log):
        self.log, self.last_id = log, 0
        super().__init__(dbus.service.BusName(IFACE, bus), "/org/freedesktop/Notifications")

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, timeout):
        self.last_id += 1
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"id": self.last_id, "app_name": str(app_name), "summary": str(summary),
                                "body": str(body), "actions": [str(a) for a in actions]}) + "\n")
        return self.last_id

    @dbus.service.method(IFACE, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body", "actions"]

    @dbus.service.method(IFACE, in_signature="u", out_signature="")
    def CloseNotification(self, notification_id):
        self.NotificationClosed(notification_id, 3)

    @dbus.service.method(IFACE, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("notify-capture", "caredesk-tests", "1.0", "1.2")

    @dbus.service.signal(IFACE, signature="uu")
    def NotificationClosed(self, notification_id, reason):
        pass

    @dbus.service.signal(IFACE, signature="us")
    def ActionInvoked(self, notification_id, action_key):
        pass


if __name__ == "__main__":
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    Daemon(dbus.SessionBus(), sys.argv[1])
    print("ready", flush=True)
    GLib.MainLoop().run()
