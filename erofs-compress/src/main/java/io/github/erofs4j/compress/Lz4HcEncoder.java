package io.github.erofs4j.compress;

import java.util.Arrays;

/**
 * erofs4j's high-compression LZ4 encoder, with liblz4's HC levels as mkfs.erofs's {@code -zlz4hc[,level]} takes
 * them: level 0 means the default 9; levels 1 to 9 search hash chains (2 candidates at levels 1 and 2, then
 * doubling up to 256 at level 9) and choose between overlapping matches with a three-match lookahead; levels 10
 * to 12 run an optimal parser that prices literals and matches in bytes over a window of up to 4096 positions
 * (searching 96, 512 and 16384 candidates, and taking matches longer than 64, 128 and 4095 bytes at once; level 12
 * also searches every position). Its choices follow liblz4 1.9's, so output sizes track liblz4's closely.
 *
 * <p>The chains are a table of the last position per 4-byte hash and, per position, the distance back to the
 * previous one with the same hash (16 bits, so the chain spans the 64 KiB window). From level 9 runs of a
 * repeated 1-, 2- or 4-byte pattern are recognised and skipped along instead of walked byte by byte, and the
 * optimal parser follows, within a match, the chain that reaches furthest back.
 *
 * <p>When the destination fills up, the sequence that no longer fits is shortened (its match cut to what the
 * space left can describe) or dropped, and the rest takes as many literals as fit; the end-of-block rules hold.
 *
 * <p>Not thread-safe: the tables and the parser's arrays are allocated once and reused from call to call.
 * Positions are stored as indices that keep growing between calls, so no table needs clearing: entries of earlier
 * calls fall below the current input's first index and are never followed.
 */
final class Lz4HcEncoder extends Lz4Encoder {
    private static final int HASH_LOG = 15;
    private static final int OPT_NUM = 1 << 12;
    private static final int TRAILING_LITERALS = 3;
    /** Longest match the 3-match parser keeps in full when a following match overlaps it (fits the token). */
    private static final int OPTIMAL_ML = ML_MASK - 1 + MIN_MATCH;
    private static final int UNTESTED = 0;
    private static final int NOT_REPEATED = 1;
    private static final int REPEATED = 2;

    private final int level;
    private final int attempts;
    private final boolean optimal;
    private final int sufficientLength;
    private final boolean fullUpdate;
    private final boolean patternAnalysis;

    private final int[] hashTable = new int[1 << HASH_LOG];
    private final char[] chain = new char[1 << 16];
    /** The index the next input starts at. */
    private int nextBase = 1 << 16;

    // Per call.
    private byte[] s;
    /** Index minus array position, for the current input. */
    private int delta;
    /** The index of the input's first byte. */
    private int lowLimit;
    private int nextToUpdate;
    /** Outputs of {@link #widerMatch}: where the best match's reference and its start are (array positions). */
    private int foundRef;
    private int foundStart;

    // Optimal parser state, per position relative to the parse start.
    private final int[] price;
    private final int[] off;
    private final int[] mlen;
    private final int[] litlen;

    /** @param level 0 to 12, as mkfs.erofs takes it (0 meaning the default, 9) */
    Lz4HcEncoder(int level, int window) {
        super(window);
        if (level < 0 || level > 12) {
            throw new IllegalArgumentException("lz4hc level must be 0 to 12: " + level);
        }
        this.level = level;
        int eff = level == 0 ? 9 : level;
        if (eff <= 9) {
            attempts = eff <= 2 ? 2 : 1 << (eff - 1);
            optimal = false;
            sufficientLength = 0;
        } else {
            attempts = eff == 10 ? 96 : eff == 11 ? 512 : 16384;
            optimal = true;
            sufficientLength = eff == 10 ? 64 : eff == 11 ? 128 : OPT_NUM - 1;
        }
        fullUpdate = eff == 12;
        patternAnalysis = optimal || attempts > 128;
        int n = optimal ? OPT_NUM + TRAILING_LITERALS + 1 : 0;
        price = new int[n];
        off = new int[n];
        mlen = new int[n];
        litlen = new int[n];
    }

