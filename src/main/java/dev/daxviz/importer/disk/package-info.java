/**
 * A read-only reader of XFS v5 (CRC) filesystems, on an image file or a block device, for the importer that
 * turns a real filesystem into a DaxViz world. It depends on the JDK alone.
 *
 * <p>Start at {@link dev.daxviz.importer.disk.XfsImage#open(java.nio.file.Path,
 * java.util.function.BooleanSupplier)}: it checks the {@link dev.daxviz.importer.disk.Superblock} and every
 * AG's {@link dev.daxviz.importer.disk.AgHeaders} (AGF, AGI, AGFL), then reads on demand the per-AG btrees
 * ({@link dev.daxviz.importer.disk.RmapRecord}, {@link dev.daxviz.importer.disk.RefcountRecord},
 * {@link dev.daxviz.importer.disk.FreeExtent}, {@link dev.daxviz.importer.disk.InobtRecord}), inodes with both
 * forks ({@link dev.daxviz.importer.disk.Dinode}, {@link dev.daxviz.importer.disk.Fork},
 * {@link dev.daxviz.importer.disk.BmbtExtent}), directories ({@link dev.daxviz.importer.disk.DirEntry}) and the
 * whole {@link dev.daxviz.importer.disk.Namespace}. {@link dev.daxviz.importer.disk.Fsmap} prints the reverse
 * mappings exactly as {@code xfs_db -r -c fsmap} does.
 *
 * <p>Each record mirrors a structure of the kernel's fs/xfs/libxfs/xfs_format.h or xfs_da_format.h and keeps
 * the kernel's field names. Every block is checked as the kernel's verifiers check it (magic, CRC32C, level,
 * record count, self-address, owner, UUID) and every loop is bounded by the geometry, so a damaged, truncated
 * or foreign image ends in an {@link dev.daxviz.importer.disk.ImageException} that says where, what and how to
 * fix, never in a hang or an out-of-memory error. Every read polls the caller's cancellation check.
 */
package dev.daxviz.importer.disk;
