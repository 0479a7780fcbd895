#!/usr/bin/env python3
"""Disassembles a C2-compiled method from HotSpot's -XX:CompileCommand=print output.

Where no working hsdis library is installed, HotSpot prints a compiled method's machine code as hex
words. This script takes the first C2 ("Compiled method (c2)") block for METHOD from that output,
writes its main code as raw bytes and disassembles them with objdump (Intel syntax, offsets from the
method's first byte), then counts the instructions laid out from the verified entry point to the first
`ret`. That count is the executed path only where the listing shows the compiler laid the common case out
first with every jump in between leaving it; read the listing before quoting it.

    java -jar benchmarks/target/benchmarks.jar '\\.ConcurrentMapBenchmark\\.getHit$' \\
         -p impl=StripedMap -p keyType=Integer -p size=1000 -f 1 -wi 2 -w 1s -i 1 -r 1s \\
         -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions \\
             -XX:CompileCommand=print,io.github.stripedmap.concurrent.StripedMap::get" > print.txt
    python3 scripts/adhoc/nmethod-disasm.py print.txt StripedMap::get
"""
import re
import subprocess
import sys
import tempfile

HEX_LINE = re.compile(r"\s+0x([0-9a-f]+): ((?:[0-9a-f]{2,8}\s*\|?\s*)+)$")
INSTRUCTION = re.compile(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*(\S.*)$")
VERIFIED_ENTRY = "[Verified Entry Point]"


def main_code(lines, method):
    """The bytes of the first C2 block for `method` and the offset of its verified entry point."""
    start = next(i for i, l in enumerate(lines) if "Compiled method (c2)" in l and method in l)
    code = bytearray()
    entry = None
    in_code = False
    for line in lines[start:]:
        if line.startswith("[MachCode]"):
            in_code = True
        elif line.startswith(("[/MachCode]", "[Stub Code]", "[Exception Handler]")):
            break
        elif in_code and line.startswith(VERIFIED_ENTRY):
            entry = len(code)
        elif in_code:
            m = HEX_LINE.match(line)
            if m:
                for word in m.group(2).replace("|", " ").split():
                    code += bytes.fromhex(word)
    return bytes(code), entry or 0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    lines = open(sys.argv[1]).read().split("\n")
    code, entry = main_code(lines, sys.argv[2])
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        listing = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", f.name],
                                 capture_output=True, text=True, check=True).stdout
    print(listing)
    instructions = [(int(m.group(1), 16), m.group(2)) for m in map(INSTRUCTION.match, listing.split("\n")) if m]
    path = []
    for offset, text in instructions:
        if offset >= entry:
            path.append(text)
            if text.startswith("ret"):
                break
    print(f"main code {len(code)} bytes; entry point at {entry:#x}; laid out from the entry to the first ret: {len(path)} instructions, "
          f"{sum('rsp+' in t for t in path)} stack accesses, {sum(t.startswith('movabs') for t in path)} movabs, "
          f"{sum(t.startswith('j') for t in path)} jumps")


if __name__ == "__main__":
    main()
