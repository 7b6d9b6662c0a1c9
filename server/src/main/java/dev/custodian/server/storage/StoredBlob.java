package dev.custodian.server.storage;

/**
 * A blob as stored: its plaintext size and SHA-256 (lowercase hex), computed while it streamed
 * through, e.g. for an instance table, an ETag, or recognising a re-sent instance.
 */
public record StoredBlob(String studyUid, String blobKey, long size, String sha256) {}
