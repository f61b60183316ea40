"""Watches a rectangle of the X screen and prints when its pixels change: what the agent
actually sees, not what the page's script knows. Runs with the system Python (GTK's Gdk).

    paint_watch.py X Y WIDTH HEIGHT SECONDS [FRAMES_DIR]

Prints "ready" once watching, then, at the end, a JSON list of the CLOCK_MONOTONIC times
(seconds, comparable with Python's time.perf_counter) at which the rectangle changed.
With FRAMES_DIR, each changed picture is saved there too (N.png, N counting the changes),
to see what changed."""

import hashlib
import json
import os
import sys
import time

import gi

gi.require_version("Gdk", "3.0")
from gi.repository import Gdk  # noqa: E402


def main():
    x, y, width, height, seconds = (int(v) for v in sys.argv[1:6])
    frames = sys.argv[6] if len(sys.argv) > 6 else None
    if frames:
        os.makedirs(frames, exist_ok=True)
    root = Gdk.get_default_root_window()
    changes = []
    last = None
    print("ready", flush=True)
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pixbuf = Gdk.pixbuf_get_from_window(root, x, y, width, height)
        now = time.perf_counter()
        digest = hashlib.blake2b(pixbuf.get_pixels(), digest_size=8).digest() if pixbuf else None
        if digest != last:
            changes.append(now)
            last = digest
            if frames and pixbuf and len(changes) <= 60:
                pixbuf.savev(os.path.join(frames, f"{len(changes)}.png"), "png", [], [])
        time.sleep(0.002)
    print(json.dumps(changes), flush=True)


if __name__ == "__main__":
    main()
