"""Zip the offline build for download.

``python scripts/make_zip.py BUILD_DIR ZIP_PATH`` packs every file of the
offline build below one top-level folder (``handbook/``), in sorted order with
fixed timestamps, so the same build gives the same bytes. The archive is
written to a temporary file and renamed into place: a failed run never leaves
a half-written zip.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

TOP = "handbook"
EPOCH = (1980, 1, 1, 0, 0, 0)


def make_zip(build_dir: Path, zip_path: Path) -> int:
    """Write ``zip_path`` from ``build_dir``; return the number of files."""
    if not (build_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"{build_dir}: no index.html here (build the offline site first:"
            " OFFLINE=true mkdocs build --site-dir " + str(build_dir) + ")"
        )
    files = sorted(p for p in build_dir.rglob("*") if p.is_file())
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=zip_path.parent, suffix=".part")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                name = f"{TOP}/{path.relative_to(build_dir).as_posix()}"
                info = zipfile.ZipInfo(name, date_time=EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the site is public
        os.replace(tmp, zip_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("zip_path", type=Path)
    args = parser.parse_args(argv)
    try:
        count = make_zip(args.build_dir, args.zip_path)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.zip_path}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
