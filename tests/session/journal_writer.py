"""Child process for the crash tests: writes a burst, printing each id once it is durable.

Usage: journal_writer.py PATH THREADS [--compact-every N] [--on-disk]
Several threads insert at once (so group commit is exercised); a line on stdout means the
record was acknowledged, i.e. synced. The parent kills this process with SIGKILL mid-burst.
"""

import sys
import threading
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tinydb.table import Document

from session.journal import JournalDB

path, threads = sys.argv[1], int(sys.argv[2])
compact_every = int(sys.argv[sys.argv.index("--compact-every") + 1]) \
    if "--compact-every" in sys.argv else 0
on_disk = "--on-disk" in sys.argv
# On disk, as the session store keeps its answers: rewrites then go to a small table.
db = JournalDB(path, sync_on_write=False, on_disk=("answers",) if on_disk else ())
table = db.table("answers")
touched = db.table("state") if on_disk else table
lock = threading.Lock()  # TinyDB is not thread-safe; the service holds a lock the same way
out_lock = threading.Lock()
count = 0


def burst() -> None:
    global count
    while True:
        cid = uuid.uuid4().hex
        with lock:
            table.insert({"cid": cid, "text": "antwoord " * 8})
            # Rewrite one document now and then, so the diffing write path and the dead
            # records that trigger compaction are part of the crash test too.
            count += 1
            if count % 7 == 0:
                touched.upsert(Document({"touched": count}, doc_id=1))
            if compact_every and count % compact_every == 0:
                db.journal.compact()
        db.journal.sync()
        with out_lock:
            sys.stdout.write(cid + "\n")
            sys.stdout.flush()


print("ready", flush=True)
for _ in range(threads):
    threading.Thread(target=burst, daemon=True).start()
threading.Event().wait()
