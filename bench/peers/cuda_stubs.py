"""Lets PyPI's CUDA build of torch import on a machine without the nvidia-* wheels.

PyPI has no CPU-only torch for Linux x86_64: its wheel links against CUDA libraries that come in
multi-GB nvidia-* packages (libtorch_cpu.so itself needs libcudart and libcupti). setup.sh installs
torch with --no-deps, and this script builds one small stub library that defines every symbol
torch's libraries import but neither torch nor the system provides, and links it into torch/lib
(which is on torch's RPATH) under each missing SONAME (libcudart.so.13, libcublas.so.13, ...).
The stubs are never meant to run: CUDA calls fail with error 100 (cudaErrorNoDevice), so
torch.cuda.is_available() is False, and the error-string getters return a fixed message.

Usage: python cuda_stubs.py SITE_PACKAGES/torch   (needs gcc and binutils' nm/readelf)
"""
import os
import pathlib
import subprocess
import sys
import tempfile

STUB = "libnncc_cuda_stub.so"


def lines(*cmd):
    """A command's standard output, line by line."""
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()


def needed(lib):
    """The DT_NEEDED names of one shared object."""
    return [l.split("[")[1].rstrip("]") for l in lines("readelf", "-dW", lib) if "(NEEDED)" in l]


def system_libs():
    """SONAME -> path for the libraries the distribution itself provides (libc, libstdc++, ...):
    those the loader's cache finds under /lib or /usr/lib. CUDA installed by hand (/usr/local,
    /opt) does not count, so that the stubs are the same whatever CUDA the machine has."""
    out = {}
    for l in lines("/sbin/ldconfig", "-p")[1:]:
        path = l.split("=> ")[-1]
        if "x86-64" in l and path.startswith(("/lib/", "/usr/lib/")):
            out.setdefault(l.split()[0], path)
    return out


def main(torch_dir):
    libdir = pathlib.Path(torch_dir) / "lib"
    ours = sorted(p for p in libdir.glob("*.so*") if not p.is_symlink() and p.name != STUB)
    ours += list(pathlib.Path(torch_dir).glob("_C*.so"))
    system = system_libs()
    names = {p.name for p in ours}
    wanted = sorted({n for p in ours for n in needed(p)})
    missing = [n for n in wanted if n not in names and n not in system]
    if not missing:
        return
    provided = [str(p) for p in ours] + [system[n] for n in wanted if n in system]
    nm = lines("nm", "-D", "--defined-only", *provided)
    defined = {l.split()[2].split("@")[0] for l in nm if len(l.split()) == 3}
    # Undefined imports: name -> (ELF type: FUNC, OBJECT or NOTYPE; symbol version or None).
    imports = {}
    for l in lines("readelf", "--dyn-syms", "-W", *map(str, ours)):
        f = l.split()
        if len(f) >= 8 and f[6] == "UND":
            name, _, version = f[7].partition("@")
            imports.setdefault(name, (f[3], version or None))
    # CPython's API comes from the interpreter that loads torch.
    stubs = sorted(s for s in imports if s not in defined and not s.lstrip("_").startswith("Py"))
    src = ['static const char msg[] = "CUDA is stubbed out (bench/peers/cuda_stubs.py)";']
    versions = {}
    for i, s in enumerate(stubs):
        kind, version = imports[s]
        if version:
            versions.setdefault(version, []).append(s)
        if kind == "OBJECT":
            src.append(f'char o{i}[256] __asm__("{s}");')
        elif s.endswith(("ErrorString", "StatusString", "ErrorName")):
            src.append(f'const char *f{i}(void) __asm__("{s}");')
            src.append(f'const char *f{i}(void) {{ return msg; }}')
        else:
            src.append(f'long f{i}(void) __asm__("{s}"); long f{i}(void) {{ return 100; }}')
    # The loader insists that a versioned import from a library be defined there at that version
    # (cudaMalloc@libcudart.so.13), so the stub carries the same version nodes.
    script = "".join(v + " { global: " + " ".join(f'"{s}";' for s in syms) + " };\n"
                     for v, syms in versions.items())
    with tempfile.TemporaryDirectory() as tmp:
        pathlib.Path(tmp, "stub.c").write_text("\n".join(src) + "\n")
        pathlib.Path(tmp, "stub.map").write_text(script)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-w", f"-Wl,-soname,{STUB}",
                        f"-Wl,--version-script,{tmp}/stub.map", "-o", str(libdir / STUB),
                        f"{tmp}/stub.c"], check=True)
    for n in missing:
        (libdir / n).unlink(missing_ok=True)
        os.symlink(STUB, libdir / n)
    print(f"cuda_stubs: {len(stubs)} symbols stubbed for {', '.join(missing)}")


if __name__ == "__main__":
    main(sys.argv[1])
