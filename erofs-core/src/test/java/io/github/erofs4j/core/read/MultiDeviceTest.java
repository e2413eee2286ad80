package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.format.DeviceSlot;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk-indexed data on an extra device (mkfs.erofs --blobdev), read with the device file and, after giving the
 * device a unified address, from the primary and blob concatenated ("flat" mode).
 */
class MultiDeviceTest {
    @TempDir
    Path tmp;

    static boolean haveMkfs() {
        return Files.isExecutable(Path.of("/usr/bin/mkfs.erofs"));
    }

    /** mkfs.erofs with the blob on an extra device; returns {image, blob}. */
    private Path[] blobImage(Path src) throws Exception {
        Path img = tmp.resolve("k.erofs");
        Path blob = tmp.resolve("k-blob.img");
        KernelPropertyTest.run(List.of("mkfs.erofs", "--quiet", "--chunksize=8192", "--blobdev=" + blob,
                img.toString(), src.toString()));
        return new Path[] {img, blob};
    }

    /** The kernel, given the blob as a loop device, shows what we read with the blob as an extra device. */
    @Test
    @Tag("kernel")
    void kernelWithDeviceOptionAgrees() throws Exception {
        String why = KernelPropertyTest.machineProblem();
        assumeTrue(why == null, why);
        Path src = Files.createDirectories(tmp.resolve("ksrc"));
        Random r = new Random(7);
        for (int i = 0; i < 5; i++) {
            byte[] data = new byte[r.nextInt(40_000)];
            r.nextBytes(data);
            Files.write(src.resolve("f" + i), data);
        }
        Files.createDirectories(src.resolve("sub"));
        Files.write(src.resolve("sub/z"), new byte[20_000]);
        Path[] ib = blobImage(src);
        Path mnt = Files.createDirectory(tmp.resolve("kmnt"));
        String loop = KernelPropertyTest.run(List.of("losetup", "-f", "--show", "-r", ib[1].toString())).get(0);
        List<String> kernel;
        try {
            KernelPropertyTest.run(List.of("mount", "-t", "erofs", "-o", "loop,ro,device=" + loop, ib[0].toString(),
                    mnt.toString()));
            try {
                kernel = KernelPropertyTest.run(List.of("python3", KernelPropertyTest.sharedTool("manifest.py")
                        .toString(), mnt.toString()));
            } finally {
                KernelPropertyTest.unmount(mnt);
            }
        } finally {
            KernelPropertyTest.run(List.of("losetup", "-d", loop));
        }
        try (ErofsImage e = ErofsImage.open(ib[0], ReadOptions.builder().extraDevices(List.of(ib[1])).build())) {
            FixtureManifestTest.assertLinesEqual(kernel, Manifests.of(e, true), "blob device");
        }
    }

