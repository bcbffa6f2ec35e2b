package dev.daxviz.model;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A process's mapping of a file (or of a device-dax device): user addresses {@code [start,
 * start+length)} map file bytes {@code [fileOffset, fileOffset+length)}. {@code present} holds the file
 * page indices that have a page-table entry — the ones the process has faulted and nobody has unmapped
 * since; a covered index without one is "mapped but never touched" and gets no signal.
 *
 * @param ino   the file's inode, or {@link PageState#DEVDAX_OWNER} for device-dax
 */
public record Vma(long start, long ino, String path, long fileOffset, long length, boolean pmd,
                  NavigableSet<Long> present) {

    public Vma {
        present = Collections.unmodifiableNavigableSet(new TreeSet<>(present));
    }

    public long firstIndex() {
        return fileOffset / Units.PAGE_SIZE;
    }

    /** One past the last file index covered. */
    public long endIndex() {
        return (fileOffset + length) / Units.PAGE_SIZE;
    }

    public boolean covers(long index) {
        return index >= firstIndex() && index < endIndex();
    }

    /** {@code vma_address}: the user address of a file index in this VMA. */
    public long addressOf(long index) {
        return start + (index - firstIndex()) * Units.PAGE_SIZE;
    }

    public boolean isPresent(long index) {
        return present.contains(index);
    }

    public Vma withPresent(NavigableSet<Long> p) {
        return new Vma(start, ino, path, fileOffset, length, pmd, p);
    }

    /** Size shift of the page-table entry mapping {@code index}: 12 for a PTE, 21 for a PMD, 0 if none. */
    public int mappingShift(long index) {
        if (!covers(index) || !isPresent(index)) {
            return 0;
        }
        return pmd ? Units.PMD_SHIFT : Units.PAGE_SHIFT;
    }
}
