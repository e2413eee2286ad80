package io.github.erofs4j.initramfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a 64-bit little-endian ELF executable needs to run: its program interpreter and its {@code DT_NEEDED}
 * libraries. Every offset is checked against the file size; a malformed file gives an {@link IOException}.
 */
record ElfNeeded(String interpreter, List<String> needed) {
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    /** True for a file with neither interpreter nor libraries (a static executable). */
    boolean isStatic() {
        return interpreter == null && needed.isEmpty();
    }

    /** True when {@code b} starts with the ELF magic. */
    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    static ElfNeeded parse(byte[] file, String name) throws IOException {
        if (!isElf(file) || file.length < 64) {
            throw new IOException(name + ": not an ELF file");
        }
        if (file[4] != 2 || file[5] != 1) {
            throw new IOException(name + ": not a 64-bit little-endian ELF file");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        if (phentsize < 56 || phoff < 0 || phoff + (long) phentsize * phnum > file.length) {
            throw new IOException(name + ": program headers at byte " + phoff + " lie outside the file");
        }
        String interp = null;
        long dynOff = -1;
        long dynSize = 0;
        List<long[]> loads = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            int type = b.getInt(p);
            long offset = b.getLong(p + 8);
            long vaddr = b.getLong(p + 16);
            long filesz = b.getLong(p + 32);
            if (type == PT_LOAD || type == PT_DYNAMIC || type == PT_INTERP) {
                if (offset < 0 || filesz < 0 || offset + filesz > file.length || offset + filesz < 0) {
                    throw new IOException(name + ": segment " + i + " (bytes " + offset + "+" + filesz
                            + ") lies outside the file");
                }
            }
            switch (type) {
                case PT_LOAD -> loads.add(new long[] {vaddr, offset, filesz});
                case PT_DYNAMIC -> {
                    dynOff = offset;
                    dynSize = filesz;
                }
                case PT_INTERP -> interp = cString(file, offset, offset + filesz, name);
                default -> { }
            }
        }
        List<String> needed = new ArrayList<>();
        if (dynOff >= 0) {
            long strtab = -1;
            List<Long> neededOffsets = new ArrayList<>();
            for (long d = dynOff; d + 16 <= dynOff + dynSize; d += 16) {
                long tag = b.getLong((int) d);
                long val = b.getLong((int) d + 8);
                if (tag == DT_NULL) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    neededOffsets.add(val);
                } else if (tag == DT_STRTAB) {
                    strtab = val;
                }
            }
            if (!neededOffsets.isEmpty()) {
                long strOff = -1;
                for (long[] l : loads) {
                    if (strtab >= l[0] && strtab < l[0] + l[2]) {
                        strOff = strtab - l[0] + l[1];
                    }
                }
                if (strOff < 0) {
                    throw new IOException(name + ": the dynamic string table is in no loaded segment");
                }
                for (long o : neededOffsets) {
                    needed.add(cString(file, strOff + o, file.length, name));
                }
            }
        }
        return new ElfNeeded(interp, List.copyOf(needed));
    }

    private static String cString(byte[] file, long from, long limit, String name) throws IOException {
        if (from < 0 || from >= file.length) {
            throw new IOException(name + ": string at byte " + from + " lies outside the file");
        }
        int end = (int) from;
        while (end < limit && end < file.length && file[end] != 0) {
            end++;
        }
        if (end >= file.length) {
            throw new IOException(name + ": unterminated string at byte " + from);
        }
        return new String(file, (int) from, end - (int) from, StandardCharsets.UTF_8);
    }
}
