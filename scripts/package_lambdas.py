"""Zips each function's bootstrap the way Lambda takes it, checks that it is an aarch64 ELF, and
prints a Markdown table of sizes (stripped binary, zip). Used by scripts/build-lambda.sh.

usage: package_lambdas.py LAMBDA_DIR PROFILE FUNCTION...   (LAMBDA_DIR/<function>/bootstrap)
"""

import io
import os
import sys
import zipfile

EM_AARCH64 = 0xB7


def elf_machine(path):
    with open(path, "rb") as f:
        header = f.read(20)
    if header[:4] != b"\x7fELF":
        return None
    # e_machine: 2 bytes at offset 18, little-endian for aarch64 Linux.
    return int.from_bytes(header[18:20], "little")


def package(lambda_dir, function):
    bootstrap = os.path.join(lambda_dir, function, "bootstrap")
    if not os.path.isfile(bootstrap):
        sys.exit(f"{bootstrap}: missing")
    machine = elf_machine(bootstrap)
    if machine != EM_AARCH64:
        sys.exit(f"{bootstrap}: not an aarch64 ELF (e_machine {machine})")
    archive = os.path.join(lambda_dir, f"{function}.zip")
    with open(archive, "wb") as f:
        f.write(lambda_zip(bootstrap))
    return os.path.getsize(bootstrap), os.path.getsize(archive)


def lambda_zip(binary):
    """The deployment package Lambda takes: the binary as an executable `bootstrap` (deflate 9,
    fixed timestamp so equal binaries give equal zips). Also used by bench/bench.py."""
    info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o100755 << 16  # a regular, executable file
    info.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with open(binary, "rb") as src, zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(info, src.read(), compresslevel=9)
    return buffer.getvalue()


def mib(n):
    return f"{n / 1048576:.2f} MiB"


def main():
    lambda_dir, profile, functions = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows = [(f, *package(lambda_dir, f)) for f in functions]
    print(f"Cargo profile `{profile}`, aarch64 (checked), as Lambda takes them.\n")
    print("| function | bootstrap (arm64, stripped) | zipped |")
    print("|---|---:|---:|")
    for name, raw, zipped in rows:
        print(f"| {name} | {mib(raw)} | {mib(zipped)} |")
    total = sum(z for _, _, z in rows)
    print(f"| **all {len(rows)}** | | {mib(total)} |")


if __name__ == "__main__":
    main()