    @Override
    public String name() {
        return "lz4hc";
    }

    @Override
    public int level() {
        return level;
    }

    @Override
    int encode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity, int[] consumed) {
        if (nextBase > (1 << 30) - srcLen) {
            Arrays.fill(hashTable, 0);
            nextBase = 1 << 16;
        }
        s = src;
        lowLimit = nextBase;
        delta = nextBase - srcOff;
        nextToUpdate = nextBase;
        nextBase += srcLen + (1 << 16);
        try {
            return (optimal ? parseOptimal(srcOff, srcLen, dst, dstOff, dstCapacity, consumed)
                    : parseChains(srcOff, srcLen, dst, dstOff, dstCapacity, consumed)) - dstOff;
        } finally {
            s = null;
        }
    }

    private int hashAt(int p) {
        return (readInt(s, p) * -1640531535) >>> (32 - HASH_LOG);
    }

    /** Adds every position before {@code p} to the hash chains. */
    private void insert(int p) {
        final int target = p + delta;
        final int d = delta;
        for (int idx = nextToUpdate; idx < target; idx++) {
            int h = hashAt(idx - d);
            int back = idx - hashTable[h];
            chain[idx & 0xFFFF] = (char) (back > MAX_DISTANCE ? MAX_DISTANCE : back);
            hashTable[h] = idx;
        }
        nextToUpdate = target;
    }

    /** How many bytes before {@code ip} equal those before {@code ref}, not going below either limit (negative). */
    private int countBack(int ip, int ref, int ipMin, int refMin) {
        int back = 0;
        final int min = Math.max(ipMin - ip, refMin - ref);
        final byte[] b = s;
        // Eight bytes at a time: in a little-endian word the byte nearest the position is the highest.
        while (back - 8 >= min) {
            long diff = readLong(b, ip + back - 8) ^ readLong(b, ref + back - 8);
            if (diff != 0) {
                return back - (Long.numberOfLeadingZeros(diff) >>> 3);
            }
            back -= 8;
        }
        if (back > min) {
            // Fewer than eight bytes left to the limit: one word still, counting no further than the limit (the
            // bytes beyond it decide nothing).
            int i = ip + back - 8;
            int j = ref + back - 8;
            if (i >= 0 && j >= 0) {
                long diff = readLong(b, i) ^ readLong(b, j);
                int same = diff == 0 ? 8 : Long.numberOfLeadingZeros(diff) >>> 3;
                return back - Math.min(same, back - min);
            }
            while (back > min && b[ip + back - 1] == b[ref + back - 1]) {
                back--;
            }
        }
        return back;
    }

    /** How many bytes from {@code p} (up to {@code end}) continue a 1-, 2- or 4-byte periodic pattern. */
    private int countPattern(int p, int end, int pattern) {
        final int start = p;
        long pat = (pattern & 0xFFFFFFFFL) | (long) pattern << 32;
        while (p < end - 7) {
            long diff = readLong(s, p) ^ pat;
            if (diff != 0) {
                return p + (Long.numberOfTrailingZeros(diff) >>> 3) - start;
            }
            p += 8;
        }
        while (p < end && s[p] == (byte) pat) {
            p++;
            pat >>>= 8;
        }
        return p - start;
    }

    /**
     * How many bytes before {@code p} (down to {@code low}) continue the pattern backwards; once the count reaches
     * {@code enough} it may stop early and return any count at least that large.
     */
    private int reverseCountPattern(int p, int low, int pattern, int enough) {
        final int start = p;
        final long pat = (pattern & 0xFFFFFFFFL) | (long) pattern << 32;
        final int stop = start - enough;
        while (p >= low + 8 && p > stop && readLong(s, p - 8) == pat) {
            p -= 8;
        }
        if (p <= stop) {
            return start - p;
        }
        if (p >= low + 4 && readInt(s, p - 4) == pattern) {
            p -= 4;
        }
        int shift = 24;
        while (p > low && shift >= 0 && s[p - 1] == (byte) (pattern >>> shift)) {
            p--;
            shift -= 8;
        }
        return start - p;
    }

    /**
     * Looks for a match at {@code ip} longer than {@code longest}, which may start as early as {@code iLow} (by
     * extending backwards) and ends before {@code iHigh}. When one is found, returns its length and sets
     * {@link #foundRef} and {@link #foundStart}; otherwise returns {@code longest}.
     */
    private int widerMatch(int ip, int iLow, int iHigh, int longest, int maxAttempts, boolean chainSwap) {
        final byte[] b = s;
        final char[] ch = chain;
        final int d = delta;
        final int ipIndex = ip + d;
        final int lowest = lowLimit + window + 1 > ipIndex ? lowLimit : ipIndex - window;
        final int srcStart = lowLimit - d;
        final int lookBack = ip - iLow;
        int left = maxAttempts;
        int chainPos = 0;
        final int pattern = readInt(b, ip);
        int repeat = UNTESTED;
        int srcPatternLength = 0;
        insert(ip);
        // The two input bytes at the end of the best match so far (the filter below compares them first).
        short tail = readShort(b, iLow + longest - 1);
        int mi = hashTable[hashAt(ip)];
        while (mi >= lowest && left > 0) {
            int matchLength = 0;
            left--;
            int ref = mi - d;
            // Cheap filter: the two bytes that would extend the best match so far must agree.
            if (readShort(b, ref - lookBack + longest - 1) == tail && readInt(b, ref) == pattern) {
                int back = lookBack != 0 ? countBack(ip, ref, iLow, srcStart) : 0;
                matchLength = MIN_MATCH + count(b, ip + MIN_MATCH, ref + MIN_MATCH, iHigh) - back;
                if (matchLength > longest) {
                    longest = matchLength;
                    tail = readShort(b, iLow + longest - 1);
                    foundRef = ref + back;
                    foundStart = ip + back;
                }
            }
            if (chainSwap && matchLength == longest && mi + longest <= ipIndex) {
                // Within the match just found, follow the position whose chain reaches furthest back.
                int farthest = 1;
                int end = longest - MIN_MATCH + 1;
                int step = 1;
                int accel = 1 << 4;
                for (int pos = 0; pos < end; pos += step) {
                    int dist = ch[(mi + pos) & 0xFFFF];
                    step = accel++ >> 4;
                    if (dist > farthest) {
                        farthest = dist;
                        chainPos = pos;
                        accel = 1 << 4;
                    }
                }
                if (farthest > 1) {
                    mi -= farthest;
                    continue;
                }
            }
            int next = ch[mi & 0xFFFF];
            if (patternAnalysis && next == 1 && chainPos == 0) {
                int candidate = mi - 1;
                if (repeat == UNTESTED) {
                    if ((pattern & 0xFFFF) == (pattern >>> 16) && (pattern & 0xFF) == (pattern >>> 24)) {
                        repeat = REPEATED;
                        srcPatternLength = countPattern(ip + 4, iHigh, pattern) + 4;
                    } else {
                        repeat = NOT_REPEATED;
                    }
                }
                if (repeat == REPEATED && candidate >= lowest) {
                    int cref = candidate - d;
                    if (readInt(b, cref) == pattern) {
                        // Inside a run of the pattern: jump to the run position that best fits the input's run.
                        int forward = countPattern(cref + 4, iHigh, pattern) + 4;
                        // Only the window counts; and when the input's run fits, how far back it goes does not matter.
                        int backward = reverseCountPattern(cref, lowest - d, pattern,
                                forward <= srcPatternLength ? srcPatternLength - forward : Integer.MAX_VALUE);
                        int segment = backward + forward;
                        if (segment >= srcPatternLength && forward <= srcPatternLength) {
                            mi = candidate + forward - srcPatternLength;
                        } else {
                            mi = candidate - backward;
                            if (lookBack == 0) {
                                int maxMl = Math.min(segment, srcPatternLength);
                                if (longest < maxMl) {
                                    if (ipIndex - mi > window) {
                                        break;
                                    }
                                    longest = maxMl;
                                    tail = readShort(b, iLow + longest - 1);
                                    foundRef = mi - d;
                                    foundStart = ip;
                                }
                                mi -= ch[mi & 0xFFFF];
                            }
                        }
                        continue;
                    }
                }
            }
            mi -= ch[(mi + chainPos) & 0xFFFF];
        }
        return longest;
    }

    // ---- output with limits (the space after oend is kept for the last literals) ----

    /**
     * Whether a sequence of {@code lit} literals and a match of {@code ml} fits before {@code oend} at {@code op},
     * keeping the last literals' reserve.
     */
    private static boolean sequenceFits(int op, int lit, int ml, int oend) {
        if (op + lit / 255 + lit + 2 + 1 + LAST_LITERALS > oend) {
            return false;
        }
        int after = op + 1 + literalCost(lit) + 2;
        return after + (ml - MIN_MATCH) / 255 + 1 + LAST_LITERALS <= oend;
    }

    /** The number of literals, out of {@code available}, that fit with their token in {@code room} bytes. */
    private static int literalsFitting(int room, int available) {
        if (room < 1) {
            return 0;
        }
        if (1 + literalCost(available) <= room) {
            return available;
        }
        int n = room - 1;
        return n - (n + 256 - RUN_MASK) / 256;
    }

    /**
     * The sequence at {@code ip} (literals from {@code anchor}, a match of {@code ml} at {@code ref}) did not fit at
     * {@code op}: writes it with its match cut to what the space can describe, if that leaves a valid block end;
     * returns the new output position and sets {@link #foundStart} to the new anchor.
     */
    private int writeCutSequence(int anchor, int ip, int ml, int ref, byte[] dst, int op, int oend, int iend) {
        int ll = ip - anchor;
        int llTotal = 1 + (ll + 240) / 255 + ll;
        int maxLitPos = oend - 3;
        foundStart = anchor;
        if (op + llTotal <= maxLitPos) {
            int bytesLeft = maxLitPos - (op + llTotal);
            long maxMl = MIN_MATCH + (ML_MASK - 1) + (long) bytesLeft * 255;
            if (ml > maxMl) {
                ml = (int) maxMl;
            }
            if ((oend + LAST_LITERALS) - (op + llTotal + 2) - 1 + ml >= MF_LIMIT) {
                int after = op + 1 + literalCost(ll) + 2
                        + (ml - MIN_MATCH >= ML_MASK ? 1 + (ml - MIN_MATCH - ML_MASK) / 255 : 0);
                int tail = literalsFitting(oend + LAST_LITERALS - after, iend - (ip + ml));
                // Keep the block's end rules: at least 5 literals after the match, which starts 12 bytes from the end.
                if (tail >= LAST_LITERALS && ml + tail >= MF_LIMIT) {
                    op = writeSequence(s, anchor, ip, ml, ip - ref, dst, op);
                    foundStart = ip + ml;
                }
            }
        }
        return op;
    }

    // ---- levels 1 to 9: hash chains with a three-match lookahead ----

    private int parseChains(int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity, int[] consumed) {
        final int iend = srcOff + srcLen;
        final int mflimit = iend - MF_LIMIT;
        final int matchLimit = iend - LAST_LITERALS;
        final int oend = dstOff + dstCapacity - LAST_LITERALS;
        final int depth = attempts;
        int ip = srcOff;
        int anchor = srcOff;
        int op = dstOff;
        if (srcLen < MIN_INPUT) {
            return writeLastLiterals(s, srcOff, anchor, srcLen, dst, op, oend + LAST_LITERALS, consumed);
        }
        int ml;
        int ref;
        int ml0;
        int ref0;
        int start0;
        int ml2 = 0;
        int ref2 = 0;
        int start2 = 0;
        int ml3;
        int ref3;
        int start3;
        // On overflow: the sequence that did not fit, and the output position before it.
        int ovIp = -1;
        int ovMl = 0;
        int ovRef = 0;
        int ovOp = 0;
        main:
        while (ip <= mflimit) {
            ml = widerMatch(ip, ip, matchLimit, MIN_MATCH - 1, depth, false);
            if (ml < MIN_MATCH) {
                ip++;
                continue;
            }
            ref = foundRef;
            start0 = ip;
            ref0 = ref;
            ml0 = ml;
            boolean search2 = true;
            while (true) {
                if (search2) {
                    if (ip + ml <= mflimit) {
                        ml2 = widerMatch(ip + ml - 2, ip, matchLimit, ml, depth, false);
                        ref2 = foundRef;
                        start2 = foundStart;
                    } else {
                        ml2 = ml;
                    }
                    if (ml2 == ml) {
                        // No better match: encode the first.
                        if (!sequenceFits(op, ip - anchor, ml, oend)) {
                            ovIp = ip; ovMl = ml; ovRef = ref; ovOp = op;
                            break main;
                        }
                        op = writeSequence(s, anchor, ip, ml, ip - ref, dst, op);
                        ip += ml;
                        anchor = ip;
                        continue main;
                    }
                    if (start0 < ip && start2 < ip + ml0) {
                        // The first match was passed over; squeeze it back in before the second.
                        ip = start0;
                        ref = ref0;
                        ml = ml0;
                    }
                    if (start2 - ip < 3) {
                        // The first match is too short to keep: the second replaces it.
                        ml = ml2;
                        ip = start2;
                        ref = ref2;
                        continue;
                    }
                }
                // Search3: ml2 > ml and ip + 3 <= start2.
                if (start2 - ip < OPTIMAL_ML) {
                    int newMl = Math.min(ml, OPTIMAL_ML);
                    if (ip + newMl > start2 + ml2 - MIN_MATCH) {
                        newMl = start2 - ip + ml2 - MIN_MATCH;
                    }
                    int correction = newMl - (start2 - ip);
                    if (correction > 0) {
                        start2 += correction;
                        ref2 += correction;
                        ml2 -= correction;
                    }
                }
                if (start2 + ml2 <= mflimit) {
                    ml3 = widerMatch(start2 + ml2 - 3, start2, matchLimit, ml2, depth, false);
                    ref3 = foundRef;
                    start3 = foundStart;
                } else {
                    ml3 = ml2;
                    ref3 = 0;
                    start3 = 0;
                }
                if (ml3 == ml2) {
                    // No better third match: encode the first two.
                    if (start2 < ip + ml) {
                        ml = start2 - ip;
                    }
                    if (!sequenceFits(op, ip - anchor, ml, oend)) {
                        ovIp = ip; ovMl = ml; ovRef = ref; ovOp = op;
                        break main;
                    }
                    op = writeSequence(s, anchor, ip, ml, ip - ref, dst, op);
                    ip += ml;
                    anchor = ip;
                    ip = start2;
                    if (!sequenceFits(op, ip - anchor, ml2, oend)) {
                        ovIp = ip; ovMl = ml2; ovRef = ref2; ovOp = op;
                        break main;
                    }
                    op = writeSequence(s, anchor, ip, ml2, ip - ref2, dst, op);
                    ip += ml2;
                    anchor = ip;
                    continue main;
                }
                if (start3 < ip + ml + 3) {
                    // No room for the second match between the first and the third: drop it.
                    if (start3 >= ip + ml) {
                        // The first can be written now; the third becomes the first.
                        if (start2 < ip + ml) {
                            int correction = ip + ml - start2;
                            start2 += correction;
                            ref2 += correction;
                            ml2 -= correction;
                            if (ml2 < MIN_MATCH) {
                                start2 = start3;
                                ref2 = ref3;
                                ml2 = ml3;
                            }
                        }
                        if (!sequenceFits(op, ip - anchor, ml, oend)) {
                            ovIp = ip; ovMl = ml; ovRef = ref; ovOp = op;
                            break main;
                        }
                        op = writeSequence(s, anchor, ip, ml, ip - ref, dst, op);
                        ip += ml;
                        anchor = ip;
                        ip = start3;
                        ref = ref3;
                        ml = ml3;
                        start0 = start2;
                        ref0 = ref2;
                        ml0 = ml2;
                        search2 = true;
                        continue;
                    }
                    start2 = start3;
                    ref2 = ref3;
                    ml2 = ml3;
                    search2 = false;
                    continue;
                }
                // Three ascending matches: write the first, shortened to end where the second starts.
                if (start2 < ip + ml) {
                    if (start2 - ip < OPTIMAL_ML) {
                        if (ml > OPTIMAL_ML) {
                            ml = OPTIMAL_ML;
                        }
                        if (ip + ml > start2 + ml2 - MIN_MATCH) {
                            ml = start2 - ip + ml2 - MIN_MATCH;
                        }
                        int correction = ml - (start2 - ip);
                        if (correction > 0) {
                            start2 += correction;
                            ref2 += correction;
                            ml2 -= correction;
                        }
                    } else {
                        ml = start2 - ip;
                    }
                }
                if (!sequenceFits(op, ip - anchor, ml, oend)) {
                    ovIp = ip; ovMl = ml; ovRef = ref; ovOp = op;
                    break main;
                }
                op = writeSequence(s, anchor, ip, ml, ip - ref, dst, op);
                ip += ml;
                anchor = ip;
                ip = start2;
                ref = ref2;
                ml = ml2;
                start2 = start3;
                ref2 = ref3;
                ml2 = ml3;
                search2 = false;
            }
        }
        if (ovIp >= 0) {
            op = writeCutSequence(anchor, ovIp, ovMl, ovRef, dst, ovOp, oend, iend);
            anchor = foundStart;
        }
        return writeLastLiterals(s, srcOff, anchor, iend - anchor, dst, op, oend + LAST_LITERALS, consumed);
    }

    // ---- levels 10 to 12: optimal parsing ----

    private static int literalsPrice(int n) {
        return n >= RUN_MASK ? n + 1 + (n - RUN_MASK) / 255 : n;
    }

    private static int sequencePrice(int lit, int ml) {
        int p = 3 + literalsPrice(lit);
        if (ml >= ML_MASK + MIN_MATCH) {
            p += 1 + (ml - (ML_MASK + MIN_MATCH)) / 255;
        }
        return p;
    }

    /** A longer match than {@code minLen} at {@code ip}: its length (0 if none), its reference in {@link #foundRef}. */
    private int longerMatch(int ip, int iHigh, int minLen) {
        int len = widerMatch(ip, ip, iHigh, minLen, attempts, true);
        return len <= minLen ? 0 : len;
    }

    private int parseOptimal(int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity, int[] consumed) {
        final int iend = srcOff + srcLen;
        final int mflimit = iend - MF_LIMIT;
        final int matchLimit = iend - LAST_LITERALS;
        final int oend = dstOff + dstCapacity - LAST_LITERALS;
        final int[] price = this.price;
        final int[] off = this.off;
        final int[] mlen = this.mlen;
        final int[] litlen = this.litlen;
        int ip = srcOff;
        int anchor = srcOff;
        int op = dstOff;
        int ovIp = -1;
        int ovMl = 0;
        int ovRef = 0;
        int ovOp = 0;
        main:
        while (ip <= mflimit) {
            final int llen = ip - anchor;
            int firstLen = longerMatch(ip, matchLimit, MIN_MATCH - 1);
            if (firstLen == 0) {
                ip++;
                continue;
            }
            int firstOff = ip - foundRef;
            if (firstLen > sufficientLength) {
                // Long enough: take it without parsing.
                if (!sequenceFits(op, ip - anchor, firstLen, oend)) {
                    ovIp = ip; ovMl = firstLen; ovRef = ip - firstOff; ovOp = op;
                    break;
                }
                op = writeSequence(s, anchor, ip, firstLen, firstOff, dst, op);
                ip += firstLen;
                anchor = ip;
                continue;
            }
            for (int r = 0; r < MIN_MATCH; r++) {
                mlen[r] = 1;
                off[r] = 0;
                litlen[r] = llen + r;
                price[r] = literalsPrice(llen + r);
            }
            for (int m = MIN_MATCH; m <= firstLen; m++) {
                mlen[m] = m;
                off[m] = firstOff;
                litlen[m] = llen;
                price[m] = sequencePrice(llen, m);
            }
            int lastMatchPos = firstLen;
            for (int a = 1; a <= TRAILING_LITERALS; a++) {
                mlen[lastMatchPos + a] = 1;
                off[lastMatchPos + a] = 0;
                litlen[lastMatchPos + a] = a;
                price[lastMatchPos + a] = price[lastMatchPos] + literalsPrice(a);
            }
            int bestMl = 0;
            int bestOff = 0;
            int cur;
            boolean immediate = false;
            for (cur = 1; cur < lastMatchPos; cur++) {
                int p = ip + cur;
                if (p > mflimit) {
                    break;
                }
                if (fullUpdate) {
                    if (price[cur + 1] <= price[cur] && price[cur + MIN_MATCH] < price[cur] + 3) {
                        continue;
                    }
                } else if (price[cur + 1] <= price[cur]) {
                    continue;
                }
                int newLen = fullUpdate ? longerMatch(p, matchLimit, MIN_MATCH - 1)
                        : longerMatch(p, matchLimit, lastMatchPos - cur);
                if (newLen == 0) {
                    continue;
                }
                int newOff = p - foundRef;
                if (newLen > sufficientLength || newLen + cur >= OPT_NUM) {
                    bestMl = newLen;
                    bestOff = newOff;
                    lastMatchPos = cur + 1;
                    immediate = true;
                    break;
                }
                int baseLit = litlen[cur];
                for (int l = 1; l < MIN_MATCH; l++) {
                    int pr = price[cur] - literalsPrice(baseLit) + literalsPrice(baseLit + l);
                    int pos = cur + l;
                    if (pr < price[pos]) {
                        mlen[pos] = 1;
                        off[pos] = 0;
                        litlen[pos] = baseLit + l;
                        price[pos] = pr;
                    }
                }
                for (int m = MIN_MATCH; m <= newLen; m++) {
                    int pos = cur + m;
                    int ll;
                    int pr;
                    if (mlen[cur] == 1) {
                        ll = litlen[cur];
                        pr = (cur > ll ? price[cur - ll] : 0) + sequencePrice(ll, m);
                    } else {
                        ll = 0;
                        pr = price[cur] + sequencePrice(0, m);
                    }
                    if (pos > lastMatchPos + TRAILING_LITERALS || pr <= price[pos]) {
                        if (m == newLen && lastMatchPos < pos) {
                            lastMatchPos = pos;
                        }
                        mlen[pos] = m;
                        off[pos] = newOff;
                        litlen[pos] = ll;
                        price[pos] = pr;
                    }
                }
                for (int a = 1; a <= TRAILING_LITERALS; a++) {
                    mlen[lastMatchPos + a] = 1;
                    off[lastMatchPos + a] = 0;
                    litlen[lastMatchPos + a] = a;
                    price[lastMatchPos + a] = price[lastMatchPos] + literalsPrice(a);
                }
            }
            if (!immediate) {
                bestMl = mlen[lastMatchPos];
                bestOff = off[lastMatchPos];
                cur = lastMatchPos - bestMl;
            }
            // Walk back from the end, turning the per-position choices into the path taken.
            {
                int pos = cur;
                int selMl = bestMl;
                int selOff = bestOff;
                while (true) {
                    int nextMl = mlen[pos];
                    int nextOff = off[pos];
                    mlen[pos] = selMl;
                    off[pos] = selOff;
                    selMl = nextMl;
                    selOff = nextOff;
                    if (nextMl > pos) {
                        break;
                    }
                    pos -= nextMl;
                }
            }
            int r = 0;
            while (r < lastMatchPos) {
                int m = mlen[r];
                int o = off[r];
                if (m == 1) {
                    ip++;
                    r++;
                    continue;
                }
                r += m;
                if (!sequenceFits(op, ip - anchor, m, oend)) {
                    ovIp = ip; ovMl = m; ovRef = ip - o; ovOp = op;
                    break main;
                }
                op = writeSequence(s, anchor, ip, m, o, dst, op);
                ip += m;
                anchor = ip;
            }
        }
        if (ovIp >= 0) {
            op = writeCutSequence(anchor, ovIp, ovMl, ovRef, dst, ovOp, oend, iend);
            anchor = foundStart;
        }
        return writeLastLiterals(s, srcOff, anchor, iend - anchor, dst, op, oend + LAST_LITERALS, consumed);
    }
}
