package dev.daxviz.scenario;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Inode;

import java.util.List;

/**
 * The optional {@code filesystem.layout} section (a DaxViz extension of format 1): a filesystem as mkfs.xfs and the
 * kernel laid it out, which DaxViz's own allocator would not reproduce. {@code daxviz import} writes it from a real
 * image: the geometry, each AG's headers, btree roots, metadata blocks and inode chunks, and every inode with its
 * number and blocks. The reverse map, refcounts and free space follow from it (model {@code FsLayout}).
 *
 * @param blocks     data blocks of the filesystem ({@code sb_dblocks}); the device may be larger
 * @param agBlocks   blocks per AG ({@code sb_agblocks})
 * @param sectorSize 512 for an image file, 4096 for pmem: where the four AG headers sit
 * @param log        the internal log, or null for an external one
 */
public record LayoutDef(long blocks, int agBlocks, int sectorSize, int inodeSize, LogDef log, List<AgDef> ags,
                        List<InodeDef> inodes, Scenario.Locs locs) {

    public LayoutDef {
        ags = List.copyOf(ags);
        inodes = List.copyOf(inodes);
    }

    public record LogDef(int agno, int agbno, int length, Scenario.Locs locs) {
    }

    public record AgDef(int agno, AllocationGroup.Roots roots, List<MetaDef> metadata, List<Integer> inodeChunks,
                        Scenario.Locs locs) {
        public AgDef {
            metadata = List.copyOf(metadata);
            inodeChunks = List.copyOf(inodeChunks);
        }
    }

    /** A block range of a special rmap owner ({@code fs}, {@code ag}, {@code inobt}, {@code inodes}, …). */
    public record MetaDef(int agbno, int length, long owner, Scenario.Locs locs) {
    }

    /** One fork mapping in fs blocks. */
    public record ExtentDef(long offset, int agno, int agbno, long length, boolean unwritten, Scenario.Locs locs) {
    }

    public record BlockDef(int agno, int agbno, Scenario.Locs locs) {
    }

    /**
     * One inode. {@code forkoff}, {@code btree} and {@code nlink} say how the image laid it out (all null for an inode
     * DaxViz laid out itself); {@code links} lists every path that names it when it has several hard links.
     */
    public record InodeDef(long ino, Inode.Kind kind, String path, long size, boolean reflinked, boolean dax,
                           boolean unlinked, List<ExtentDef> extents, List<ExtentDef> attrExtents,
                           List<BlockDef> bmbtBlocks, List<BlockDef> attrBmbtBlocks, Integer forkoff, Boolean btree,
                           Integer nlink, List<String> links, Scenario.Locs locs) {
        public InodeDef {
            links = List.copyOf(links);
            extents = List.copyOf(extents);
            attrExtents = List.copyOf(attrExtents);
            bmbtBlocks = List.copyOf(bmbtBlocks);
            attrBmbtBlocks = List.copyOf(attrBmbtBlocks);
        }

        public boolean onDisk() {
            return forkoff != null || btree != null || nlink != null;
        }
    }
}
