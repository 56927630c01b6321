"""The query page's third-party files: YASGUI from the npm registry, pinned by version and
integrity hash, fetched at install time (``make``, the wheel build) and never at run time.

The files are placed in the package (``idmgraph/_vendor/yasgui``) and never committed; where they
cannot be had, the server falls back to its own plain query form and says so. This module uses
the standard library only: setup.py runs it by path, before idmgraph is importable.

Run ``python src/idmgraph/serve/vendor.py DEST`` to fetch into ``DEST/yasgui``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

__all__ = ["YASGUI", "fetch", "installed", "installed_yasgui", "read_pin"]

# @zazuko/yasgui (MIT, https://github.com/rdfjs/Yasgui): one bundle carrying its editor (YASQE)
# and result views (YASR). The integrity is npm's own (`npm view @zazuko/yasgui@4.6.2
# dist.integrity`): a tarball that hashes otherwise is refused.
YASGUI = {
    "package": "@zazuko/yasgui",
    "version": "4.6.2",
    "integrity": (
        "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="
    ),
    "license": "MIT",
    "files": ["build/yasgui.min.js", "build/yasgui.min.css"],
}
MAX_TARBALL_BYTES = 20 * 1024 * 1024
PIN_FILE = "PIN.json"


def tarball_url(pin: dict = YASGUI) -> str:
    """The tarball's address on the npm registry (``IDMGRAPH_NPM_REGISTRY`` names a mirror)."""
    registry = os.environ.get("IDMGRAPH_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
    name = pin["package"].rsplit("/", 1)[-1]
    return f"{registry}/{pin['package']}/-/{name}-{pin['version']}.tgz"


def integrity_of(data: bytes) -> str:
    """npm's Subresource-Integrity form of a tarball: ``sha512-`` and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def unpack(data: bytes, dest: Path, pin: dict = YASGUI) -> Path:
    """The pinned files of a verified tarball written into ``dest`` with a PIN.json saying what
    they are (package, version, integrity, sha256 of each file). Only the named members are
    read: nothing else of the archive reaches the disk."""
    if integrity_of(data) != pin["integrity"]:
        raise ValueError(
            f"{pin['package']}@{pin['version']}: the tarball's hash {integrity_of(data)} is not the "
            f"pinned {pin['integrity']}"
        )
    staged = Path(tempfile.mkdtemp(prefix=".yasgui-", dir=dest.parent))
    try:
        digests = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in pin["files"]:
                found = archive.extractfile("package/" + member)
                if found is None:
                    raise ValueError(f"{pin['package']}@{pin['version']}: no file {member}")
                content = found.read()
                name = Path(member).name
                (staged / name).write_bytes(content)
                digests[name] = hashlib.sha256(content).hexdigest()
        record = {k: pin[k] for k in ("package", "version", "integrity", "license")}
        record |= {"source": tarball_url(pin), "files": digests}
        (staged / PIN_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        staged.rename(dest)
        dest.chmod(0o755)  # mkdtemp made it private
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return dest


def fetch(into: Path, pin: dict = YASGUI, timeout: float = 60.0) -> Path:
    """Fetch the pinned tarball, verify it and unpack its files into ``into/yasgui``; a copy
    that is already there and matches the pin is kept as it is (nothing fetched)."""
    dest = Path(into) / "yasgui"
    if installed(dest, pin):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(tarball_url(pin), timeout=timeout) as answer:  # noqa: S310 (https, pinned)
        data = answer.read(MAX_TARBALL_BYTES + 1)
    if len(data) > MAX_TARBALL_BYTES:
        raise ValueError(f"{tarball_url(pin)}: passes {MAX_TARBALL_BYTES:,} bytes")
    return unpack(data, dest, pin)


def read_pin(folder: Path) -> dict | None:
    """What PIN.json in ``folder`` says, or None where there is none that can be read."""
    try:
        return json.loads((Path(folder) / PIN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def installed(folder: Path, pin: dict = YASGUI) -> bool:
    """Whether ``folder`` holds the pinned version's files, each with the hash it was unpacked with."""
    record = read_pin(folder)
    if not record or record.get("version") != pin["version"] or record.get("integrity") != pin["integrity"]:
        return False
    for name, digest in record.get("files", {}).items():
        path = Path(folder) / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return len(record.get("files", {})) == len(pin["files"])


def installed_yasgui() -> Path | None:
    """The installed package's YASGUI folder, or None where the install could not fetch it."""
    from importlib import resources

    folder = Path(str(resources.files("idmgraph"))) / "_vendor" / "yasgui"
    return folder if installed(folder) else None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: vendor.py DEST   (fetches YASGUI into DEST/yasgui)", file=sys.stderr)
        return 2
    try:
        dest = fetch(Path(argv[0]))
    except (OSError, ValueError) as exc:
        # the page falls back to its own form: an install without the registry still works
        print(f"warning: YASGUI not installed ({exc}); the query page uses its plain form", file=sys.stderr)
        return 0
    print(f"YASGUI {YASGUI['version']} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
