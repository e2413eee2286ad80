/**
 * The EROFS on-disk format: records mirroring the kernel's structures, each with {@code SIZE},
 * {@code decode(ByteBuffer, int)} and {@code encode(ByteBuffer, int)}, plus constants and feature bits.
 *
 * <p>Every structure is little-endian; decoders use absolute gets and ignore the buffer's order and position.
 * Unsigned fields are widened (u16 to {@code int}, u32 to {@code long}). Decoders check nothing beyond the
 * buffer bounds: validation is the reader's job, which knows the image size and reports
 * {@link io.github.erofs4j.core.ErofsFormatException}. This package depends on nothing else in
 * erofs4j.
 *
 * <p>Not API: the records follow the on-disk format, not a compatibility promise. The module exports this package
 * only to erofs-compress (algorithm ids) and erofs-cli ({@code dump} prints the records).
 */
package io.github.erofs4j.core.format;
