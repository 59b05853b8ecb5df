package dev.skiff.gateway.api;

/**
 * Answer to a code upload: the artefact's references, ready to use as a deployment's {@code image}.
 *
 * @param image  the tag reference ({@code code/<name>:latest})
 * @param pinned the digest reference
 * @param digest the manifest digest
 * @param size   bytes of code
 */
public record CodeUpload(String image, String pinned, String digest, long size) {
}
