package org.interphase.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one frame (index along the first, time axis) of a [frames][N] or [frames][N][3] numeric dataset.
 *
 * <p>jhdf 0.9.4's sliced reads ({@code Dataset.getData(offset, shape)}) return wrong values for chunked datasets
 * whose frame spans several chunks (LAMMPS {@code dump h5md} chunks the atom axis in blocks of 256 when N &gt; 1024),
 * so chunked datasets are read here chunk by chunk with {@link ChunkedDataset#getDecompressedChunk} (which applies
 * the filter pipeline, e.g. deflate) and decoded from the dataset's byte order. Contiguous datasets use
 * jhdf's slicing, which is correct for them.
 */
final class FrameSlices {
    private FrameSlices() {
    }

    /** Frame f of a float dataset, flattened (N*inner values). */
    static double[] doubles(Dataset ds, int f) {
        int[] dims = ds.getDimensions();
        int n = dims[1], inner = dims.length > 2 ? dims[2] : 1;
        double[] out = new double[n * inner];
        if (ds instanceof ChunkedDataset cd) {
            DataType t = ds.getDataType();
            ByteOrder order = byteOrder(ds, FloatingPoint.class, "a float32/float64");
            readChunks(cd, dims, f, (buf, chunkRow, atom0, count, c1, c2) -> {
                for (int a = 0; a < count; a++) {
                    for (int d = 0; d < inner; d++) {
                        int idx = ((chunkRow * c1 + a) * c2 + d);
                        out[(atom0 + a) * inner + d] = t.getSize() == 8 ? buf.order(order).getDouble(idx * 8) : buf.order(order).getFloat(idx * 4);
                    }
                }
            });
            return out;
        }
        Object o = inner == 1 ? ds.getData(new long[] {f, 0}, new int[] {1, n}) : ds.getData(new long[] {f, 0, 0}, new int[] {1, n, inner});
        if (o instanceof double[][][] a) {
            for (int i = 0; i < n; i++) for (int d = 0; d < inner; d++) out[i * inner + d] = a[0][i][d];
        } else if (o instanceof float[][][] a) {
            for (int i = 0; i < n; i++) for (int d = 0; d < inner; d++) out[i * inner + d] = a[0][i][d];
        } else if (o instanceof double[][] a) {
            System.arraycopy(a[0], 0, out, 0, n);
        } else if (o instanceof float[][] a) {
            for (int i = 0; i < n; i++) out[i] = a[0][i];
        } else {
            throw new InputException(ds.getPath() + " is not floating point: not a LAMMPS H5MD file");
        }
        return out;
    }

    /** Frame f of an integer [frames][N] dataset. */
    static int[] ints(Dataset ds, int f) {
        int[] dims = ds.getDimensions();
        int n = dims[1];
        int[] out = new int[n];
        if (ds instanceof ChunkedDataset cd) {
            DataType t = ds.getDataType();
            ByteOrder order = byteOrder(ds, FixedPoint.class, "an int32/int64");
            readChunks(cd, dims, f, (buf, chunkRow, atom0, count, c1, c2) -> {
                for (int a = 0; a < count; a++) {
                    int idx = chunkRow * c1 + a;
                    out[atom0 + a] = t.getSize() == 4 ? buf.order(order).getInt(idx * 4) : (int) buf.order(order).getLong(idx * 8);
                }
            });
            return out;
        }
        Object o = ds.getData(new long[] {f, 0}, new int[] {1, n});
        if (o instanceof int[][] a) return a[0].clone();
        if (o instanceof long[][] a) {
            for (int i = 0; i < n; i++) out[i] = (int) a[0][i];
            return out;
        }
        throw new InputException(ds.getPath() + " is not an integer dataset: not a LAMMPS H5MD file");
    }

    /** Byte order of a dataset whose elements must be 4- or 8-byte {@code kind} values ({@code what} in the message). */
    private static ByteOrder byteOrder(Dataset ds, Class<? extends OrderedDataType> kind, String what) {
        DataType t = ds.getDataType();
        if (!kind.isInstance(t) || (t.getSize() != 4 && t.getSize() != 8)) {
            throw new InputException(ds.getPath() + " is not " + what + " dataset: not a LAMMPS H5MD file");
        }
        return ((OrderedDataType) t).getByteOrder();
    }

    private interface ChunkConsumer {
        void accept(ByteBuffer buf, int chunkRow, int atom0, int count, int c1, int c2);
    }

    private static void readChunks(ChunkedDataset cd, int[] dims, int f, ChunkConsumer c) {
        int[] ch = cd.getChunkDimensions();
        int c0 = ch[0], c1 = ch[1], c2 = ch.length > 2 ? ch[2] : 1;
        if (dims.length > 2 && c2 != dims[2]) {
            throw new InputException(cd.getPath() + " is chunked across the xyz axis, which LAMMPS never writes: unsupported H5MD layout");
        }
        int f0 = (f / c0) * c0;
        int n = dims[1];
        for (int a0 = 0; a0 < n; a0 += c1) {
            int[] off = dims.length > 2 ? new int[] {f0, a0, 0} : new int[] {f0, a0};
            ByteBuffer buf = ByteBuffer.wrap(cd.getDecompressedChunk(off));
            c.accept(buf, f - f0, a0, Math.min(c1, n - a0), c1, c2);
        }
    }
}