    @Test
    void blobDeviceAndFlatMode() throws Exception {
        assumeTrue(haveMkfs(), "mkfs.erofs is not installed");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Random r = new Random(42);
        byte[] a = new byte[20_000];
        r.nextBytes(a);
        byte[] b = new byte[9_000];
        r.nextBytes(b);
        Files.write(src.resolve("a.bin"), a);
        Files.createDirectories(src.resolve("d"));
        Files.write(src.resolve("d/b.bin"), b);
        Path img = tmp.resolve("img.erofs");
        Path blob = tmp.resolve("blob.img");
        Process p = new ProcessBuilder("mkfs.erofs", "--quiet", "--chunksize=4096", "--blobdev=" + blob, img.toString(),
                src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        try (ErofsImage e = ErofsImage.open(img, ReadOptions.builder().extraDevices(List.of(blob)).build())) {
            assertEquals(1, e.deviceSlots().size());
            assertArrayEquals(a, e.resolve("a.bin").readAllBytes());
            assertArrayEquals(b, e.resolve("d/b.bin").readAllBytes());
            assertTrue(e.resolve("a.bin").dataExtents().stream().allMatch(x -> x.device() == 1));
        }
        // The same with the image and its blob device both in memory.
        try (ErofsImage e = ErofsImage.open(ByteSource.of(Files.readAllBytes(img)),
                List.of(ByteSource.of(Files.readAllBytes(blob))), ReadOptions.defaults())) {
            assertArrayEquals(a, e.resolve("a.bin").readAllBytes());
            assertArrayEquals(b, e.resolve("d/b.bin").readAllBytes());
            assertTrue(e.resolve("a.bin").dataExtents().stream().allMatch(x -> x.device() == 1));
        }
        // Wrong number of devices is a usage error, not a format error.
        IOException wrong = assertThrows(IOException.class,
                () -> ErofsImage.open(img, ReadOptions.builder().extraDevices(List.of(blob, blob)).build()));
        assertTrue(wrong.getMessage().contains("1 extra device"), wrong.getMessage());

        // Flat mode: give the blob the unified address right after the primary and concatenate both.
        byte[] primary = Files.readAllBytes(img);
        byte[] blobBytes = Files.readAllBytes(blob);
        int bs = 4096;
        ByteBuffer pb = ByteBuffer.wrap(primary).order(ByteOrder.LITTLE_ENDIAN);
        SuperBlock sb = SuperBlock.decode(pb, Erofs.SUPERBLOCK_OFFSET);
        int slotOff = sb.devtSlotoff() * DeviceSlot.SIZE;
        long primaryBlocks = primary.length / bs;
        new DeviceSlot(new byte[64], blobBytes.length / bs, primaryBlocks, 0, 0).encode(pb, slotOff);
        SyntheticImageTest.withChecksum(primary);
        byte[] flat = new byte[primary.length + blobBytes.length];
        System.arraycopy(primary, 0, flat, 0, primary.length);
        System.arraycopy(blobBytes, 0, flat, primary.length, blobBytes.length);
        Path flatImg = tmp.resolve("flat.erofs");
        Files.write(flatImg, flat);
        try (ErofsImage e = ErofsImage.open(flatImg)) {
            assertArrayEquals(a, e.resolve("a.bin").readAllBytes());
            assertArrayEquals(b, e.resolve("d/b.bin").readAllBytes());
            assertTrue(e.resolve("a.bin").dataExtents().stream().allMatch(x -> x.device() == 0
                    && x.physicalOffset() >= primary.length));
        }
        // The patched primary still reads with the device file: device ids map to the device, not the unified space.
        Path patched = tmp.resolve("patched.erofs");
        Files.write(patched, primary);
        long indexes;
        try (ErofsImage e = ErofsImage.open(patched, ReadOptions.builder().extraDevices(List.of(blob)).build())) {
            assertArrayEquals(b, e.resolve("d/b.bin").readAllBytes());
            ErofsInode ai = e.resolve("a.bin");
            indexes = (ai.metaEnd() + 7) & ~7L;
        }
        // Rewrite a.bin's chunk indexes to device 0 with unified addresses: with the device file they must be
        // redirected into it (the address falls in its unified range); in flat mode they are read in place.
        for (int i = 0; i < 5; i++) {
            int at = (int) indexes + 8 * i;
            assertEquals(1, pb.getShort(at + 2));
            pb.putShort(at + 2, (short) 0);
            pb.putInt(at + 4, (int) (pb.getInt(at + 4) + primaryBlocks));
        }
        SyntheticImageTest.withChecksum(primary);
        Files.write(patched, primary);
        try (ErofsImage e = ErofsImage.open(patched, ReadOptions.builder().extraDevices(List.of(blob)).build())) {
            assertArrayEquals(a, e.resolve("a.bin").readAllBytes());
            assertTrue(e.resolve("a.bin").dataExtents().stream().allMatch(x -> x.device() == 1));
        }
        System.arraycopy(primary, 0, flat, 0, primary.length);
        Files.write(flatImg, flat);
        try (ErofsImage e = ErofsImage.open(flatImg)) {
            assertArrayEquals(a, e.resolve("a.bin").readAllBytes());
            assertArrayEquals(b, e.resolve("d/b.bin").readAllBytes());
        }
    }
}
