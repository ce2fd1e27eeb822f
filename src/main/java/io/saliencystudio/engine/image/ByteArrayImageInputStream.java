package io.saliencystudio.engine.image;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over bytes already in memory: ImageIO's own streams copy them into
 * a cache (a temporary file, or 8 KiB memory blocks), which was a third of the garbage of decoding small images.
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {

    private final byte[] bytes;

    ByteArrayImageInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", buffer " + b.length);
        }
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        int left = bytes.length - (int) Math.min(streamPos, bytes.length);
        if (left <= 0) {
            return -1;
        }
        int n = Math.min(len, left);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }
}
