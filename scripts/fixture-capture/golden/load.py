"""Load generator for the capture programs that serve real HTTP: load.py BASE SECONDS PATH...
Eight threads request random PATHs (a `{n}` in a path becomes a number 1-100) for SECONDS."""
import random
import sys
import threading
import time
import urllib.error
import urllib.request

base, seconds, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
deadline = time.time() + seconds


def worker(seed):
    rng = random.Random(seed)
    while time.time() < deadline:
        path = rng.choice(paths).replace("{n}", str(rng.randint(1, 100)))
        try:
            urllib.request.urlopen(base + path, timeout=10).read()
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.01)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
