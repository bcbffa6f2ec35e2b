package dev.daxviz.ui;

import dev.daxviz.model.Address;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Units;
import dev.daxviz.ui.theme.Fonts;
import net.miginfocom.swing.MigLayout;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import java.awt.Color;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.util.Set;

/**
 * The selected page in every address form side by side (each with a copy button), its owners per the reverse
 * map, its struct page state, and which processes map it. Forms named in {@link #setLit} are highlighted while a
 * trace step computes them.
 */
public final class InspectorPanel extends JPanel {
    private static final long serialVersionUID = 1L;
    private float scale = 1f;
    private Color lit = new Color(0xF0E442);
    private transient PageInfo info;
    private transient Set<String> litForms = Set.of();

    public InspectorPanel() {
        super(new MigLayout("insets 8, gap 4 2, wrap 3", "[][grow,fill][]"));
        setName("inspector");
        show(null);
    }

    public void setScale(float s, Color highlight) {
        this.scale = s;
        this.lit = highlight;
        show(info);
    }

    /** Address forms ("pfn", "phys", "offset", "daddr", "fsblock", "ag") to highlight. */
    public void setLit(Set<String> forms) {
        if (!forms.equals(litForms)) {
            litForms = Set.copyOf(forms);
            show(info);
        }
    }

    public PageInfo info() {
        return info;
    }

    public void show(PageInfo i) {
        this.info = i;
        removeAll();
        JLabel title = new JLabel(i == null ? "No page selected" : "Page " + i.address().pfnHex());
        title.setFont(Fonts.uiBold(15f * scale));
        title.setName("inspector.title");
        add(title, "span 3, gapbottom 4");
        if (i == null) {
            JLabel hint = new JLabel("<html>Click a page in the grid to inspect it.<br>Switch to <b>Poison</b> mode "
                    + "(or press <b>P</b>) to poison it.</html>");
            hint.setFont(Fonts.ui(12f * scale));
            add(hint, "span 3");
            revalidate();
            repaint();
            return;
        }
        Address a = i.address();
        form("pfn", "pfn", a.pfnHex());
        form("phys", "physical", Units.hex(a.physAddr()));
        form("offset", "device offset", a.deviceOffset() == null ? "— (in the fsdax reserve)" : Units.hex(a.deviceOffset())
                + "  (" + (a.device() == null ? "?" : a.device().name()) + ")");
        form("daddr", "daddr", a.daddr() == null ? "—" : Long.toString(a.daddr()));
        form("fsblock", "fs block", a.fsblock() == null ? "—" : Long.toString(a.fsblock()));
        form("ag", "AG / agbno", a.agno() == null ? "—" : a.agno() + " / " + a.agbno());
        section("Owners (reverse map)");
        if (i.owners().isEmpty()) {
            text(a.region() == Address.Region.DATA ? "none — free space (no rmap record)" : "none");
        }
        for (PageInfo.Owner o : i.owners()) {
            if (o.isFile() && o.fileOffset() != null) {
                form("file", o.path(), "+" + Units.human(o.fileOffset()) + "  (ino " + o.ino() + ")");
            } else {
                text(o.label());
            }
        }
        if (i.refcount() > 1) {
            text("shared by " + i.refcount() + " owners (refcount btree)");
        }
        section("Page state");
        PageState s = i.state();
        text((s.hwpoison() ? "⚠ HWPoison" : "not poisoned") + " · "
                + (s.hasMarker() ? (s.marker() == PageState.Marker.COW ? "CoW" : "shared") + " flag ×" + s.share()
                : i.mappingPath() != null ? "mapping " + i.mappingPath() + ", index " + s.index() : "no DAX association"));
        section("Mapped by");
        if (i.mappers().isEmpty()) {
            text("no process maps this page");
        }
        for (PageInfo.Mapper m : i.mappers()) {
            text(m.comm() + ":" + m.pid() + " (" + m.earlyKill() + ") at " + Units.hex(m.userAddress())
                    + (m.present() ? (m.pmd() ? " · PMD" : " · PTE") : " · no page-table entry (not faulted, or unmapped)"));
        }
        revalidate();
        repaint();
    }

    private void form(String key, String label, String value) {
        JLabel l = new JLabel(label);
        l.setFont(Fonts.ui(12f * scale));
        JLabel v = new JLabel(value);
        v.setName("inspector." + key + (key.equals("file") ? "." + label : ""));
        v.setFont(Fonts.mono(12.5f * scale));
        if (litForms.contains(key)) {
            v.setOpaque(true);
            v.setBackground(lit);
            v.setForeground(Color.BLACK);
        }
        JButton copy = new JButton("copy");
        copy.putClientProperty("JButton.buttonType", "toolBarButton");
        copy.setFont(Fonts.ui(10.5f * scale));
        copy.setToolTipText("Copy " + label + " to the clipboard");
        copy.addActionListener(e -> {
            try {
                Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(value.split(" ")[0]), null);
            } catch (IllegalStateException | SecurityException ex) {
                copy.setToolTipText("The clipboard is not available here");
            }
        });
        add(l);
        add(v);
        add(copy);
    }

    private void section(String name) {
        JLabel l = new JLabel(name);
        l.setFont(Fonts.uiBold(12.5f * scale));
        l.setBorder(BorderFactory.createEmptyBorder(8, 0, 0, 0));
        add(l, "span 3");
    }

    private void text(String t) {
        JLabel l = new JLabel("<html>" + t.replace("&", "&amp;").replace("<", "&lt;") + "</html>");
        l.setFont(Fonts.ui(12f * scale));
        add(l, "span 3, wmin 0");
    }
}
