"""The domain stays plain Python: importing it loads no UI or web library."""

import subprocess
import sys


def test_session_imports_no_ui_or_web_library():
    code = (
        "import sys, session.service, session.pack, session.aggregate, session.store;"
        "print(','.join(sorted(m for m in ('textual','flask','socketio','engineio','plotly',"
        "'flask_socketio') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
