package dev.daxviz.ui.grid;

import dev.daxviz.ui.theme.Palette;

import java.util.List;

/**
 * Everything the grid painter needs for one frame, as a value.
 *
 * @param scrollY    layout y shown at the top of the viewport
 * @param poisoned   sorted pfns with HWPoison
 * @param selected   the selected pfn, or -1
 * @param highlights pfn ranges {from, to} to outline (a selected file's extents, a process's pages)
 * @param glow       pfn ranges {from, to} the current trace step lights up
 * @param pulsePfn   the page that pulses during playback, or -1
 * @param pulse      0..1 phase of the pulse
 */
public record GridSnapshot(GridLayout layout, DeviceSummary summary, Palette palette, long scrollY, long[] poisoned,
                           long selected, List<long[]> highlights, List<long[]> glow, long pulsePfn, float pulse) {
}
