package dev.daxviz.ui.charts;

import dev.daxviz.ui.theme.Palette;

/**
 * One frame of the blast-radius strip.
 *
 * @param selectedPfn the selected page, marked on the strip, or −1
 * @param viewFrom    first pfn of the stretch the grid shows (bracketed on the strip), or −1
 * @param viewTo      one past the last pfn the grid shows, or −1
 */
public record BlastSnapshot(BlastRadius radius, Palette palette, long selectedPfn, long viewFrom, long viewTo) {
    public BlastSnapshot(BlastRadius radius, Palette palette, long selectedPfn) {
        this(radius, palette, selectedPfn, -1, -1);
    }
}
