package dev.skiff.store.interop;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A one-image OCI image layout written by hand (image-spec's image-layout.md): {@code oci-layout},
 * {@code index.json} naming the manifest by tag, and {@code blobs/sha256/} holding a config, a
 * gzipped tar layer with one file, and the manifest.
 */
final class OciImageLayout {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    final Path dir;
    final String manifestDigest;
    /** Every blob of the image, by digest: config, layer, manifest. */
    final Map<String, byte[]> blobs = new LinkedHashMap<>();

    private OciImageLayout(Path dir, String manifestDigest) {
        this.dir = dir;
        this.manifestDigest = manifestDigest;
    }

    static OciImageLayout write(Path dir, String tag) throws IOException {
        byte[] tar = tarWithOneFile("hello.txt", "hello from the skopeo interop test\n".getBytes(StandardCharsets.UTF_8));
        byte[] layer = gzip(tar);
        byte[] config = """
                {"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}"""
                .formatted(sha256(tar)).getBytes(StandardCharsets.UTF_8);
        byte[] manifest = """
                {"schemaVersion":2,"mediaType":"%s",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(MANIFEST_TYPE, sha256(config), config.length, sha256(layer), layer.length)
                .getBytes(StandardCharsets.UTF_8);
        OciImageLayout layout = new OciImageLayout(dir, sha256(manifest));
        Files.createDirectories(dir.resolve("blobs/sha256"));
        for (byte[] blob : new byte[][] {config, layer, manifest}) {
            layout.blobs.put(sha256(blob), blob);
            Files.write(dir.resolve("blobs/sha256").resolve(sha256(blob).substring("sha256:".length())), blob);
        }
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
                {"mediaType":"%s","digest":"%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}"""
                .formatted(MANIFEST_TYPE, layout.manifestDigest, manifest.length, tag));
        return layout;
    }

    static String sha256(byte[] content) {
        return Digest.of(DigestAlgorithm.SHA256, content).toString();
    }

    /** The blob with {@code digest} in the layout at {@code dir}. */
    static byte[] blob(Path dir, String digest) throws IOException {
        return Files.readAllBytes(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    /** A ustar archive of one regular file: a 512-byte header, the content padded to 512, two empty blocks. */
    private static byte[] tarWithOneFile(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, String.format("%06o", checksum));
        header[155] = ' ';
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }
}
