package dev.canopy.kv.persist;

import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvType;
import dev.canopy.kv.StoreIdentity;
import dev.canopy.kv.tier.DiskPage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A saved conversation's page table: identity, layout, cold type, token ids, per page its disk
 * slot, token count and the CRC32C of its abstract and of its rows, plus opaque attachments (the
 * engine's last logits, say). Binary, big-endian, ending with a CRC32C of everything before it.
 * Written to a temporary file, forced, then atomically renamed over the old manifest and the
 * folder forced, after the page file itself was forced: a crash leaves the old manifest or the
 * new one, never one that points at unwritten pages.
 */
record Manifest(StoreIdentity identity, KvLayout layout, KvType coldType, long slotBytes, int[] tokens,
                List<DiskPage[]> pages, Map<String, byte[]> attachments) {

    private static final long MAGIC = 0x43414e4f50594b56L; // "CANOPYKV"
    private static final int VERSION = 1;

    void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(identity.modelFingerprint());
            out.writeUTF(identity.settingsHash());
            out.writeInt(layout.layers());
            out.writeInt(layout.kvHeads());
            out.writeInt(layout.headDim());
            out.writeInt(layout.queryHeads());
            out.writeUTF(layout.hotType().name());
            for (int p : layout.pageTokens()) out.writeInt(p);
            out.writeUTF(coldType.name());
            out.writeLong(slotBytes);
            out.writeInt(tokens.length);
            for (int t : tokens) out.writeInt(t);
            for (DiskPage[] layer : pages) {
                out.writeInt(layer.length);
                for (DiskPage r : layer) {
                    out.writeInt(r.diskSlot());
                    out.writeInt(r.tokens());
                    out.writeInt(r.crcAbstract());
                    out.writeInt(r.crcData());
                }
            }
            out.writeInt(attachments.size());
            for (var a : attachments.entrySet()) {
                out.writeUTF(a.getKey());
                out.writeInt(a.getValue().length);
                out.write(a.getValue());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        ByteBuffer body = ByteBuffer.allocate(bytes.size() + 4);
        body.put(bytes.toByteArray()).putInt((int) crc.getValue()).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (body.hasRemaining()) ch.write(body);
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(file.toAbsolutePath().getParent());
    }

    /** The manifest, or empty when it is missing, truncated or fails its checksum. */
    static Optional<Manifest> read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (all.length < 16) return Optional.empty();
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) return Optional.empty();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 4))) {
            if (in.readLong() != MAGIC || in.readInt() != VERSION) return Optional.empty();
            StoreIdentity id = new StoreIdentity(in.readUTF(), in.readUTF());
            int layers = in.readInt();
            int kvHeads = in.readInt();
            int headDim = in.readInt();
            int queryHeads = in.readInt();
            KvType hot = KvType.valueOf(in.readUTF());
            int[] pageTokens = new int[layers];
            for (int i = 0; i < layers; i++) pageTokens[i] = in.readInt();
            KvLayout layout = new KvLayout(layers, kvHeads, headDim, queryHeads, pageTokens, hot);
            KvType cold = KvType.valueOf(in.readUTF());
            long slotBytes = in.readLong();
            int[] tokens = new int[in.readInt()];
            for (int i = 0; i < tokens.length; i++) tokens[i] = in.readInt();
            DiskPage[][] pages = new DiskPage[layers][];
            for (int l = 0; l < layers; l++) {
                pages[l] = new DiskPage[in.readInt()];
                for (int p = 0; p < pages[l].length; p++) {
                    pages[l][p] = new DiskPage(in.readInt(), in.readInt(), in.readInt(), in.readInt());
                }
            }
            Map<String, byte[]> attachments = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                attachments.put(key, in.readNBytes(in.readInt()));
            }
            return Optional.of(new Manifest(id, layout, cold, slotBytes, tokens, List.of(pages), attachments));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform lets a folder be opened (Windows); the rename is still atomic there.
        }
    }
}
