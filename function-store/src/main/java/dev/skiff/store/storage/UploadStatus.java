package dev.skiff.store.storage;

import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.UploadId;

/** An upload session in progress: which repository it is for and how many bytes it holds. */
public record UploadStatus(UploadId id, RepositoryName repository, long size) {
}
