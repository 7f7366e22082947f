#!/usr/bin/env python3
"""Writes a wheel made by hand (a zip of one module and its dist-info) for the e2e tests that
install Python packages with no index on the internet:

  make_wheel.py DIR GREETING     DIR/hello_sbx-1.0-py3-none-any.whl, whose hello_sbx.hi() returns GREETING
"""
import base64
import hashlib
import os
import sys
import zipfile

NAME = "hello_sbx-1.0-py3-none-any.whl"


def make_wheel(directory, greeting):
    files = {
        "hello_sbx/__init__.py": f"def hi():\n    return {greeting!r}\n",
        "hello_sbx-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: hello-sbx\nVersion: 1.0\n",
        "hello_sbx-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = ""
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record += f"{name},sha256={digest},{len(text.encode())}\n"
    files["hello_sbx-1.0.dist-info/RECORD"] = record + "hello_sbx-1.0.dist-info/RECORD,,\n"
    os.makedirs(directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(directory, NAME), "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    make_wheel(sys.argv[1], sys.argv[2])
